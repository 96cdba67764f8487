import type { DataStage } from "../model/data/data-safety.ts";
import { STAGE_MARKER_KEY } from "../model/data/data-safety.ts";
import { AgentError } from "./errors.ts";
import { guardNonProduction } from "./guard.ts";
import type { DatabaseUrl } from "./pg/connection.ts";
import { withClient } from "./pg/connection.ts";
import { readParameter, writeParameter } from "./pg/markers.ts";

export interface MarkOptions {
  stage: DataStage;
  /** The database is a new cluster the platform restored from production's backup. */
  forkOfProduction: boolean;
}

export interface MarkResult {
  database: string;
  previous: string | undefined;
  stage: DataStage;
}

/**
 * Writes a database's `odooops.stage` marker (model/data/data-safety.ts). Marking production only adds
 * protection, so it is always allowed; marking a copy passes the same guard as neutralize and mask.
 */
export async function markDatabase(db: DatabaseUrl, options: MarkOptions): Promise<MarkResult> {
  return withClient(db.url, async (client) => {
    await client.query("begin");
    try {
      const previous = await readParameter(client, STAGE_MARKER_KEY);
      if (options.stage !== "production")
        await guardNonProduction(client, db, "mark", options.stage, options.forkOfProduction);
      if (!(await writeParameter(client, STAGE_MARKER_KEY, options.stage)))
        throw new AgentError(
          `${db.id.database} is not an Odoo database (no ir_config_parameter); initialise it first. Nothing was changed.`,
          1,
        );
      await client.query("commit");
      return { database: db.id.database, previous, stage: options.stage };
    } catch (error) {
      await client.query("rollback");
      throw error;
    }
  });
}
