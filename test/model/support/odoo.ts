import type { SizingInput } from "../../../model/plan/odoo-sizing.ts";

/** A production host of the common size, with its own cluster: the base each sizing case changes. */
export const sizingInput = (over: Partial<SizingInput> = {}): SizingInput => ({
  stage: "production",
  hostSize: "s-4vcpu-8gb",
  placement: "dedicated",
  workers: 4,
  databaseSize: "db-s-2vcpu-4gb",
  sharedDatabase: false,
  ...over,
});
