import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dockerOk } from "../docker.ts";
import type { PlannedContainer } from "./plan-host.ts";

/**
 * How a host's plan is run on this machine's engine, every difference said once:
 * - images: each plan image is replaced by a local one (`images`), nothing else about the container is;
 * - network: the host's Docker network (a bridge, where containers find each other by name) cannot be
 *   created here, so every container runs with `--network host` and every name the plan uses to reach
 *   another container or the database cluster is mapped to 127.0.0.1 (`--add-host`);
 * - host paths: the plan's directories on the droplet (`paths` keys) live under a temporary directory;
 * - published ports: with host networking nothing is published; the proxy listens on the ports it is
 *   given (localCaddyfile) instead of 80/443.
 */
export interface LocalEngine {
  images: Record<string, string>;
  /** Names resolved to 127.0.0.1 inside every container and command. */
  hostNames: string[];
  /** Plan host path prefix → local directory. */
  paths: Record<string, string>;
  /** The plan's Docker network, replaced by the host network. */
  network: string;
}

export function localImage(engine: LocalEngine, image: string): string {
  const local = engine.images[image];
  if (!local) throw new Error(`no local image for the plan's ${image}: add it to the test's image map`);
  return local;
}

export function localPath(engine: LocalEngine, path: string): string {
  for (const [planned, local] of Object.entries(engine.paths))
    if (path === planned || path.startsWith(`${planned}/`)) return local + path.slice(planned.length);
  throw new Error(
    `the plan's host path ${path} has no local directory: add its prefix to the test's path map`,
  );
}

function networkArgs(engine: LocalEngine): string[] {
  return ["--network", "host", ...engine.hostNames.flatMap((name) => ["--add-host", `${name}:127.0.0.1`])];
}

/**
 * A remote command's script as it runs here: the same text with the plan's images, network and host paths
 * substituted as above (each occurrence, so nothing of the plan's is left pointing at the droplet).
 */
export function localScript(engine: LocalEngine, script: string): string {
  let out = script.replaceAll(`--network ${engine.network}`, networkArgs(engine).join(" "));
  for (const [planned, local] of Object.entries(engine.images)) out = out.replaceAll(planned, local);
  for (const [planned, local] of Object.entries(engine.paths)) out = out.replaceAll(planned, local);
  return out;
}

/**
 * Creates the container the way the docker provider does (create, upload the files, start), with this
 * machine's substitutions. Returns its name.
 */
export async function startPlannedContainer(
  engine: LocalEngine,
  spec: PlannedContainer,
  scratch: string,
): Promise<string> {
  for (const network of spec.networksAdvanced)
    if (network.name !== engine.network)
      throw new Error(`${spec.name} joins network ${network.name}, not the host's ${engine.network}`);
  // docker's --entrypoint takes one program; the provider's list continues as the command's head.
  const [entrypoint, ...entrypointArgs] = spec.entrypoints;
  await dockerOk([
    ...["create", "--name", spec.name, ...networkArgs(engine), "--restart", spec.restart],
    ...spec.envs.flatMap((env) => ["-e", env]),
    ...spec.labels.flatMap((l) => ["--label", `${l.label}=${l.value}`]),
    ...spec.volumes.flatMap((v) => ["-v", `${localPath(engine, v.hostPath)}:${v.containerPath}`]),
    ...(entrypoint ? ["--entrypoint", entrypoint] : []),
    localImage(engine, spec.image),
    ...entrypointArgs,
    ...spec.command,
  ]);
  for (const [i, upload] of spec.uploads.entries())
    await uploadInto(spec.name, upload, join(scratch, `${spec.name}-upload-${i}`));
  await dockerOk(["start", spec.name]);
  return spec.name;
}

export interface PlannedUpload {
  file: string;
  content: string;
  permissions?: string | undefined;
}

/**
 * One of the provider's uploads into a created container: owned by root (its archive names no owner),
 * with the mode `permissions` gives, else 0644. `local` is where the content is staged on this machine.
 */
export async function uploadInto(container: string, upload: PlannedUpload, local: string): Promise<void> {
  writeFileSync(local, upload.content);
  // Set after writing: the mode writeFileSync takes is narrowed by the umask.
  chmodSync(local, upload.permissions ? Number.parseInt(upload.permissions, 8) : 0o644);
  await dockerOk(["cp", local, `${container}:${upload.file}`]);
}

export interface CaddyPorts {
  http: number;
  https: number;
}

/**
 * The plan's Caddyfile for Debian's Caddy on this machine. Global options only add what the machine needs
 * (no admin API on the shared loopback, the local CA instead of an ACME CA nobody can reach, the given
 * ports instead of 80/443); `basic_auth` is spelled `basicauth` (its name before Caddy 2.8; bookworm has
 * 2.6.2); the mock runtime's fake bcrypt hash of the Mailpit password is replaced by a real one. The sites
 * themselves are the plan's.
 */
export function localCaddyfile(
  planned: string,
  ports: CaddyPorts,
  mailpit: { mockHash: string; realHash: string },
): string {
  if (!planned.startsWith("{\n"))
    throw new Error("the plan's Caddyfile does not open with a global options block");
  if (!planned.includes(mailpit.mockHash))
    throw new Error("the plan's Caddyfile has no Mailpit password hash");
  const globals = [
    "admin off",
    "local_certs",
    "skip_install_trust",
    `http_port ${ports.http}`,
    `https_port ${ports.https}`,
  ];
  return `{\n${globals.map((g) => `\t${g}\n`).join("")}${planned.slice(2)}`
    .replaceAll(/\bbasic_auth\b/g, "basicauth")
    .replace(mailpit.mockHash, () => mailpit.realHash);
}
