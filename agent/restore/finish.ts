import { type DataStage, MASKED_MARKER_KEY, STAGE_MARKER_KEY } from "../../model/data/data-safety.ts";
import { errorMessage } from "../errors.ts";
import { leakError } from "../mask/in-place.ts";
import { type LeakScanResult, scanForLeaks } from "../mask/leak-scan.ts";
import { type MaskRun, maskedMarker } from "../mask/run-context.ts";
import { applyNeutralize, type NeutralizeOptions, type NeutralizeStep } from "../neutralize/run.ts";
import { withClient } from "../pg/connection.ts";
import { writeParameter } from "../pg/markers.ts";
import type { Reporter } from "../progress.ts";

export interface FinishOptions {
  /** The stage of the copy, written as its odooops.stage marker (a copy of production is not production). */
  stage: DataStage | undefined;
  mask: MaskRun | undefined;
  neutralize: NeutralizeOptions | undefined;
  /** Told when each silent phase starts (the leak scan reads every text cell of the copy). */
  reporter?: Reporter;
  /** Builds the copy's indexes and constraints: run beside the leak scan, which reads only rows. */
  buildIndexes?: () => Promise<void>;
}

export interface FinishResult {
  scan: LeakScanResult | undefined;
  neutralized: NeutralizeStep[] | undefined;
}

async function scanCopy(url: string, mask: MaskRun, reporter: Reporter | undefined): Promise<LeakScanResult> {
  reporter?.progress("leak scan: looking for every masked source value in the copy's text");
  // One transaction per table: a lock held on a scanned table until the end would stall the index
  // builds running beside the scan. Nobody else writes to a copy before it is finished.
  const scan = await withClient(url, (client) => scanForLeaks(client, mask.hashes, { tableByTable: true }));
  reporter?.progress(`leak scan: done, ${scan.columnsScanned} columns of ${scan.tablesScanned} tables`);
  return scan;
}

/** Both run to their end (the copy is dropped afterwards, never under a running psql); the first error wins. */
async function sideBySide<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [x, y] = await Promise.allSettled([a, b]);
  if (x.status === "rejected") throw x.reason instanceof Error ? x.reason : new Error(errorMessage(x.reason));
  if (y.status === "rejected") throw y.reason instanceof Error ? y.reason : new Error(errorMessage(y.reason));
  return [x.value, y.value];
}

/**
 * The steps after a copy's rows were loaded: its indexes beside the leak scan when it was masked (a
 * finding fails the copy), then in one transaction the masked marker, the copy's own stage marker and
 * neutralization. The caller throws the copy away when this fails.
 */
export async function finishCopy(url: string, options: FinishOptions): Promise<FinishResult> {
  const [scan] = await sideBySide(
    options.mask ? scanCopy(url, options.mask, options.reporter) : Promise.resolve(undefined),
    options.buildIndexes ? options.buildIndexes() : Promise.resolve(),
  );
  if (scan && scan.leaks.length > 0) throw leakError(scan, "the copy was discarded");
  return withClient(url, async (client) => {
    await client.query("begin");
    try {
      if (options.mask) await writeParameter(client, MASKED_MARKER_KEY, maskedMarker(options.mask));
      if (options.stage) await writeParameter(client, STAGE_MARKER_KEY, options.stage);
      if (options.neutralize)
        options.reporter?.progress("neutralize: switching off mail, crons, payments, …");
      const neutralized = options.neutralize ? await applyNeutralize(client, options.neutralize) : undefined;
      await client.query("commit");
      return { scan, neutralized };
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw error;
    }
  });
}
