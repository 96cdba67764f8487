import { databaseName } from "../../../model/naming.ts";
import { AGENT_ENV, shellQuote } from "../../../model/plan/agent-commands.ts";
import { UsageError } from "../../io.ts";

const BACKUP_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@+=-]{0,299}$/;

/**
 * The data agent step that goes with a rollback whose release changed the database: restore the backup
 * taken before that release. On the host, `odooops` runs inside the agent container, which holds the
 * database URL in AGENT_ENV.dbUrl; the agent restores into a new database and swaps it in on success.
 */
export function restoreStep(project: string, backup: string): { command: string; explanation: string } {
  if (!BACKUP_ID.test(backup))
    throw new UsageError(
      `--restore-db "${backup}" is not a backup id or key (letters, digits and . _ : / @ + = -)`,
    );
  const command = [
    "odooops agent restore",
    `--backup ${shellQuote(backup)}`,
    `--db-url-env ${AGENT_ENV.dbUrl}`,
    `--target-db ${databaseName(project)}`,
    // Odoo is running again on the previous image; the swap ends its sessions, which reconnect.
    "--force-disconnect",
  ].join(" ");
  return {
    command,
    explanation:
      "Database: run on the production host (sre) right after the previous image is back; the agent " +
      "verifies the backup, restores it into a new database and swaps it in only on success, so the " +
      "current database stays until then.",
  };
}
