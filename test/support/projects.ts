import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The example projects and catalog (examples/, out of the deploy path; projects/ of this repo is empty). */
export const EXAMPLE_PROJECTS = ["--projects", "examples/projects"] as const;
export const EXAMPLE_CATALOG = "examples/catalog.example.json";

export const DIGEST = `sha256:${"ab".repeat(32)}`;

/** The smallest valid project text, with one line per field so positions in tests are easy to read. */
export function minimalYaml(name = "acme"): string {
  return [
    `name: ${name}`,
    `repo: acme/${name}`,
    "environments:",
    "  production:",
    `    image: ghcr.io/acme/${name}@${DIGEST}`,
    "",
  ].join("\n");
}

/** Writes files into a fresh temporary `projects/` directory and returns their paths. */
export function writeProjects(files: Record<string, string>): { dir: string; paths: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "odooops-projects-"));
  const paths = Object.entries(files).map(([name, text]) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  });
  return { dir, paths };
}
