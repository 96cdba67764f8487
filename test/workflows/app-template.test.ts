import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { POSTGRES_VERSION } from "../../components/database.ts";
import { ADDONS_PATH } from "../../model/plan/app-image.ts";
import { templateOcaDependencies } from "../../model/plan/bundle-modules.ts";
import { PLATFORM_IMAGES } from "../../model/plan/platform-images.ts";
import { type Job, platform } from "./support.ts";

const APP = "examples/app-repo";
const read = (file: string) => readFileSync(`${APP}/${file}`, "utf8");

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  volumes?: string[];
  depends_on?: Record<string, unknown>;
  ports?: string[];
}

describe("app-repo devcontainer", () => {
  const devcontainer = JSON.parse(read(".devcontainer/devcontainer.json"));
  const compose = parse(read(".devcontainer/docker-compose.yml")) as {
    services: Record<string, ComposeService>;
  };
  const conf = Object.fromEntries(
    read(".devcontainer/odoo.conf")
      .split("\n")
      .filter((l) => l.includes(" = "))
      .map((l) => l.split(" = ").map((s) => s.trim()) as [string, string]),
  );

  it("opens the Odoo service of its compose file, with every service it runs defined", () => {
    expect(compose.services[devcontainer.service]).toBeDefined();
    for (const s of devcontainer.runServices) expect(Object.keys(compose.services)).toContain(s);
    expect(Object.keys(compose.services).sort()).toEqual(["db", "mailpit", "odoo"]);
    expect(devcontainer.forwardPorts).toEqual(expect.arrayContaining([8069, 8025]));
  });

  it("runs the repository's own image (the project's Odoo and OCA repos) with the checkout mounted where the image keeps its modules", () => {
    const odoo = compose.services.odoo!;
    expect(odoo.build).toEqual({ context: "..", dockerfile: "Dockerfile" });
    expect(odoo.volumes).toContain(`..:${devcontainer.workspaceFolder}:cached`);
    expect(ADDONS_PATH.split(",")[0]).toBe(devcontainer.workspaceFolder);
    expect(conf.addons_path).toBe(ADDONS_PATH);
    const major = /^FROM odoo:(\d+\.0)/m.exec(read("Dockerfile"))?.[1];
    const branches = [...read(".gitmodules").matchAll(/branch = (\S+)/g)].map((m) => m[1]);
    expect(branches.length).toBeGreaterThan(0);
    for (const b of branches) expect(b).toBe(major);
  });

  it("lists in oca_dependencies.txt the repositories of the bundles its Odoo series installs, as read from the OCA branches", () => {
    const major = /^FROM odoo:(\d+\.0)/m.exec(read("Dockerfile"))?.[1] ?? "";
    // scripts/read-oca-ports.ts rewrites it with the data.
    expect(read("oca_dependencies.txt")).toBe(templateOcaDependencies(major));
  });

  it("points Odoo at its own PostgreSQL and at Mailpit (the platform's pinned image), reachable from this machine only", () => {
    expect(conf.db_host).toBe("db");
    expect(conf.smtp_server).toBe("mailpit");
    expect(conf.smtp_port).toBe("1025");
    expect(compose.services.mailpit!.image).toBe(PLATFORM_IMAGES.mailpit);
    expect(Object.keys(compose.services.odoo!.depends_on ?? {})).toEqual(["db", "mailpit"]);
    for (const s of Object.values(compose.services))
      for (const p of s.ports ?? []) expect(p).toMatch(/^127\.0\.0\.1:/);
  });

  it("develops and tests on the PostgreSQL major version the platform's clusters run", () => {
    const image = `postgres:${POSTGRES_VERSION}`;
    expect(compose.services.db!.image).toBe(image);
    const inputs = (
      platform("app-build.yml") as unknown as {
        on: { workflow_call: { inputs: Record<string, { default?: unknown }> } };
      }
    ).on.workflow_call.inputs;
    expect(inputs["postgres-image"]?.default).toBe(image);
  });

  it("installs pre-commit at a pinned version and its hooks", () => {
    expect(devcontainer.postCreateCommand).toMatch(/pre-commit==\d+\.\d+\.\d+/);
    expect(devcontainer.postCreateCommand).toContain("pre-commit install");
    expect(read(".pre-commit-config.yaml").length).toBeGreaterThan(0);
  });
});

describe("app build security gates", () => {
  const build = platform("app-build.yml");
  const security = build.jobs.security as Job & { name: string };
  const runs = (job: Job) => (job.steps ?? []).map((s) => s.run ?? "").join("\n");

  it("attaches an SBOM and max provenance to the pushed image", () => {
    const step = build.jobs.build!.steps!.find((s) => s.uses?.startsWith("docker/build-push-action@"))!;
    expect(step.with?.sbom).toContain("github.event_name == 'push'");
    expect(step.with?.provenance).toContain("mode=max");
  });

  it("audits the requirements and scans the code with pinned tools, judged by odooops security-gate as odooops/security", () => {
    expect(security.name).toBe("odooops/security");
    expect(runs(security)).toMatch(/pip-audit==\d+\.\d+\.\d+ bandit==\d+\.\d+\.\d+/);
    expect(runs(security)).toContain("--format json");
    expect(runs(security)).toContain("npx odooops security-gate");
    expect(runs(security)).toContain("context=odooops/security");
    expect(security.permissions).toEqual({ contents: "read", statuses: "write" });
  });

  it("blocks delivery on a failed gate and records the check with the G1 evidence", () => {
    const deliver = build.jobs.deliver as Job & { if: string };
    expect(deliver.needs).toContain("security");
    expect(deliver.if).toContain("needs.security.outputs.check == 'success'");
    expect(runs(deliver)).toContain('"odooops/security": $security');
  });
});
