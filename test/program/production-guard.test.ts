import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it, vi } from "vitest";
import { prodConfig } from "./support.ts";

const CONTROL_PLANE_ENV = [
  "ODOOOPS_CONTROL_PLANE_URL",
  "SUPABASE_URL",
  "SUPABASE_KEY",
  "SUPABASE_ACCESS_TOKEN",
];

afterEach(() => {
  vi.resetModules();
});

describe("index.ts run by `pulumi up` (not a preview)", () => {
  it("refuses to deploy production without a control plane: release gates come only from it", async () => {
    for (const k of CONTROL_PLANE_ENV) delete process.env[k];
    await pulumi.runtime.setMocks(
      { newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs },
      "odooops",
      "prod",
      false, // an update, as `pulumi up` runs it
    );
    pulumi.runtime.setAllConfig(prodConfig({}), []);
    await expect(import("../../index.ts")).rejects.toThrow(
      "refusing to deploy production without a control plane",
    );
  });
});
