import { warehouseNames } from "../../model/plan/warehouse.ts";
import { AgentInputError } from "../errors.ts";
import { withClient, withDatabase } from "../pg/connection.ts";

export interface WarehouseLag {
  subscription: string;
  /** WAL production has written that the warehouse has not confirmed yet. */
  bytesBehind: number;
  /** Time between a commit on production and its apply on the warehouse; 0 when nothing is in flight. */
  replayLagSeconds: number;
  /** Whether the warehouse's apply worker is connected (streaming) right now. */
  streaming: boolean;
  /** Seconds since the warehouse last heard from production (keepalives arrive while idle). */
  lastMessageAgeSeconds: number | null;
}

/**
 * Replication lag, measured from both ends: the slot on production (bytes not yet confirmed, and the
 * walsender's replay lag) and the subscription's worker on the warehouse (when it last heard anything).
 * Both connections are read-only.
 */
export async function measureLag(
  sourceUrl: string,
  warehouseAdminUrl: string,
  project: string,
): Promise<WarehouseLag> {
  const names = warehouseNames(project);
  const source = await withClient(
    sourceUrl,
    async (client) => {
      const { rows } = await client.query<{ bytes: string; replay: number | null; active: boolean }>(
        `select pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn)::bigint::text as bytes, s.active,
                extract(epoch from r.replay_lag)::float8 as replay
           from pg_replication_slots s left join pg_stat_replication r on r.pid = s.active_pid
          where s.slot_name = $1`,
        [names.subscription],
      );
      return rows[0];
    },
    { readOnly: true },
  );
  if (!source)
    throw new AgentInputError(
      `production has no replication slot ${names.subscription}; run odooops warehouse subscribe`,
    );
  const age = await withClient(
    withDatabase(warehouseAdminUrl, names.database),
    async (client) => {
      const { rows } = await client.query<{ age: number | null }>(
        `select extract(epoch from now() - max(last_msg_receipt_time))::float8 as age
           from pg_stat_subscription where subname = $1`,
        [names.subscription],
      );
      return rows[0]?.age ?? null;
    },
    { readOnly: true },
  );
  return {
    subscription: names.subscription,
    bytesBehind: Math.max(0, Number(source.bytes)),
    replayLagSeconds: source.replay ?? 0,
    streaming: source.active,
    lastMessageAgeSeconds: age,
  };
}
