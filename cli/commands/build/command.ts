import type { Command } from "commander";
import { z } from "zod";
import type { BuildRecord } from "../../../controlplane/records.ts";
import { projectName } from "../../../model/input/schema/primitives.ts";
import { STAGES } from "../../../model/stages.ts";
import type { CommandContext } from "../../context.ts";
import { EXIT } from "../../io.ts";
import {
  parseInput,
  type SessionOptions,
  withControlPlane,
  withSessionOptions,
} from "../control-plane/session.ts";

// As ops.builds.name allows.
const buildId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, {
  error: "must be CI's build id (up to 31 lower-case letters, digits and -), e.g. b-1042",
});
const image = z.string().regex(/^[a-z0-9][a-z0-9._:/-]{0,250}@sha256:[a-f0-9]{64}$/, {
  error: "must be an image pinned by digest (…@sha256:<64 hex>)",
});
const commit = z.string().regex(/^[0-9a-f]{7,40}$/, { error: "must be a Git commit id (7–40 hex digits)" });
const https = z.url({ protocol: /^https$/, error: "must be an https:// URL" }).max(500);
const check = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}=(success|failure|pending)$/, {
  error: "must be <status check>=success|failure|pending, e.g. odooops/build=success",
});

interface RecordOptions extends SessionOptions {
  stage: string;
  build: string;
  image: string;
  commit: string;
  check: string[];
  author?: string;
  logUri?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function render(b: BuildRecord): string {
  const checks = Object.entries(b.checks).map(([name, state]) => `${name}=${state}`);
  return [
    `recorded build ${b.id} of ${b.project} ${b.branch} (${b.stage}): ${b.image}`,
    `checks: ${checks.length > 0 ? checks.join(", ") : "none"}; G1 evidence: ${b.g1Evidence.join(", ") || "none"}`,
  ].join("\n");
}

/**
 * `odooops build record`: what an app repository's CI does after a green build (app-build.yml). With
 * ODOOOPS_BUILD_KEY set it records as that key does (anon role, the key's project and stage only);
 * without it, as the service role of the configured connection.
 */
export function registerBuild(program: Command, context: CommandContext): void {
  const build = program.command("build").description("Builds of app repositories in the control plane");
  withSessionOptions(
    build
      .command("record")
      .description("Record a tested image of a branch (the app repository's CI; ODOOOPS_BUILD_KEY if set)")
      .argument("<project>", "project name")
      .argument("<branch>", "branch the image was built from")
      .requiredOption("--stage <stage>", `the branch's stage by the project's rules (${STAGES.join(", ")})`)
      .requiredOption("--build <id>", "CI's build id, e.g. b-1042")
      .requiredOption("--image <image>", "the tested image, pinned by digest")
      .requiredOption("--commit <sha>", "app repository commit the image was built from")
      .option("--check <name=state>", "a G1 status check and its result; repeat", collect, [])
      .option("--author <github-login>", "who pushed the commit (separation of duties)")
      .option("--log-uri <https-url>", "the build's log (G1 build_log evidence)"),
  ).action(async (project: string, branch: string, o: RecordOptions) => {
    const input = {
      project: parseInput(projectName, project, "project"),
      branch: parseInput(z.string().min(1).max(255), branch, "branch"),
      stage: parseInput(z.enum(STAGES, { error: `must be ${STAGES.join(", ")}` }), o.stage, "--stage"),
      build: parseInput(buildId, o.build, "--build"),
      image: parseInput(image, o.image, "--image"),
      commit: parseInput(commit, o.commit, "--commit"),
      checks: Object.fromEntries(
        o.check.map((c) => {
          const [name, state] = parseInput(check, c, "--check").split("=") as [string, string];
          return [name, state as "success" | "failure" | "pending"];
        }),
      ),
      author: o.author,
      logUri: o.logUri === undefined ? undefined : parseInput(https, o.logUri, "--log-uri"),
    };
    const key = process.env.ODOOOPS_BUILD_KEY || undefined;
    const done = await withControlPlane(
      context,
      o,
      (cp) => (key ? cp.recordBuildWithKey({ ...input, key }) : cp.recordBuild(input)),
      key !== undefined,
    );
    if (!done) return;
    context.io.out(o.json ? JSON.stringify(done.result, null, 2) : render(done.result));
    context.exit.code = EXIT.ok;
  });
}
