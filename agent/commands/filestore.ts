import type { Command } from "commander";
import type { CommandContext } from "../../cli/context.ts";
import { AgentInputError } from "../errors.ts";
import { formatBytes } from "../progress.ts";
import type { BackupSource } from "../restore/fetch.ts";
import { fillFilestore } from "../restore/fill-filestore.ts";
import { action, fromEnv, type OutputOptions, printResult, reporter, withOutputOptions } from "./common.ts";
import { took } from "./summaries.ts";

interface FilestoreCli extends OutputOptions {
  sourceUrlEnv?: string;
  sourceFile?: string;
  sourceBackup?: string;
  filestoreDir: string;
  replace: boolean;
}

/** A backup location (s3://bucket/prefix/, a directory) named by a variable, or a zip on disk. */
function filestoreSource(options: FilestoreCli): BackupSource {
  if (options.sourceFile && options.sourceUrlEnv)
    throw new AgentInputError("name the source with --source-url-env or --source-file, not both");
  if (options.sourceFile) {
    if (options.sourceBackup) throw new AgentInputError("--source-backup only applies with --source-url-env");
    return { file: options.sourceFile };
  }
  if (!options.sourceUrlEnv)
    throw new AgentInputError("name the source with --source-url-env VAR or --source-file backup.zip");
  const location = fromEnv(options.sourceUrlEnv, "a backup location such as s3://bucket/prefix/");
  if (/^postgres(ql)?:\/\//.test(location))
    throw new AgentInputError(
      `${options.sourceUrlEnv} holds a database URL; a filestore comes from a backup location (s3://bucket/prefix/ or a directory)`,
    );
  return { location, ...(options.sourceBackup ? { name: options.sourceBackup } : {}) };
}

export function registerFilestore(agent: Command, context: CommandContext): void {
  const command = agent
    .command("filestore")
    .description(
      "Fill a filestore directory, and nothing else, from a backup (a fork's database comes without its files)",
    )
    .option(
      "--source-url-env <var>",
      "variable holding the backup location (s3://bucket/prefix/ or a directory)",
    )
    .option("--source-file <zip>", "an Odoo backup zip on disk as the source")
    .option("--source-backup <name>", "with a backup location: which backup (default: the newest)")
    .requiredOption("--filestore-dir <dir>", "the filestore to fill: <data_dir>/filestore/<database>")
    .option(
      "--replace",
      "replace a filled directory once the new copy is complete (refused on a production host)",
      false,
    );
  withOutputOptions(command).action(
    action(context, "filestore", async (options: FilestoreCli) => {
      const result = await fillFilestore({
        source: filestoreSource(options),
        dir: options.filestoreDir,
        replace: options.replace,
        reporter: reporter(context, options),
      });
      printResult(
        context,
        options,
        result,
        `filled ${result.filestoreDir} from ${result.backup}: ${result.files} files, ${formatBytes(result.bytes)} in ${took(result.durationMs)} (verified by ${result.verifiedBy}${result.replaced ? "; the previous files were replaced" : ""})`,
      );
    }),
  );
}
