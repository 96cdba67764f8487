import type { DataStage } from "../../model/data/data-safety.ts";
import { guardNonProduction } from "../guard.ts";
import { type DatabaseUrl, withClient } from "../pg/connection.ts";
import { applyNeutralize, type NeutralizeOptions, type NeutralizeStep } from "./run.ts";

export interface NeutralizeResult {
  database: string;
  steps: NeutralizeStep[];
}

/** `odooops agent neutralize`: all of it in one transaction, after the production guard. */
export async function neutralizeDatabase(
  db: DatabaseUrl,
  options: NeutralizeOptions & { assumeStage?: DataStage },
): Promise<NeutralizeResult> {
  return withClient(db.url, async (client) => {
    await client.query("begin");
    try {
      await guardNonProduction(client, db, "neutralize", options.assumeStage);
      const steps = await applyNeutralize(client, options);
      await client.query("commit");
      return { database: db.id.database, steps };
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw error;
    }
  });
}
