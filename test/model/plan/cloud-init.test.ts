import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderCloudInit } from "../../../model/plan/cloud-init.ts";

interface CloudConfig {
  packages: string[];
  write_files: { path: string; content: string }[];
  mounts: string[][];
}

const config = () => {
  const text = renderCloudInit({ volumeName: "acme-production" });
  expect(text.startsWith("#cloud-config\n")).toBe(true);
  return parse(text) as CloudConfig;
};

describe("cloud-init", () => {
  it("installs Docker, mounts the filestore volume by name and accepts the agent's variables over SSH", () => {
    const c = config();
    expect(c.packages).toContain("docker.io");
    expect(c.mounts[0]![0]).toBe("/dev/disk/by-id/scsi-0DO_Volume_acme-production");
    expect(c.mounts[0]![3]).toContain("nofail");
    const sshd = c.write_files.find((f) => f.path.startsWith("/etc/ssh/"))!.content;
    expect(sshd).toContain("AcceptEnv ODOOOPS_* PG* AWS_*");
    expect(sshd).toContain("PasswordAuthentication no");
  });

  it("installs a wrapper that hands variables to the agent container by name, never by value", () => {
    const dir = mkdtempSync(join(tmpdir(), "odooops-wrapper-"));
    const wrapper = join(dir, "odooops-exec");
    writeFileSync(
      wrapper,
      config().write_files.find((f) => f.path === "/usr/local/bin/odooops-exec")!.content,
    );
    writeFileSync(join(dir, "docker"), '#!/bin/sh\nprintf "%s\\n" "$@"\n');
    chmodSync(wrapper, 0o755);
    chmodSync(join(dir, "docker"), 0o755);
    const out = execFileSync(wrapper, ["odooops", "agent", "mask"], {
      encoding: "utf8",
      env: {
        PATH: `${dir}:/usr/bin:/bin`,
        PGPASSWORD: "s3cret",
        ODOOOPS_DB_URL: "postgresql://u:s3cret@h/d",
        HOME: dir,
      },
    }).split("\n");
    expect(out).not.toContain("s3cret");
    expect(out.join(" ")).not.toContain("s3cret");
    expect(out).toEqual(
      expect.arrayContaining(["exec", "-i", "-e", "PGPASSWORD", "ODOOOPS_DB_URL", "odooops-agent"]),
    );
    expect(out.slice(-4, -1)).toEqual(["odooops", "agent", "mask"]);
  });
});
