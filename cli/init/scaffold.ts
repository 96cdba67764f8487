import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { domainName } from "../../model/schema/primitives.ts";
import { UsageError } from "../io.ts";

/** This package's own checkout: the templates a new platform repo starts from. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Copied as they are: the Pulumi project, the schema and README of projects/, the platform workflows. */
const VERBATIM = ["Pulumi.yaml", "projects/schema.json", "projects/README.md"];
const STACK_FILES = ["Pulumi.staging.yaml", "Pulumi.prod.yaml"];
const WORKFLOWS = ".github/workflows";
const GITIGNORE = [
  "node_modules/",
  "*.log",
  ".tmp/",
  ".odooops/",
  "plan.md",
  "plan-full.md",
  "plan-errors.txt",
  "",
];

/**
 * `odooops init <dir> --domain <d>`: a platform repository for a new organisation, with no project in
 * it. Refuses a non-empty target, so an existing repository is never overwritten or half-mixed.
 * Returns the files written, relative to `target`.
 */
export function scaffoldPlatformRepo(target: string, domain: string): string[] {
  const parsed = domainName.safeParse(domain);
  if (!parsed.success)
    throw new UsageError(`--domain "${domain}": ${parsed.error.issues[0]?.message ?? "not a DNS name"}`);
  if (existsSync(target) && readdirSync(target).length > 0)
    throw new UsageError(`${target} is not empty; odooops init writes only into a new or empty directory`);
  const written: string[] = [];
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(target, path)), { recursive: true });
    writeFileSync(join(target, path), text);
    written.push(path);
  };
  for (const path of VERBATIM) write(path, readFileSync(join(PACKAGE_ROOT, path), "utf8"));
  // The stack files with this organisation's domain; everything else is a documented default to edit.
  for (const path of STACK_FILES)
    write(
      path,
      readFileSync(join(PACKAGE_ROOT, path), "utf8").replace(
        /^(\s*odooops:platformDomain:).*$/m,
        `$1 ${parsed.data}`,
      ),
    );
  for (const name of readdirSync(join(PACKAGE_ROOT, WORKFLOWS)).filter((n) => /\.ya?ml$/.test(n))) {
    mkdirSync(join(target, WORKFLOWS), { recursive: true });
    copyFileSync(join(PACKAGE_ROOT, WORKFLOWS, name), join(target, WORKFLOWS, name));
    written.push(`${WORKFLOWS}/${name}`);
  }
  write(".gitignore", GITIGNORE.join("\n"));
  return written;
}
