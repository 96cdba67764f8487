/**
 * What the platform's n8n workflows (n8n/workflows/*.json, issue 18 part 3) may call: the same audited
 * paths people use, nothing else. n8n gets no database URL, no SSH key and no shell of its own; it runs
 * these odooops subcommands (each one checks rights and writes an audit event in the control plane)
 * and these control-plane RPC functions (row-level security and ops.write_audit inside). A test reads
 * every workflow and refuses any other command, URL or inline credential.
 */
export const AUDITED_COMMANDS = {
  /** The G4 probe: /web/health over verified TLS, the expected build, a clean log; evidence or incident. */
  health: "post-deploy and periodic health of an environment",
  /** Container logs through the audited access path (--since/--tail only, never --follow). */
  logs: "an environment's recent logs, audited",
  /** The audit trail of a project, read-only. */
  audit: "read the project's audit trail (backups, drills, gates)",
  /** The project's Mattermost channel. */
  notify: "post to the project's channel",
} as const;
export type AuditedCommand = keyof typeof AUDITED_COMMANDS;

/** Control-plane RPC functions a workflow may POST to, under `<control plane>/rest/v1/rpc/`. */
export const AUDITED_RPCS = ["open_incident", "find_backup"] as const;

/** Flags a workflow may never pass: they turn a bounded read into a session or a write. */
export const FORBIDDEN_FLAGS = ["--follow", "-f", "--print", "--as"] as const;

/** n8n node types a workflow may use: triggers, control flow, our commands, RPC calls. */
export const ALLOWED_NODE_TYPES = [
  "n8n-nodes-base.scheduleTrigger",
  "n8n-nodes-base.executeCommand",
  "n8n-nodes-base.httpRequest",
  "n8n-nodes-base.code",
  "n8n-nodes-base.if",
  "n8n-nodes-base.splitInBatches",
] as const;

/** Where the control plane's API is, as an n8n expression: the URL comes from n8n's environment. */
export const CONTROL_PLANE_RPC_PREFIX = "={{ $env.ODOOOPS_CONTROL_PLANE_URL }}/rest/v1/rpc/";

/** Where the platform host keeps the workflows for `n8n import:workflow --separate`. */
export const N8N_WORKFLOW_DIR = "/home/node/odooops-workflows";

/** The one command that (re)imports every workflow into the running n8n, after the files are uploaded. */
export function n8nImportCommand(container: string): string {
  return `docker exec ${container} n8n import:workflow --separate --input=${N8N_WORKFLOW_DIR}`;
}

/** The workflow files the platform imports, as uploads for the n8n container (name → JSON text). */
export function workflowUploads(files: readonly { name: string; content: string }[]) {
  return files.map((f) => ({ file: `${N8N_WORKFLOW_DIR}/${f.name}`, content: f.content }));
}

/**
 * The problems of one executeCommand line of a workflow: only an audited odooops subcommand that the CLI
 * has, no shell around it, no forbidden flag, and nothing substituted but the project name (a DNS label).
 */
export function commandProblems(command: string, cliCommands: ReadonlySet<string>): string[] {
  const text = command.replace(/^=/, "");
  const expressions = [...text.matchAll(/\{\{(.*?)\}\}/g)].map((m) => m[1]!.trim());
  const literal = text.replace(/\{\{.*?\}\}/g, "X");
  const problems: string[] = [];
  if (expressions.some((e) => e !== "$json.project"))
    problems.push("only {{ $json.project }} may be substituted");
  if (/[;|&`$<>\\\n]/.test(literal)) problems.push("shell operators");
  const [program, sub, ...args] = literal.split(/\s+/);
  if (program !== "odooops") problems.push(`runs ${program}, not odooops`);
  if (!sub || !(sub in AUDITED_COMMANDS) || !cliCommands.has(sub))
    problems.push(`odooops ${sub} is not an audited command`);
  for (const flag of FORBIDDEN_FLAGS) if (args.includes(flag)) problems.push(`passes ${flag}`);
  return problems;
}
