import { projectName } from "../input/schema/primitives.ts";
import { STAGES, type Stage } from "../stages.ts";
import { secretForm } from "./agent-control-plane.ts";

/**
 * Build keys: the credential an app repository's CI records its builds with (ops.record_build_with_key,
 * with Supabase's public anon key). Created by `odooops build-key create`, which shows the key once; the
 * prod stack keeps them as one Pulumi secret object keyed by project and stage, and the GitHub governance
 * component puts each into the app repository's environment of that stage (ODOOOPS_BUILD_KEY).
 */
export const BUILD_KEY_PREFIX = "odooops_bk_";
/** The prefix and 32 random bytes, base64url without padding (supabase/migrations *_build_keys.sql). */
export const BUILD_KEY_PATTERN = /^odooops_bk_[A-Za-z0-9_-]{43}$/;
/** A data agent's key (purpose agent): one project, one stage; records its backups and drills only. */
export const AGENT_KEY_PATTERN = /^odooops_ak_[A-Za-z0-9_-]{43}$/;

/** Config key (namespace odooops-app) of the build keys: `{ <project>: { <stage>: <key> } }`. */
export const BUILD_KEYS_CONFIG = "buildKeys";
const FULL_KEY = `odooops-app:${BUILD_KEYS_CONFIG}`;

/** The value the service-role key used to be given to app repositories under; never read any more. */
export const RETIRED_APP_CONFIG = "controlPlaneKey";

export type BuildKeys = Partial<Record<string, Partial<Record<Stage, string>>>>;

/** How to store the key of one project and stage: Pulumi prompts for the value, so it stays out of argv. */
export function storeBuildKeyCommand(project: string, stage: string): string {
  return `pulumi config set --stack prod --secret --path '${FULL_KEY}.${project}.${stage}'`;
}

function createHint(project: string, stage: string): string {
  return `create one with odooops build-key create ${project} --stage ${stage}, then ${storeBuildKeyCommand(project, stage)}`;
}

/**
 * The decrypted config value as the program reads it. Problems name the place and the fix and never quote
 * a value: a mistyped key is still a credential.
 */
export function parseBuildKeys(raw: unknown): { keys: BuildKeys; problems: string[] } {
  if (raw === undefined || raw === null) return { keys: {}, problems: [] };
  if (typeof raw !== "object" || Array.isArray(raw))
    return {
      keys: {},
      problems: [`${FULL_KEY} must map project names to { <stage>: <build key> }`],
    };
  const keys: BuildKeys = {};
  const problems: string[] = [];
  for (const [project, stages] of Object.entries(raw)) {
    const where = `${FULL_KEY}.${project}`;
    if (!projectName.safeParse(project).success) {
      problems.push(`${where}: "${project}" is not a project name`);
      continue;
    }
    if (typeof stages !== "object" || stages === null || Array.isArray(stages)) {
      problems.push(`${where} must map stages (${STAGES.join(", ")}) to build keys`);
      continue;
    }
    const perStage: Partial<Record<Stage, string>> = {};
    for (const [stage, key] of Object.entries(stages as Record<string, unknown>)) {
      if (!(STAGES as readonly string[]).includes(stage)) {
        problems.push(`${where}.${stage}: unknown stage; one of ${STAGES.join(", ")}`);
        continue;
      }
      const trimmed = typeof key === "string" ? key.trim() : undefined;
      if (trimmed === undefined || !BUILD_KEY_PATTERN.test(trimmed)) {
        problems.push(
          `${where}.${stage} is not a build key (${BUILD_KEY_PREFIX}…): ${createHint(project, stage)}`,
        );
        continue;
      }
      perStage[stage as Stage] = trimmed;
    }
    keys[project] = perStage;
  }
  return { keys, problems };
}

/**
 * What is wrong with the app-repo credentials in a stack file (`odooops-app:*` as written in Git): the
 * build keys must be Pulumi secrets — the whole object, or every project's stage value set with
 * `--secret --path` — and the retired service-role entry must be gone. By config key, for locating.
 */
export function appCredentialProblems(config: Record<string, unknown>): { key: string; message: string }[] {
  const problems: { key: string; message: string }[] = [];
  const value = config[FULL_KEY];
  if (value !== undefined && !isSecretTree(value))
    problems.push({
      key: FULL_KEY,
      message:
        "must hold Pulumi secrets only, never plain text in the stack file (it ends up in Git): " +
        `${storeBuildKeyCommand("<project>", "<stage>")} and paste the key at its prompt`,
    });
  if (config[`odooops-app:${RETIRED_APP_CONFIG}`] !== undefined)
    problems.push({
      key: `odooops-app:${RETIRED_APP_CONFIG}`,
      message:
        "is no longer given to app repositories (a service-role key bypasses every rule of the control plane): " +
        `remove it (pulumi config rm odooops-app:${RETIRED_APP_CONFIG}), set odooops-app:controlPlaneAnonKey and ` +
        `${FULL_KEY}, and rotate the service-role key`,
    });
  return problems;
}

/** A secret as a whole, or an object whose every leaf is one (what `--secret --path` writes). */
function isSecretTree(value: unknown): boolean {
  if (secretForm(value) === "secret") return true;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(isSecretTree);
}
