import type pg from "pg";
import {
  AGENT_STAGE_ENV,
  type DataStage,
  PRODUCTION_DB_URL_ENV,
  productionRefusal,
  STAGE_MARKER_KEY,
} from "../model/data/data-safety.ts";
import { AgentError } from "./errors.ts";
import type { DatabaseUrl } from "./pg/connection.ts";
import { readParameter, writeParameter } from "./pg/markers.ts";

/**
 * Refuses to go on when the database is production (model/data/data-safety.ts says how that is known).
 * When the caller vouched for an unmarked database with --assume-stage, the marker is written, inside
 * the caller's transaction.
 */
export async function guardNonProduction(
  client: pg.Client,
  db: DatabaseUrl,
  operation: string,
  assumedStage: DataStage | undefined,
  forkOfProduction = false,
): Promise<void> {
  const marker = await readParameter(client, STAGE_MARKER_KEY);
  const refusal = productionRefusal({
    operation,
    target: db.id,
    urlEnvName: db.envName,
    productionUrl: process.env[PRODUCTION_DB_URL_ENV],
    agentStage: process.env[AGENT_STAGE_ENV],
    marker,
    assumedStage,
    forkOfProduction,
  });
  if (refusal) throw new AgentError(refusal, 1);
  const relabel = marker === undefined || (marker === "production" && forkOfProduction);
  if (relabel && assumedStage) await writeParameter(client, STAGE_MARKER_KEY, assumedStage);
}
