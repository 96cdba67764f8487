import { describeCandidate } from "./candidate.ts";
import { formatSize, type UpgradeReport } from "./report.ts";

/** The upgrade report as Markdown (a PR comment, the release's evidence page). */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function renderUpgradeMarkdown(r: UpgradeReport): string {
  const lines = [
    `# Upgrade preview: ${r.project}`,
    "",
    `**${describeCandidate(r.candidate)}** — verdict: **${r.verdict}**`,
    "",
    "| | |",
    "|---|---|",
    `| started | ${r.startedAt} |`,
    `| duration | ${seconds(r.durationMs)} |`,
    `| copy of production | ${cell(r.clone.database)} (${r.clone.masked ? "masked" : "NOT masked"}, ${r.clone.neutralized ? "neutralized" : "NOT neutralized"}) |`,
    `| database size | ${formatSize(r.sizeBefore)} → ${formatSize(r.sizeAfter)} (${formatSize(r.sizeChange)}) |`,
    `| migration log | ${r.log.errors.length} error(s), ${r.log.warnings.length} warning(s), ${r.log.steps.length} migration script(s) run |`,
    "",
    "## Steps a person must take",
    "",
    ...(r.actions.length > 0 ? r.actions.map((a, i) => `${i + 1}. ${a}`) : ["None."]),
    "",
    "## Runs",
    "",
    "| run | result | time | detail |",
    "|---|---|---|---|",
    ...[...r.runs, ...(r.tests ? [r.tests] : []), ...(r.smoke ? [r.smoke] : [])].map(
      (c) => `| ${cell(c.name)} | ${c.ok ? "ok" : "FAILED"} | ${seconds(c.durationMs)} | ${cell(c.detail)} |`,
    ),
    "",
    `## Modules without a port (OCA branches read ${r.portsReadAt})`,
    "",
    ...(r.withoutPort.length > 0
      ? [
          "| module | origin | detail |",
          "|---|---|---|",
          ...r.withoutPort.map((m) => `| ${m.module} | ${m.origin} | ${cell(m.detail)} |`),
        ]
      : ["None."]),
    "",
    "## Migration errors",
    "",
    ...(r.log.errors.length > 0
      ? r.log.errors.map(
          (e) =>
            `- \`${cell(e.logger)}\`${e.module ? ` (${e.module})` : ""}: ${cell(e.message)}${e.traceback.length > 0 ? ` — ${cell(e.traceback.at(-1)!)}` : ""}`,
        )
      : ["None."]),
    "",
    "## Migration warnings",
    "",
    ...(r.log.warnings.length > 0
      ? r.log.warnings.map((e) => `- \`${cell(e.logger)}\`: ${cell(e.message)}`)
      : ["None."]),
    "",
  ];
  return lines.join("\n");
}
