import { z } from "zod";
import { MASK_PROFILES } from "./environments.ts";
import { uniqueList } from "./primitives.ts";

/** A project's `warehouse:` block: what model/plan/warehouse.ts replicates (seed 003). */

/** Tables Odoo keeps in `public`, named as SQL identifiers (res_partner, account_move). */
export const warehouseTable = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: "must be an Odoo table name such as account_move" });

export const warehouseSchema = z
  .strictObject({
    tables: uniqueList(warehouseTable)
      .min(1)
      .describe("Tables of production's database replicated to the warehouse (public schema)"),
    mask: z
      .enum(MASK_PROFILES)
      .default("default")
      .describe("The staging mask profile whose personal columns are never replicated"),
  })
  .describe("Replicate production's tables into this tenant's warehouse database");

export type WarehouseSettings = z.output<typeof warehouseSchema>;
