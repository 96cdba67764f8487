import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { CommandContext } from "../../cli/context.ts";
import { type DataEvidence, dataEvidenceSchema } from "../../model/data/data-evidence.ts";
import { AgentInputError, errorMessage } from "../errors.ts";
import type { ControlPlaneOutcome } from "../evidence-sink.ts";
import { action, type OutputOptions, printResult, withOutputOptions } from "./common.ts";
import { type ControlPlaneCli, evidenceSink, outcomeLine, withControlPlaneOptions } from "./evidence.ts";

interface EvidenceRecordCli extends OutputOptions, ControlPlaneCli {}

/**
 * `odooops agent evidence record <file…>`: sends evidence that `backup`, `drill` or `serve` wrote while
 * the control plane was down or refused it (`--evidence-file`), through the same sink they use. Every
 * file is validated before anything is sent; a backup the control plane already holds is not recorded
 * twice (ops.record_backup inserts a new row every time, so the sink looks it up first).
 */
export function registerEvidence(agent: Command, context: CommandContext): void {
  const evidence = agent
    .command("evidence")
    .description("Evidence records: send ones the control plane did not get when they were made");
  const command = evidence
    .command("record")
    .description(
      "Record evidence files (from --evidence-file) in the control plane; backups already recorded are not sent again",
    )
    .argument("<file...>", "evidence records (JSON), as backup and drill write them")
    .option("--project <name>", "project of records that do not name one (default: ODOOOPS_PROJECT)");
  withControlPlaneOptions(command, { branch: true });
  withOutputOptions(command).action(
    action(context, "evidence record", async (files: string[], options: EvidenceRecordCli) => {
      const records = await readAll(files);
      const sink = evidenceSink(
        options,
        records.some((r) => r.evidence.kind === "backup"),
      );
      try {
        if (!sink.where)
          throw new AgentInputError(
            "no control plane is configured to record the evidence in: set SUPABASE_URL, SUPABASE_KEY and ODOOOPS_AGENT_KEY, or ODOOOPS_CONTROL_PLANE_URL",
          );
        const results: { file: string; controlPlane: ControlPlaneOutcome }[] = [];
        for (const { file, evidence } of records)
          results.push({ file, controlPlane: await sink.record(evidence, { unlessRecorded: true }) });
        printResult(
          context,
          options,
          results,
          results.map((r) => `${r.file}: ${outcomeLine(r.controlPlane)}`).join("\n"),
        );
        const failed = results.filter((r) => r.controlPlane.status === "failed");
        if (failed.length) {
          context.io.err(
            `odooops agent evidence record: ${failed.length} of ${results.length} not recorded (${failed.map((r) => r.file).join(", ")}); the files are unchanged, run again once the control plane takes them`,
          );
          context.exit.code = 1;
        }
      } finally {
        await sink.close();
      }
    }),
  );
}

/** Every file read and validated, or an input error naming each bad file and field: nothing is sent then. */
async function readAll(files: string[]): Promise<{ file: string; evidence: DataEvidence }[]> {
  const problems: string[] = [];
  const records: { file: string; evidence: DataEvidence }[] = [];
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, "utf8"));
    } catch (error) {
      problems.push(`${file}: not a readable JSON file: ${errorMessage(error)}`);
      continue;
    }
    const parsed = dataEvidenceSchema.safeParse(json);
    if (parsed.success) records.push({ file, evidence: parsed.data });
    else
      for (const issue of parsed.error.issues) {
        const field = issue.path.length ? issue.path.join(".") : "(record)";
        problems.push(`${file}: ${field}: ${issue.message}`);
      }
  }
  if (problems.length)
    throw new AgentInputError(
      `not an evidence record, nothing was recorded:\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );
  return records;
}
