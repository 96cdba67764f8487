import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * GitHub ids of the example projects' people and teams: the explicit login → id map the README's
 * walk-through passes as `--identities examples/identities.example.json`.
 */
export const IDENTITIES_FILE = "examples/identities.example.json";

/** A platform repo in a temporary directory: projects/ with the example files and an identities file. */
export function platformRepo(files = ["acme-erp.yaml", "hello.yaml"]) {
  const root = mkdtempSync(join(tmpdir(), "odooops-sync-"));
  const projects = join(root, "projects");
  const identities = join(root, "identities.json");
  copyFileSync(IDENTITIES_FILE, identities);
  mkdirSync(projects);
  for (const file of files) copyFileSync(join("examples/projects", file), join(projects, file));
  return {
    root,
    projects,
    identities,
    /** Rewrites a project file with `edit` applied to its text. */
    edit(file: string, edit: (text: string) => string) {
      const path = join(projects, file);
      writeFileSync(path, edit(readFileSync(path, "utf8")));
    },
    /** `odooops control-plane sync` of these files with the identities map, as of `commit`. */
    syncArgs: (commit: string) =>
      [
        "control-plane",
        "sync",
        "--projects",
        projects,
        "--identities",
        identities,
        "--commit",
        commit,
      ] as const,
    writeIdentities(map: unknown) {
      writeFileSync(identities, JSON.stringify(map));
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * The CLI reaches exactly this database as the service role: no Supabase, acting member, GitHub token
 * or Actions variables inherited from the shell. Returns the function that restores the environment.
 */
export function useControlPlaneEnv(url: string): () => void {
  const saved = { ...process.env };
  for (const key of [
    "SUPABASE_URL",
    "SUPABASE_KEY",
    "SUPABASE_SERVICE_ROLE_KEY",
    "SUPABASE_ACCESS_TOKEN",
    "ODOOOPS_ACTOR",
    "GITHUB_TOKEN",
    "GITHUB_SHA",
    "GITHUB_RUN_ID",
  ])
    delete process.env[key];
  process.env.ODOOOPS_CONTROL_PLANE_URL = url;
  return () => {
    process.env = saved;
  };
}
