import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Where the tests' real Docker engine comes from, said in every failure that is about the engine. */
const SETUP = "run scripts/ensure-docker.sh (installs Docker and the local base images, starts dockerd)";

export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `docker …` with its exit code; `env` is the docker CLI's environment (values for `-e NAME`). */
export async function docker(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<DockerResult> {
  try {
    const { stdout, stderr } = await run("docker", args, { env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number")
      throw new Error(`docker could not be started (${failed.code}): ${SETUP}`);
    return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

/** Like docker(), but a non-zero exit is an error naming the command and what docker said. */
export async function dockerOk(args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const result = await docker(args, env);
  if (result.code !== 0)
    throw new Error(`docker ${args.join(" ")} exited ${result.code}: ${result.stderr.trim().slice(-2000)}`);
  return result.stdout;
}

/** These tests never skip: no engine is a failure that says how to get one. */
export async function requireDocker(): Promise<void> {
  const info = await docker(["info", "--format", "{{.ServerVersion}}"]);
  if (info.code !== 0) throw new Error(`no Docker engine answers (${info.stderr.trim()}): ${SETUP}`);
}

export async function imageExists(reference: string): Promise<boolean> {
  return (await docker(["image", "inspect", reference])).code === 0;
}

/** Debian's docker.io CLI, whose built-in BuildKit client needs no buildx plugin. */
export const BUILDKIT_DOCKER = "/usr/bin/docker";

/** Local stand-ins for the Dockerfile's pinned bases, made by scripts/ensure-docker.sh. */
export const LOCAL_BASES = { BASE_IMAGE: "local/debian:bookworm", NODE_IMAGE: "local/node:20-bookworm" };

/**
 * The agent image under test: ODOOOPS_AGENT_IMAGE when set (the release workflow's pushed digest), else
 * built here from the repository's Dockerfile on the local bases (the build cache makes a rebuild of
 * unchanged sources quick).
 */
export async function agentImageUnderTest(): Promise<string> {
  const given = process.env.ODOOOPS_AGENT_IMAGE;
  if (given) {
    if (!(await imageExists(given)))
      throw new Error(`ODOOOPS_AGENT_IMAGE ${given} is not on this engine: pull it`);
    return given;
  }
  for (const base of Object.values(LOCAL_BASES))
    if (!(await imageExists(base))) throw new Error(`the local base image ${base} is missing: ${SETUP}`);
  const tag = "odooops-agent:under-test";
  const buildArgs = Object.entries(LOCAL_BASES).flatMap(([name, image]) => [
    "--build-arg",
    `${name}=${image}`,
  ]);
  // BuildKit (the engine's own, through Debian's docker CLI): metadata steps add no layer, which on the vfs
  // storage driver is a whole copy of the image each.
  await run(BUILDKIT_DOCKER, ["build", "--quiet", "--network", "host", ...buildArgs, "--tag", tag, "."], {
    env: { ...process.env, DOCKER_BUILDKIT: "1" },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stderr?: string }) => {
    throw new Error(
      `the agent image did not build from ./Dockerfile: ${(error.stderr ?? String(error)).trim().slice(-3000)}`,
    );
  });
  return tag;
}
