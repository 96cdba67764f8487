import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import {
  checkCompliance,
  gitmodulePaths,
  type SourceFile,
} from "../../../model/governance/oca-compliance.ts";
import type { CommandContext } from "../../context.ts";
import { formatOption, jsonAlias } from "../../format.ts";
import { EXIT, UsageError } from "../../io.ts";

const prefixSchema = z
  .string()
  .regex(/^[a-z][a-z0-9]*_$/, { error: "must be lowercase letters/digits ending in _, e.g. ipai_" });
/** Directories that hold no addon code of the repository. */
const SKIPPED = new Set([".git", "node_modules", "__pycache__", ".venv"]);
/** A source file larger than this is data, not a module file. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Manifests and Python files under `root`, with paths relative to it. */
function sourceFiles(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !SKIPPED.has(entry.name)) walk(path);
      else if (entry.isFile() && entry.name.endsWith(".py") && statSync(path).size <= MAX_FILE_BYTES)
        files.push({ path: relative(root, path).split(sep).join("/"), text: readFileSync(path, "utf8") });
    }
  };
  walk(root);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** `odooops oca check <dir>`: the app repository holds no Enterprise code and prefixes its own modules. */
export function registerOca(program: Command, context: CommandContext): void {
  const oca = program.command("oca").description("OCA compliance of an app repository");
  oca
    .command("check")
    .description("Refuse Odoo Enterprise modules or code, and custom modules without the project's prefix")
    .argument("<dir>", "the app repository's checkout")
    .option("--prefix <prefix>", "prefix of the repository's own modules", "ipai_")
    .addOption(formatOption())
    .addOption(jsonAlias())
    .action((dir: string, options: { prefix: string; format: string }) => {
      const prefix = prefixSchema.safeParse(options.prefix);
      if (!prefix.success)
        throw new UsageError(`--prefix "${options.prefix}" ${prefix.error.issues[0]!.message}`);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir} is not a directory`);
      const gitmodules = join(dir, ".gitmodules");
      const vendored = existsSync(gitmodules) ? gitmodulePaths(readFileSync(gitmodules, "utf8")) : [];
      const findings = checkCompliance(sourceFiles(dir), { prefix: prefix.data, vendored });
      if (options.format === "json") context.io.out(JSON.stringify({ findings }, null, 2));
      else if (findings.length === 0)
        context.io.out(`${dir}: CE + OCA only, custom modules under ${prefix.data}`);
      else
        for (const f of findings)
          context.io.out(`${join(dir, f.path)}:${f.line}:${f.col} ${f.rule}: ${f.message}`);
      if (findings.length > 0) context.exit.code = EXIT.violations;
    });
}
