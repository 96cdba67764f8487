import { describe, expect, it } from "vitest";
import { inReportOrder, type ReportOrder } from "../../../../cli/commands/plan/merge-facts.ts";
import type { PlannedResource } from "../../../../cli/commands/plan/report.ts";

function resource(name: string, project?: string, environment?: string): PlannedResource {
  return {
    stack: "staging",
    type: "test:index:Thing",
    name,
    urn: `urn:${name}`,
    parent: undefined,
    project,
    environment,
    stage: undefined,
    protect: false,
    ignoreChanges: [],
    replaceOnChanges: [],
    inputs: {},
  };
}

const ORDER: ReportOrder = [
  { project: "acme", environments: ["main", "release--r0", "feature--f1"] },
  { project: "beta", environments: ["main"] },
];

describe("inReportOrder", () => {
  it("orders by stack, project, then environment in plan order, whatever order they registered in", () => {
    const registered = [
      resource("beta-main", "beta", "main"),
      resource("acme-f1-a", "acme", "feature--f1"),
      resource("acme-r0-a", "acme", "release--r0"),
      resource("acme-f1-b", "acme", "feature--f1"),
      resource("root"),
      resource("acme-net", "acme"),
      resource("acme-main", "acme", "main"),
      resource("acme-r0-b", "acme", "release--r0"),
      resource("beta-main-db", "beta", "main"),
    ];
    const names = (rs: readonly PlannedResource[]) =>
      inReportOrder(rs, [], ORDER).resources.map((r) => r.name);
    const expected = [
      "root",
      "acme-net",
      "acme-main",
      "acme-r0-a",
      "acme-r0-b",
      "acme-f1-a",
      "acme-f1-b",
      "beta-main",
      "beta-main-db",
    ];
    expect(names(registered)).toEqual(expected);
    // Environments registered the other way round: the same report; within one, registration order.
    const interleaved = [...registered].sort((a, b) =>
      (a.environment ?? "").localeCompare(b.environment ?? ""),
    );
    expect(names(interleaved)).toEqual(expected);
  });
});
