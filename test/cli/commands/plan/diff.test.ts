import { describe, expect, it } from "vitest";
import { changedInputs, rememberSecrets } from "../../../../cli/commands/plan/changed-inputs.ts";
import { diffPlans } from "../../../../cli/commands/plan/diff.ts";
import type { PlannedResource, PlanReport, Violation } from "../../../../cli/commands/plan/report.ts";

function resource(
  type: string,
  inputs: Record<string, unknown>,
  options: { ignoreChanges?: string[]; secrets?: string[] } = {},
): PlannedResource {
  const secrets = options.secrets ?? [];
  const redacted = Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [k, secrets.includes(k) ? "[secret]" : v]),
  );
  const planned: PlannedResource = {
    stack: "prod",
    type,
    name: "r",
    urn: `urn:pulumi:prod::odooops::${type}::r`,
    parent: undefined,
    project: "shop",
    environment: "production",
    stage: "production",
    protect: false,
    ignoreChanges: options.ignoreChanges ?? [],
    replaceOnChanges: [],
    inputs: redacted,
  };
  rememberSecrets(planned, inputs, secrets);
  return planned;
}

const DROPLET = "digitalocean:index/droplet:Droplet";
const CONTAINER = "docker:index/container:Container";

describe("comparing a resource between two plans", () => {
  it("applies ignoreChanges as the program declares them, nested paths too", () => {
    const ignore = { ignoreChanges: ["sshKeys", "tags[0]"] };
    const before = resource(DROPLET, { sshKeys: ["a"], size: "s-1", tags: ["x", "y"] }, ignore);
    expect(
      changedInputs(before, resource(DROPLET, { sshKeys: ["b"], size: "s-1", tags: ["z", "y"] }, ignore)),
    ).toEqual({ fields: [], forcedBy: [], consequences: [] });
    expect(
      changedInputs(before, resource(DROPLET, { sshKeys: ["a"], size: "s-1", tags: ["x", "w"] }, ignore))
        .fields,
    ).toEqual(["tags"]);
  });

  it("shows a replacement with the input that forces it and what follows", () => {
    const change = changedInputs(
      resource(DROPLET, { image: "a", size: "s-1" }),
      resource(DROPLET, { image: "b", size: "s-2" }),
    );
    expect(change).toEqual({
      fields: ["image", "size"],
      forcedBy: ["image"],
      consequences: ["the host is rebuilt: what is on its disk is lost"],
    });
  });

  it("sees a changed secret by its keyed hash, without printing it", () => {
    const conf = (workers: number) =>
      resource(CONTAINER, { uploads: [{ content: `workers = ${workers}` }] }, { secrets: ["uploads"] });
    expect(changedInputs(conf(6), conf(6)).fields).toEqual([]);
    const change = changedInputs(conf(6), conf(8));
    expect(change).toEqual({
      fields: ["uploads (secret)"],
      forcedBy: ["uploads"],
      consequences: ["the container is recreated: the service restarts"],
    });
    expect(JSON.stringify(conf(8))).not.toContain("workers");
  });

  it("lists a violation the change resolves once, whichever stack reported it", () => {
    const violation = (stack: string): Violation => ({
      stack,
      policy: "stale-preview",
      level: "advisory",
      project: "shop",
      environment: "feature--x",
      resource: `urn:pulumi:${stack}::odooops::odooops:environment:Environment::shop-feature--x`,
      message: "stale",
    });
    const report = (violations: Violation[]): PlanReport => ({ stacks: [], resources: [], violations });
    const changes = diffPlans("main", report([violation("staging"), violation("prod")]), report([]));
    expect(changes.resolvedViolations).toHaveLength(1);
    expect(
      diffPlans("main", report([violation("staging")]), report([violation("prod")])).newViolations,
    ).toEqual([]);
  });
});
