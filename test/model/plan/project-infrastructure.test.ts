import { describe, expect, it } from "vitest";
import { catalogSchema } from "../../../model/input/catalog.ts";
import { parseProject } from "../../../model/input/loader.ts";
import type { StackSettings } from "../../../model/input/stack-settings.ts";
import { planPlatform } from "../../../model/plan/environment-plan.ts";
import { type FirewallPlan, SMTP_PORTS } from "../../../model/plan/firewall-rules.ts";
import { projectInfrastructure } from "../../../model/plan/project-infrastructure.ts";
import { DIGEST, minimalYaml } from "../../support/projects.ts";

/** The decisions components/project.ts only materializes, taken without Pulumi's mock runtime. */
const domain = "odooops.example";
const STAGING: StackSettings = { stages: ["staging", "development"], platformDomain: domain, region: "sgp1" };
const PROD: StackSettings = { stages: ["production"], platformDomain: domain, region: "sgp1" };

const build = (id: string) => ({
  id,
  image: `ghcr.io/acme/acme@${DIGEST}`,
  commit: "abcdef1",
  builtAt: "2026-11-20T00:00:00Z",
});
const CATALOG = catalogSchema.parse({
  projects: {
    acme: {
      branches: [
        { name: "release/v2", build: build("b-42") },
        { name: "feature/ocr", build: build("b-7") },
        { name: "feature/pos", build: build("b-8") },
      ],
    },
  },
});

function infrastructure(settings: StackSettings, extra = "") {
  const { loaded } = parseProject("projects/acme.yaml", minimalYaml("acme") + extra);
  if (!loaded) throw new Error("the test project does not load");
  const planned = planPlatform([loaded], CATALOG, settings).projects[0]!;
  return projectInfrastructure(loaded.project, planned.environments, settings);
}

/** Whether an outbound TCP rule (SMTP is TCP) lets one of the SMTP ports through. */
const smtpOpen = (rules: FirewallPlan) =>
  rules.outbound.some(
    (r) =>
      r.protocol === "tcp" && r.portRange !== undefined && SMTP_PORTS.some((p) => inRange(p, r.portRange!)),
  );
function inRange(port: number, range: string): boolean {
  const [low, high = low] = range.split("-").map(Number);
  return port >= low! && port <= high!;
}

describe("projectInfrastructure", () => {
  it("gives each stage of the stack one firewall: SMTP egress as the file says outside production", () => {
    const plan = infrastructure(STAGING, "  staging:\n    smtpEgress: allowed\n");
    expect(plan.role).toBe("staging");
    expect(plan.firewalls.map((f) => [f.stage, f.smtpEgress])).toEqual([
      ["staging", "allowed"],
      ["development", "blocked"],
    ]);
    expect(smtpOpen(plan.firewalls[0]!.rules)).toBe(true);
    expect(smtpOpen(plan.firewalls[1]!.rules)).toBe(false);
  });

  it("never blocks production's SMTP egress, whatever the file says", () => {
    const plan = infrastructure(PROD, "").firewalls;
    expect(plan.map((f) => [f.stage, f.smtpEgress])).toEqual([["production", "allowed"]]);
  });

  it("admits the file's SSH sources and the stack's deploy sources on port 22", () => {
    const settings = { ...STAGING, deploySources: ["198.51.100.0/24"] };
    const plan = infrastructure(settings, "  development:\n    sshSources: [203.0.113.0/28]\n");
    const development = plan.firewalls.find((f) => f.stage === "development")!;
    expect(development.sshSources).toEqual(["203.0.113.0/28"]);
    expect(development.deploySources).toEqual(["198.51.100.0/24"]);
    const ssh = development.rules.inbound.find((r) => r.portRange === "22");
    expect(ssh?.addresses).toEqual(["203.0.113.0/28", "198.51.100.0/24"]);
  });

  it("shares one cluster among staging dumps and one among all previews, sized by the first", () => {
    const plan = infrastructure(STAGING);
    expect(plan.sharedClusters.map((c) => [c.stage, c.key, c.clusterName])).toEqual([
      ["staging", "staging", expect.stringContaining("staging")],
      ["development", "dev", expect.stringContaining("dev")],
    ]);
    expect(plan.sharedClusters[1]!.slugs).toHaveLength(2);
  });

  it("has no staging cluster when staging forks production's cluster instead of dumping it", () => {
    const plan = infrastructure(STAGING, "  staging:\n    clone:\n      strategy: fork\n");
    expect(plan.sharedClusters.map((c) => c.stage)).toEqual(["development"]);
  });

  it("has no shared cluster in the prod stack", () => {
    expect(infrastructure(PROD).sharedClusters).toEqual([]);
  });
});
