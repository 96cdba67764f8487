import { readFileSync } from "node:fs";
import { NEUTRALIZE_MODULES, type NeutralizeModule } from "../../model/data/neutralize.ts";
import { PACKAGE_ROOT } from "../package-root.ts";

/**
 * The neutralize SQL files, one per Odoo module, split into statements. A statement's leading comment
 * says what it does; `-- requires: table.column, table` lists what must exist for it to run (a module
 * that is not installed, or another Odoo version), `-- unless:` what must not. `{{name}}` are parameters.
 */
export interface NeutralizeStatement {
  module: NeutralizeModule;
  description: string;
  requires: string[];
  unless: string[];
  sql: string;
}

const directive = (line: string, name: string) =>
  line.startsWith(`-- ${name}:`)
    ? line
        .slice(name.length + 4)
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

export function parseRuleFile(module: NeutralizeModule, text: string): NeutralizeStatement[] {
  const statements: NeutralizeStatement[] = [];
  let comments: string[] = [];
  let requires: string[] = [];
  let unless: string[] = [];
  let body: string[] = [];
  let dollarQuoted = false;
  for (const line of text.split("\n")) {
    if (body.length === 0) {
      if (line.trim() === "") {
        comments = [];
        requires = [];
        unless = [];
        continue;
      }
      const req = directive(line, "requires");
      const unl = directive(line, "unless");
      if (req) requires.push(...req);
      else if (unl) unless.push(...unl);
      else if (line.startsWith("--")) comments.push(line.replace(/^--\s?/, ""));
      if (line.startsWith("--")) continue;
    }
    body.push(line);
    if ((line.match(/\$\$/g)?.length ?? 0) % 2 === 1) dollarQuoted = !dollarQuoted;
    if (!dollarQuoted && line.trimEnd().endsWith(";")) {
      // The first comment line says what the statement does; the lines after it say why.
      statements.push({ module, description: comments[0] ?? "", requires, unless, sql: body.join("\n") });
      comments = [];
      requires = [];
      unless = [];
      body = [];
    }
  }
  if (body.length > 0) throw new Error(`agent/neutralize/${module}.sql ends inside a statement`);
  return statements;
}

export function neutralizeRules(): NeutralizeStatement[] {
  return NEUTRALIZE_MODULES.flatMap((module) =>
    parseRuleFile(module, readFileSync(new URL(`agent/neutralize/${module}.sql`, PACKAGE_ROOT), "utf8")),
  );
}
