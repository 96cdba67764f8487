import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { n8nImportCommand } from "../../model/plan/n8n/audited-paths.ts";
import type { Host } from "../host.ts";

/** The versioned workflows of n8n/workflows/, read once from the platform repo. */
export function readWorkflows(dir = "n8n/workflows"): { name: string; content: string }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((name) => ({ name, content: readFileSync(`${dir}/${name}`, "utf8") }));
}

/**
 * Imports the uploaded workflows into the running n8n (`n8n import:workflow --separate`): again whenever
 * a workflow file changes, so what runs is what was reviewed in Git.
 */
export class N8nWorkflowImport extends pulumi.ComponentResource {
  constructor(
    name: string,
    args: { container: string; files: { name: string; content: string }[] },
    deps: { host: Host; after: pulumi.Resource[] },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("odooops:services:N8nWorkflowImport", name, { container: args.container }, opts);
    const digest = createHash("sha256");
    for (const f of args.files) digest.update(f.name).update("\0").update(f.content);
    new command.remote.Command(
      `${name}-command`,
      {
        connection: deps.host.connection,
        create: n8nImportCommand(args.container),
        triggers: [digest.digest("hex")],
      },
      { parent: this, dependsOn: [deps.host.ready, ...deps.after] },
    );
    this.registerOutputs({});
  }
}
