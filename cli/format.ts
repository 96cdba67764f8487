import { type Command, Option } from "commander";

/**
 * One output convention for every command that prints results: `--format text|json` (plus formats of
 * its own, e.g. markdown), with `--json` kept as an alias of `--format json`. Commands read either
 * `options.format` or `options.json`; `unifyFormatFlags` keeps the two in step.
 * Usage: `.addOption(formatOption([...])).addOption(jsonAlias())`.
 */
export function formatOption(formats: readonly string[] = ["text", "json"]): Option {
  return new Option("--format <format>", "output format").choices(formats).default("text");
}

export function jsonAlias(): Option {
  return new Option("--json", "the same as --format json");
}

const hasOption = (command: Command, name: string) =>
  command.options.some((option) => option.attributeName() === name);

/** Before any action runs: `--json` means `--format json`, and `--format json` sets `json`. */
export function unifyFormatFlags(program: Command): void {
  program.hook("preAction", (_program, action) => {
    const options = action.opts<{ format?: string; json?: boolean }>();
    if (options.json && hasOption(action, "format")) action.setOptionValue("format", "json");
    if (options.format === "json" && hasOption(action, "json")) action.setOptionValue("json", true);
  });
}
