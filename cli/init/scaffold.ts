import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { PACKAGE_ROOT as PACKAGE_URL } from "../../agent/package-root.ts";
import { domainName } from "../../model/input/schema/primitives.ts";
import { UsageError } from "../io.ts";
import {
  PLATFORM_WORKFLOWS,
  platformSetupAction,
  platformWorkflow,
  SETUP_ACTION,
  WORKFLOWS_DIR,
} from "./workflows.ts";

/** This package's own checkout: the templates a new platform repo starts from (right from dist/ too). */
const PACKAGE_ROOT = fileURLToPath(PACKAGE_URL);

/** Copied as they are: the Pulumi project, the schema and README of projects/. */
const VERBATIM = ["Pulumi.yaml", "projects/schema.json", "projects/README.md"];
const STACK_FILES = ["Pulumi.staging.yaml", "Pulumi.prod.yaml"];
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

/** The module Pulumi.yaml's `main` names: the odooops program from the pinned package, and its outputs. */
export const PROGRAM_ENTRY = `// The odooops Pulumi program, from the odooops package pinned in package.json: this repository holds
// only data (projects/*.yaml, the stack files). Its stack outputs (deployed, production, …) are the
// program's, re-exported so the deploy workflow reads them as in odooops itself.
export * from "odooops/index.ts";
`;

/** Where Pulumi starts the program: Pulumi.yaml's `main`, the one place that names it. */
export function programFile(pulumiYaml: string): string {
  const main = (parse(pulumiYaml) as { main?: unknown } | null)?.main;
  if (typeof main !== "string" || !/\.ts$/.test(main))
    throw new Error("Pulumi.yaml of odooops must name its TypeScript program as main");
  return main;
}

interface PackageJson {
  name: string;
  version: string;
  dependencies: Record<string, string>;
}

/** An npm name from the directory's: lower case, URL-safe, never empty. */
function packageName(target: string): string {
  const name = basename(resolve(target))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+|[._-]+$/g, "");
  return name.slice(0, 214) || "odooops-platform";
}

/**
 * The platform repo's package.json: this odooops at its exact version (the program and CLI the repo was
 * made with; upgrading is a reviewed change of one line), plus what Pulumi's Node.js runtime loads from the
 * repo itself — @pulumi/pulumi and tsx (Pulumi.yaml's `nodeargs: --import tsx`) — at odooops' own ranges.
 */
export function platformPackageJson(target: string, odooops: PackageJson): string {
  const own = (name: string) => {
    const range = odooops.dependencies[name];
    if (!range) throw new Error(`package.json of odooops has no dependency ${name}`);
    return range;
  };
  const manifest = {
    name: packageName(target),
    private: true,
    type: "module",
    scripts: { odooops: "odooops", validate: "odooops validate", plan: "odooops plan" },
    dependencies: {
      "@pulumi/pulumi": own("@pulumi/pulumi"),
      odooops: odooops.version,
      tsx: own("tsx"),
    },
    engines: { node: ">=20.6" },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

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
  // The platform workflows and their setup action, from odooops' own (cli/init/workflows.ts says what differs).
  for (const name of PLATFORM_WORKFLOWS) {
    const path = `${WORKFLOWS_DIR}/${name}`;
    write(path, platformWorkflow(name, readFileSync(join(PACKAGE_ROOT, path), "utf8")));
  }
  write(SETUP_ACTION, platformSetupAction(readFileSync(join(PACKAGE_ROOT, SETUP_ACTION), "utf8")));
  const own = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as PackageJson;
  write("package.json", platformPackageJson(target, own));
  write(programFile(readFileSync(join(PACKAGE_ROOT, "Pulumi.yaml"), "utf8")), PROGRAM_ENTRY);
  write(".gitignore", GITIGNORE.join("\n"));
  return written;
}
