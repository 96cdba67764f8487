import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../support/cli.ts";
import { DIGEST, minimalYaml } from "../../../support/projects.ts";
import { prodPlanAgainst } from "./support.ts";

const withReviewer = (name: string, extra = "") =>
  `${minimalYaml(name)}personas:\n  release_manager: { users: [rm-ben] }\n${extra}`;

interface Changes {
  base: string;
  added: { name: string; project: string }[];
  changed: { name: string; fields: string[] }[];
  replaced: { type: string; project: string; fields: string[]; forcedBy: string[]; consequences: string[] }[];
  removed: { name: string; project: string }[];
  costs: { project: string; beforeUsd: number; afterUsd: number }[];
  newViolations: { policy: string; project: string }[];
}

/** A platform repository whose last commit has `shop` and `gone`; the working tree edits and deletes. */
let repo: string;
const home = process.cwd();
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "odooops-base-"));
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args]);
  mkdirSync(join(repo, "projects"));
  writeFileSync(
    join(repo, "Pulumi.prod.yaml"),
    "config:\n  odooops:stages: [production]\n  odooops:platformDomain: odooops.example\n  odooops:region: sgp1\n  odooops:catalog: catalog.json\n",
  );
  const released = (name: string) => ({
    releases: [{ id: "r-1", image: `ghcr.io/acme/${name}@${DIGEST}`, passed: ["G1", "G2", "G3"] }],
  });
  const projects = Object.fromEntries(["shop", "gone", "fresh"].map((n) => [n, released(n)]));
  writeFileSync(join(repo, "catalog.json"), JSON.stringify({ projects }));
  writeFileSync(join(repo, "projects/shop.yaml"), withReviewer("shop"));
  writeFileSync(join(repo, "projects/gone.yaml"), withReviewer("gone"));
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "base");
  // The change under review: bigger production host, one project removed, one added.
  writeFileSync(
    join(repo, "projects/shop.yaml"),
    withReviewer("shop").replace("  production:\n", "  production:\n    size: s-4vcpu-8gb\n    workers: 8\n"),
  );
  rmSync(join(repo, "projects/gone.yaml"));
  writeFileSync(join(repo, "projects/fresh.yaml"), withReviewer("fresh"));
  process.chdir(repo);
});
afterAll(() => process.chdir(home));

describe("odooops plan --base <ref>", () => {
  it("shows what the change adds, changes and removes, and what it costs", async () => {
    const { changes } = await prodPlanAgainst<{ changes: Changes }>("HEAD");
    expect(changes.base).toBe("HEAD");
    expect(new Set(changes.added.map((r) => r.project))).toEqual(new Set(["fresh"]));
    expect(new Set(changes.removed.map((r) => r.project))).toEqual(new Set(["gone"]));
    expect(changes.changed).toContainEqual(
      expect.objectContaining({ name: "shop-production-host-droplet", fields: ["size"] }),
    );
    expect(changes.costs).toContainEqual(
      expect.objectContaining({ project: "shop", afterUsd: expect.any(Number) }),
    );
    const shop = changes.costs.find((c) => c.project === "shop")!;
    expect(shop.afterUsd - shop.beforeUsd).toBe(24);
    // A new project brings its own agent host, so the unreleased-agent advice is new for it.
    expect(changes.newViolations.filter((v) => v.policy !== "agent-image-released")).toEqual([]);
    expect(changes.newViolations.every((v) => v.project === "fresh")).toBe(true);
  });

  it("names the container restart a changed odoo.conf sets off, though the file is a secret", async () => {
    const { changes } = await prodPlanAgainst<{ changes: Changes }>("HEAD");
    expect(changes.replaced).toContainEqual(
      expect.objectContaining({
        type: "docker:index/container:Container",
        project: "shop",
        fields: expect.arrayContaining(["uploads (secret)"]),
        forcedBy: expect.arrayContaining(["uploads"]),
        consequences: ["the container is recreated: the service restarts"],
      }),
    );
    expect(JSON.stringify(changes)).not.toMatch(/workers\s*=/);
  });

  it("summarises the change in the text and markdown plans", async () => {
    const text = await runCli("plan", "--stack", "prod", "--base", "HEAD");
    expect(text.stdout).toMatch(
      /changes against HEAD: \d+ to add, \d+ to change, \d+ to replace, \d+ to remove/,
    );
    expect(text.stdout).toContain(
      "~ digitalocean:index/droplet:Droplet  shop-production-host-droplet  [prod/shop/production] (size)",
    );
    const markdown = await runCli("plan", "--stack", "prod", "--base", "HEAD", "--format", "markdown");
    expect(markdown.stdout).toContain("### Changes against HEAD");
    expect(markdown.stdout).toContain("```diff");
    expect(markdown.stdout).toContain(
      "~ digitalocean:index/droplet:Droplet  shop-production-host-droplet  [prod/shop/production] (size)",
    );
  });

  it("refuses a commit that does not exist, before planning", async () => {
    const { code, stdout, stderr } = await runCli("plan", "--stack", "prod", "--base", "no-such-ref");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("--base no-such-ref: no such commit in this repository");
  });
});
