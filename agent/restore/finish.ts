import { type DataStage, MASKED_MARKER_KEY, STAGE_MARKER_KEY } from "../../model/data-safety.ts";
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
}

export interface FinishResult {
  scan: LeakScanResult | undefined;
  neutralized: NeutralizeStep[] | undefined;
}

/**
 * The steps after a copy was loaded, in one transaction: the leak scan when it was masked (a finding
 * fails the copy), the copy's own stage marker, neutralization. The caller throws the copy away when
 * this fails.
 */
export async function finishCopy(url: string, options: FinishOptions): Promise<FinishResult> {
  return withClient(url, async (client) => {
    await client.query("begin");
    try {
      let scan: LeakScanResult | undefined;
      if (options.mask) {
        options.reporter?.progress("leak scan: looking for every masked source value in the copy's text");
        scan = await scanForLeaks(client, options.mask.hashes);
        if (scan.leaks.length > 0) throw leakError(scan, "the copy was discarded");
        await writeParameter(client, MASKED_MARKER_KEY, maskedMarker(options.mask));
      }
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
