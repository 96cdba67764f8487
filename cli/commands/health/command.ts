import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { z } from "zod";
import type { ControlPlane } from "../../../controlplane/types.ts";
import { projectName } from "../../../model/input/schema/primitives.ts";
import type { CommandContext } from "../../context.ts";
import { EXIT, UsageError } from "../../io.ts";
import {
  parseInput,
  type SessionOptions,
  withControlPlane,
  withSessionOptions,
} from "../control-plane/session.ts";
import { releaseName } from "../release/command.ts";
import { checkHealth, type HealthCheck } from "./check.ts";
import { environmentUrlFromFiles } from "./target.ts";

const httpsUrl = z.url({ protocol: /^https$/, error: "must be an https:// URL" });
const branchName = z.string().min(1).max(255);

interface HealthOptions extends SessionOptions {
  url?: string;
  root: string;
  expectImage?: string;
  ca?: string;
  logs?: string;
  release?: string;
  evidenceUri?: string;
}

function readOption(file: string, option: string): string {
  try {
    return readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (error) {
    throw new UsageError(`${option} ${file}: ${(error as Error).message}`);
  }
}

/** The workflow run (GitHub Actions' own variables) when there is one, else the checked URL. */
function evidenceUri(given: string | undefined, checked: string): string {
  if (given) return parseInput(httpsUrl, given, "--evidence-uri");
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = process.env;
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : checked;
}

function rollbackAdvice(project: string, branch: string, production: boolean): string {
  return production
    ? `roll back: odooops rollback ${project}   (pins the previous production image; merge the PR it prepares)`
    : `roll back: redeploy the previous build of ${branch} (the app repository's CI), or push a fix`;
}

async function afterCheck(
  cp: ControlPlane,
  checks: HealthCheck[],
  o: HealthOptions,
  ref: { project: string; branch: string },
  release: string | undefined,
) {
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0) {
    const incident = await cp.openIncident({
      ...ref,
      summary: `post-deploy health check failed: ${failed.map((c) => c.name).join(", ")}`,
      details: { url: o.url, checks },
    });
    return { failed, incident, stage: incident.stage };
  }
  if (release)
    await cp.attachEvidence({
      project: ref.project,
      release,
      gate: "G4",
      evidence: {
        kind: "health_checks",
        uri: evidenceUri(o.evidenceUri, new URL("/web/health", o.url).href),
        summary: checks
          .map((c) => `${c.name}: ${c.detail}`)
          .join("; ")
          .slice(0, 2000),
      },
    });
  return { failed, incident: undefined, stage: undefined };
}

export function registerHealth(program: Command, context: CommandContext): void {
  withSessionOptions(
    program
      .command("health")
      .description(
        "Post-deploy health check: /web/health over verified TLS, the expected build, a clean log; G4 evidence or an incident",
      )
      .argument("<project>", "project name")
      .argument("<branch>", "branch of the environment")
      .option("--url <https-url>", "the environment's base URL (default: from the project and stack files)")
      .option("--root <dir>", "directory with projects/ and the stack files", ".")
      .option(
        "--release <release>",
        "attach the result as G4 health_checks evidence of this release (and expect its image)",
      )
      .option("--expect-image <image>", "the image (or sha256:digest) that must be running")
      .option("--ca <pem-file>", "trust this CA instead of the system's")
      .option("--logs <file>", "Odoo's log since the deployment ('-': standard input)")
      .option("--evidence-uri <https-url>", "where the evidence lives (default: this workflow run)"),
  ).action(async (project: string, branch: string, o: HealthOptions) => {
    const ref = {
      project: parseInput(projectName, project, "project"),
      branch: parseInput(branchName, branch, "branch"),
    };
    const url = parseInput(
      httpsUrl,
      o.url ?? environmentUrlFromFiles(o.root, ref.project, ref.branch),
      "--url",
    );
    const release = o.release === undefined ? undefined : parseInput(releaseName, o.release, "--release");
    const ca = o.ca === undefined ? undefined : readOption(o.ca, "--ca");
    const logs = o.logs === undefined ? undefined : readOption(o.logs, "--logs");
    const done = await withControlPlane(context, o, async (cp) => {
      const expectImage =
        o.expectImage ??
        (release ? (await cp.releaseStatus({ project: ref.project, release })).build.image : undefined);
      const checks = await checkHealth({ url, expectImage, ca, logs });
      return { checks, ...(await afterCheck(cp, checks, { ...o, url }, ref, release)) };
    });
    if (!done) return;
    const { checks, failed, incident, stage } = done.result;
    for (const c of checks) context.io.out(`${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`);
    if (incident) {
      context.io.err(
        `odooops: health check of ${ref.project} ${ref.branch} failed; incident ${incident.id} opened`,
      );
      context.io.err(rollbackAdvice(ref.project, ref.branch, stage === "production"));
      context.exit.code = EXIT.violations;
      return;
    }
    context.io.out(
      release
        ? `healthy; G4 health_checks evidence attached to ${release}; next: odooops gate sign ${ref.project} ${release} G4`
        : "healthy",
    );
    context.exit.code = failed.length === 0 ? EXIT.ok : EXIT.violations;
  });
}
