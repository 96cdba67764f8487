import { describe, expect, it } from "vitest";
import { productionDeployProblem } from "../../../model/plan/deploy-record.ts";

describe("pulumi up of production", () => {
  it("is refused with a catalog file, allowed with the control plane, and previews are never refused", () => {
    expect(productionDeployProblem(["production"], false, false)).toContain(
      "refusing to deploy production without a control plane",
    );
    expect(productionDeployProblem(["production"], true, false)).toBeUndefined();
    expect(productionDeployProblem(["production"], false, true)).toBeUndefined();
    expect(productionDeployProblem(["staging", "development"], false, false)).toBeUndefined();
  });
});
