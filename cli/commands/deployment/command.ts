import type { Command } from "commander";
import { z } from "zod";
import { projectName } from "../../../model/input/schema/primitives.ts";
import type { CommandContext } from "../../context.ts";
import {
  parseInput,
  runWithControlPlane,
  type SessionOptions,
  withSessionOptions,
} from "../control-plane/session.ts";

const image = z.string().regex(/^[a-z0-9][a-z0-9._:/-]{0,250}@sha256:[a-f0-9]{64}$/, {
  error: "must be an image pinned by digest (…@sha256:<64 hex>)",
});
const commit = z.string().regex(/^[0-9a-f]{7,40}$/, { error: "must be a Git commit id (7–40 hex digits)" });
const runUrl = z.url({ protocol: /^https$/, error: "must be an https:// URL" }).max(500);

interface RecordOptions extends SessionOptions {
  image: string;
  commit?: string;
  runUrl?: string;
}

/** `odooops deployment record`: what the deploy workflow runs after `pulumi up`, per environment. */
export function registerDeployment(program: Command, context: CommandContext): void {
  const deployment = program.command("deployment").description("Deployments recorded in the control plane");
  withSessionOptions(
    deployment
      .command("record")
      .description("Record that an environment now runs an image (the deploy workflow, after pulumi up)")
      .argument("<project>", "project name")
      .argument("<branch>", "branch of the environment")
      .requiredOption("--image <image>", "the image the environment runs, pinned by digest")
      .option("--commit <sha>", "platform commit deployed (default: GITHUB_SHA)")
      .option("--run-url <url>", "the workflow run (default: GitHub Actions' run URL)"),
  ).action(async (project: string, branch: string, o: RecordOptions) => {
    const {
      GITHUB_SERVER_URL: server,
      GITHUB_REPOSITORY: repo,
      GITHUB_RUN_ID: run,
      GITHUB_SHA: sha,
    } = process.env;
    const input = {
      project: parseInput(projectName, project, "project"),
      branch: parseInput(z.string().min(1).max(255), branch, "branch"),
      image: parseInput(image, o.image, "--image"),
      commit: parseInput(commit, o.commit ?? sha, "--commit"),
      runUrl: parseInput(
        runUrl,
        o.runUrl ?? (server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined),
        "--run-url",
      ),
    };
    await runWithControlPlane(
      context,
      o,
      (cp) => cp.recordDeploymentRun(input),
      (d) =>
        d.recorded
          ? `recorded deployment of ${d.build}${d.release ? ` (release ${d.release})` : ""} to ${d.project} ${d.branch} (${d.stage}) by ${d.deployedBy}`
          : `${d.project} ${d.branch} already runs ${d.build}; nothing recorded`,
    );
  });

  withSessionOptions(
    deployment
      .command("pending")
      .description(
        "Staging and preview builds not deployed yet (the scheduled reconcile runs pulumi up when any)",
      ),
  ).action((o: SessionOptions) =>
    runWithControlPlane(
      context,
      o,
      (cp) => cp.pendingBuilds(),
      (list) =>
        list.length === 0
          ? "nothing pending"
          : list
              .map((b) => `${b.project} ${b.branch} (${b.stage}): build ${b.build} not deployed`)
              .join("\n"),
    ),
  );
}
