import type { Command } from "commander";
import { z } from "zod";
import type { CommandContext } from "../../context.ts";
import { parseInput, runWithControlPlane } from "../control-plane/session.ts";

const label = z.string().regex(/^[ -~]{1,100}$/, { error: "1 to 100 printable characters" });
const keyId = z.uuid({ error: "must be the catalog key's id as printed by catalog-key create" });

/**
 * `odooops catalog-key create|revoke` (service role): the read-only credential of the drift check and of
 * `pulumi preview` — with Supabase's anon key it reads the build catalog and nothing else. Store it as
 * the `ODOOOPS_CATALOG_KEY` secret of the drift and preview environments (`drift-staging`, `drift-prod`,
 * `preview`, `preview-prod`).
 */
export function registerCatalogKey(program: Command, context: CommandContext): void {
  const group = program
    .command("catalog-key")
    .description("Read-only catalog credentials for drift and preview (service role)");
  group
    .command("create")
    .description("Create a catalog key; it is printed once, alone on stdout")
    .requiredOption("--label <text>", "where it is stored, e.g. 'drift and preview environments'")
    .action(async (o: { label: string }) => {
      const input = { label: parseInput(label, o.label, "--label") };
      await runWithControlPlane(
        context,
        {},
        (cp) => cp.createCatalogKey(input),
        (k) => k.key ?? "",
      );
    });
  group
    .command("revoke")
    .description("Revoke a catalog key: refused from now on")
    .argument("<id>", "the key's id")
    .action(async (id: string) => {
      const input = { id: parseInput(keyId, id, "id") };
      await runWithControlPlane(
        context,
        {},
        (cp) => cp.revokeCatalogKey(input),
        (k) => `revoked catalog key ${k.id} (${k.label})`,
      );
    });
}
