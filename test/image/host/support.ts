import { execFile } from "node:child_process";
import { request as httpsRequest } from "node:https";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { BUILDKIT_DOCKER, docker, dockerOk, LOCAL_BASES } from "../docker.ts";

/** Helpers of the host bring-up test (test/image/host-bringup.test.ts). */

/** Builds test/image/host/<dockerfile> on the local bases (scripts/ensure-docker.sh). */
export async function buildLocalImage(dockerfile: string, tag: string): Promise<void> {
  const args = Object.entries(LOCAL_BASES).flatMap(([name, image]) => ["--build-arg", `${name}=${image}`]);
  const build = ["build", "--quiet", "--network", "host", ...args, "-f", `test/image/host/${dockerfile}`];
  await new Promise<void>((resolve, reject) =>
    execFile(
      BUILDKIT_DOCKER,
      [...build, "-t", tag, "test/image/host"],
      { env: { ...process.env, DOCKER_BUILDKIT: "1" }, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) =>
        error
          ? reject(
              new Error(`local image ${tag} did not build from ${dockerfile}: ${stderr.trim().slice(-2000)}`),
            )
          : resolve(),
    ),
  );
}

export async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
      .once("error", () => resolve(false))
      .listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** HTTPS to 127.0.0.1:`port` for `servername` (SNI and Host), verified against `ca`. */
export function proxyRequest(
  to: { port: number; ca: string },
  servername: string,
  path: string,
  auth?: string,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: "127.0.0.1",
        port: to.port,
        servername,
        path,
        ca: to.ca,
        headers: { host: servername },
        ...(auth ? { auth } : {}),
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (c: string) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on("error", reject).end();
  });
}

export async function logsOf(name: string): Promise<string> {
  const { stdout, stderr } = await docker(["logs", name]);
  return stdout + stderr;
}

/** The Odoo stand-in's record of how it was started: the first JSON line it printed. */
export function standinRecord(output: string): {
  argv: string[];
  config: string;
  configPath: string;
  uid: number;
} {
  const line = output.split("\n").find((l) => l.startsWith('{"standin":"odoo"'));
  if (!line)
    throw new Error(`the Odoo stand-in printed no record of its start; it printed: ${output.slice(-1000)}`);
  return JSON.parse(line);
}

/**
 * The managed cluster, as DigitalOcean hands it over: its admin user and `defaultdb`, and the environment's
 * database user (a DatabaseUser in the plan), with the passwords the plan gives out; TLS only, like DO's.
 * `cluster` is the plan's database-creation environment (PGPORT, PGUSER, PGPASSWORD, ODOOOPS_ADMIN_*).
 */
export async function startClusterStandin(
  name: string,
  image: string,
  cluster: Record<string, string>,
): Promise<void> {
  const port = cluster.PGPORT!;
  await dockerOk([
    ...["run", "-d", "--name", name, "--network", "host", image],
    ...["-c", `port=${port}`, "-c", "listen_addresses=127.0.0.1"],
  ]);
  for (let i = 0; (await docker(["exec", name, "pg_isready", "-q", "-p", port])).code !== 0; i++) {
    if (i > 60)
      throw new Error(`the cluster stand-in ${name} did not accept connections: ${await logsOf(name)}`);
    await sleep(500);
  }
  const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;
  const admin = cluster.ODOOOPS_ADMIN_USER!;
  const sql = [
    `create role "${admin}" login createdb createrole password ${literal(cluster.ODOOOPS_ADMIN_PASSWORD!)};`,
    `create database defaultdb owner "${admin}";`,
    `create role "${cluster.PGUSER}" login password ${literal(cluster.PGPASSWORD!)};`,
  ].join("\n");
  // Passwords on stdin: never in a command line or in docker inspect.
  await new Promise<void>((resolve, reject) => {
    const child = execFile(
      "docker",
      ["exec", "-i", name, "psql", "-p", port, "-v", "ON_ERROR_STOP=1", "-qAt"],
      (error, _o, stderr) =>
        error || stderr ? reject(new Error(`cluster stand-in ${name} setup failed: ${stderr}`)) : resolve(),
    );
    child.stdin!.end(sql);
  });
  await dockerOk([
    ...["exec", name, "sh", "-c"],
    `sed -i '1i hostnossl all all all reject' /etc/postgresql/15/main/pg_hba.conf && psql -p ${port} -qAtc 'select pg_reload_conf()'`,
  ]);
}

/** One message over SMTP, the way Odoo's mail server client talks to an unauthenticated relay. */
export const SMTP_CLIENT = `
const net = require("node:net");
const [host, port, to] = process.argv.slice(2);
const steps = ["EHLO odoo", "MAIL FROM:<odoo@example.com>", "RCPT TO:<" + to + ">", "DATA",
  "Subject: bring-up\\r\\n\\r\\nfrom the host bring-up test\\r\\n.", "QUIT"];
const socket = net.connect(Number(port), host);
socket.setEncoding("utf8");
socket.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (/^\\d{3} /m.test(chunk) && steps.length) socket.write(steps.shift() + "\\r\\n");
});
socket.on("error", (e) => { console.error(String(e)); process.exit(1); });
`;
