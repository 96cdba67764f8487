import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../controlplane/local-postgres.ts";
import { ADDONS_PATH } from "../../model/plan/app-image.ts";
import {
  DOCKER_NETWORK,
  MAILPIT_SMTP_PORT,
  MAILPIT_UI_PORT,
  MAILPIT_UI_USER,
  MAILPIT_WEBROOT,
  ODOO_UID,
} from "../../model/plan/host-layout.ts";
import { environmentLimits } from "../../model/plan/odoo-sizing.ts";
import { PLATFORM_IMAGES } from "../../model/plan/platform-images.ts";
import { catalog, plan, projectYaml, run } from "../components/support.ts";
import { agentImageUnderTest, docker, dockerOk, requireDocker } from "./docker.ts";
import {
  type CaddyPorts,
  type LocalEngine,
  localCaddyfile,
  localScript,
  startPlannedContainer,
} from "./host/local-engine.ts";
import { odooConfOptions, type PlannedHost, plannedHost } from "./host/plan-host.ts";
import {
  buildLocalImage,
  logsOf,
  portFree,
  proxyRequest,
  type Response,
  SMTP_CLIENT,
  standinRecord,
  startClusterStandin,
} from "./host/support.ts";

/**
 * Host bring-up: what the Pulumi program registers for a staging host (read from the mock runtime, as the
 * component tests do) started on this machine's Docker engine — cloud-init's agent wrappers, the agent,
 * Caddy, the mail catcher, the database cluster, the database creation and module update commands, Odoo —
 * and checked to start, stay up and reach each other the way the plan wires them.
 *
 * Local images stand in for the plan's (IMAGES below). Odoo and Mailpit cannot be had here: their
 * stand-ins (test/image/host/) only record how they were started and catch mail; nothing asserts business
 * behaviour. The fixed ports of the plan (Odoo 8069/8072, the catcher's 1025/8025, the cluster's 25060 from
 * the mock runtime) are not configurable and are checked free first; the proxy's are picked free.
 * The staging clone itself (`-clone-prepare`: a production backup in Spaces) is the agent image test's
 * subject and is not run here; nor is the host's readiness check (cloud-init on a droplet).
 */
const SLUG = "release--v2";
const ENVIRONMENT = `acme-${SLUG}`;
const HOSTNAME = `${SLUG}.acme.staging.odooops.example`;
const CLUSTER_CONTAINER = `odooops-test-cluster-${process.pid}`;

const LOCAL = {
  caddy: "local/caddy:bookworm",
  postgres: "local/postgres:15-bookworm",
  odoo: "local/odoo-standin:test",
  mailpit: "local/mail-catcher-standin:test",
};

const environmentPlan = plan(
  projectYaml("acme", "  staging: { clone: { strategy: dump }, sshSources: [192.0.2.0/24] }\n"),
  catalog("acme", [["release/v2", "b-41"]]),
  "staging",
);
const environment = environmentPlan.projects[0]!.environments.find((e) => e.slug === SLUG)!;

let host: PlannedHost;
let engine: LocalEngine;
let scratch = "";
let caddyPorts: CaddyPorts;
let caCert = "";
const mailpitPassword = randomBytes(12).toString("hex");
/** Values the plan treats as secrets: none may show in `docker inspect`. */
const secrets: Record<string, string> = {};
const started: string[] = [];
const results: Record<"createDatabase" | "moduleUpdate", { code: number; stdout: string; stderr: string }> = {
  createDatabase: { code: -1, stdout: "", stderr: "" },
  moduleUpdate: { code: -1, stdout: "", stderr: "" },
};

/** A remote command as the deployer runs it over SSH: a shell on the host with the command's environment only. */
async function onHost(script: string, environment: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      "sh",
      ["-c", localScript(engine, script)],
      { env: { PATH: `${join(scratch, "bin")}:${process.env.PATH}`, HOME: scratch, ...environment } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** HTTPS to the proxy for `servername`, verified against the proxy's own CA (Caddy's local_certs). */
const viaProxy = (servername: string, path: string, auth?: string) =>
  proxyRequest({ port: caddyPorts.https, ca: caCert }, servername, path, auth);

beforeAll(async () => {
  await requireDocker();
  const agentImage = await agentImageUnderTest();
  await buildLocalImage("caddy.Dockerfile", LOCAL.caddy);
  await buildLocalImage("postgres.Dockerfile", LOCAL.postgres);
  await buildLocalImage("odoo-standin.Dockerfile", LOCAL.odoo);
  await buildLocalImage("mail-catcher.Dockerfile", LOCAL.mailpit);

  host = plannedHost((await run(environmentPlan)).resources, ENVIRONMENT);
  const { containers, commands } = host;
  const cluster = commands.createDatabase.environment;
  const conf = odooConfOptions(containers.odoo.uploads[0]!.content);
  Object.assign(secrets, {
    clusterAdminPassword: cluster.ODOOOPS_ADMIN_PASSWORD!,
    databasePassword: conf.db_password!,
    odooAdminPassword: conf.admin_passwd!,
    mailpitPassword,
  });

  scratch = mkdtempSync(join(tmpdir(), "odooops-host-"));
  chmodSync(scratch, 0o755);
  for (const dir of ["bin", "mnt", "state", "log"]) mkdirSync(join(scratch, dir));
  engine = {
    // The plan's image → the local one that runs in its place.
    images: {
      [PLATFORM_IMAGES.agent]: agentImage,
      [PLATFORM_IMAGES.caddy]: LOCAL.caddy,
      [PLATFORM_IMAGES.mailpit]: LOCAL.mailpit,
      [environment.image]: LOCAL.odoo,
    },
    hostNames: [...Object.values(containers).map((c) => c.name), cluster.PGHOST!],
    paths: {
      "/mnt/odooops": join(scratch, "mnt"),
      "/var/lib/odooops": join(scratch, "state"),
      "/var/log/odooops": join(scratch, "log"),
    },
    network: DOCKER_NETWORK,
  };

  // cloud-init: the agent wrappers the remote commands call. The droplet's sshd and dockerd settings are
  // the droplet's, not this machine's, and are not applied.
  for (const file of host.cloudInitFiles.filter((f) => f.path.startsWith("/usr/local/bin/"))) {
    const local = join(scratch, "bin", file.path.slice("/usr/local/bin/".length));
    writeFileSync(local, file.content, { mode: Number.parseInt(file.permissions ?? "0644", 8) });
  }

  const fixed = [
    Number(conf.http_port),
    Number(conf.gevent_port),
    MAILPIT_SMTP_PORT,
    MAILPIT_UI_PORT,
    Number(cluster.PGPORT),
  ];
  for (const port of fixed)
    if (!(await portFree(port)))
      throw new Error(
        `port ${port} on 127.0.0.1 is in use: the host bring-up test runs the plan's fixed ports (${fixed.join(", ")})`,
      );
  caddyPorts = { http: await freePort(), https: await freePort() };

  for (const name of [...Object.values(containers).map((c) => c.name), CLUSTER_CONTAINER])
    await docker(["rm", "-f", name]);

  started.push(CLUSTER_CONTAINER);
  await startClusterStandin(CLUSTER_CONTAINER, LOCAL.postgres, cluster);

  // In the plan's order: the host's services, then the database, the module update, and Odoo last.
  const proxy = containers.proxy;
  const caddyfile = proxy.uploads[0]!.content;
  const mockHash = new RegExp(`\\t${MAILPIT_UI_USER} (\\S+)\\n`).exec(caddyfile)![1]!;
  const realHash = (
    await dockerOk(["run", "--rm", LOCAL.caddy, "caddy", "hash-password", "--plaintext", mailpitPassword])
  ).trim();
  for (const spec of [
    containers.mailpit,
    containers.agent,
    {
      ...proxy,
      uploads: [
        { ...proxy.uploads[0]!, content: localCaddyfile(caddyfile, caddyPorts, { mockHash, realHash }) },
      ],
    },
  ])
    started.push(await startPlannedContainer(engine, spec, scratch));

  results.createDatabase = await onHost(commands.createDatabase.create, commands.createDatabase.environment);
  if (results.createDatabase.code !== 0)
    throw new Error(`the plan's database creation failed on this host: ${results.createDatabase.stderr}`);
  results.moduleUpdate = await onHost(commands.moduleUpdate.create, commands.moduleUpdate.environment);
  mkdirSync(join(scratch, "mnt", SLUG), { recursive: true });
  chmodSync(join(scratch, "mnt", SLUG), 0o777);
  started.push(await startPlannedContainer(engine, containers.odoo, scratch));

  const root = join(scratch, "state", "caddy", "caddy", "pki", "authorities", "local", "root.crt");
  for (let i = 0; ; i++) {
    try {
      caCert = readFileSync(root, "utf8");
      if ((await viaProxy(HOSTNAME, "/web/login")).status === 200) break;
    } catch (error) {
      if (i > 60)
        throw new Error(
          `the proxy did not answer for ${HOSTNAME}: ${String(error)}; ${await logsOf(proxy.name)}`,
        );
    }
    await sleep(500);
  }
}, 1_500_000);

// On the vfs driver removing a container deletes a whole copy of its image: all at once, and given time.
afterAll(async () => {
  await Promise.all(started.map((name) => docker(["rm", "-f", name])));
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}, 600_000);

describe("a staging host brought up from the plan on a real Docker engine", () => {
  it("runs every container the plan registers, with its restart policy, and none has restarted", async () => {
    for (const spec of Object.values(host.containers)) {
      const state = await dockerOk([
        ...["inspect", "--format", "{{.State.Status}} {{.RestartCount}} {{.HostConfig.RestartPolicy.Name}}"],
        spec.name,
      ]);
      expect(state.trim(), `${spec.name}: ${await logsOf(spec.name)}`).toBe(`running 0 ${spec.restart}`);
    }
  });

  it("creates the environment's database on the cluster through cloud-init's agent wrapper", async () => {
    expect(results.createDatabase.stderr).toBe("");
    const { PGPORT, PGDATABASE, PGUSER } = host.commands.createDatabase.environment;
    const owner = await dockerOk([
      ...["exec", CLUSTER_CONTAINER, "psql", "-p", PGPORT!, "-qAt", "-c"],
      `select pg_get_userbyid(datdba) from pg_database where datname = '${PGDATABASE}'`,
    ]);
    expect(owner.trim()).toBe(PGUSER);
  });

  it("runs the module update with the app image, the platform's odoo.conf and the -u list, and records it", () => {
    expect(results.moduleUpdate.stderr).toBe("");
    expect(results.moduleUpdate.code).toBe(0);
    const record = JSON.parse(results.moduleUpdate.stdout) as {
      result: string;
      log: string;
      modules: string;
    };
    expect(record).toMatchObject({
      kind: "module-update",
      result: "passed",
      database: environment.database.name,
    });
    const logs = readdirSync(join(scratch, "log", SLUG)).filter((f) => f.endsWith("-update.log"));
    expect(logs).toHaveLength(1);
    const ran = standinRecord(readFileSync(join(scratch, "log", SLUG, logs[0]!), "utf8"));
    const u = ran.argv.indexOf("-u");
    expect(ran.argv[u + 1]).toBe(record.modules);
    expect(ran.argv).toEqual(
      expect.arrayContaining(["-d", environment.database.name, "--no-http", "--stop-after-init"]),
    );
    expect(ran.argv[ran.argv.indexOf("-c") + 1]).toBe(ran.configPath);
    expect(ran.config.trim()).toBe(host.commands.moduleUpdate.environment.ODOOOPS_ODOO_CONF!.trim());
    expect(ran.uid).toBe(ODOO_UID);
  });

  it("starts Odoo with the platform's odoo.conf: addons path, database, workers and limits from the plan", async () => {
    const ran = standinRecord(await logsOf(host.containers.odoo.name));
    expect(ran.argv).toEqual(host.containers.odoo.command);
    const conf = odooConfOptions(ran.config);
    const limits = environmentLimits(environment);
    const db = host.commands.createDatabase.environment;
    expect(conf).toMatchObject({
      addons_path: ADDONS_PATH,
      db_host: db.PGHOST,
      db_port: db.PGPORT,
      db_user: db.PGUSER,
      db_name: db.PGDATABASE,
      db_sslmode: "require",
      list_db: "False",
      proxy_mode: "True",
      workers: String(limits.workers),
      max_cron_threads: String(limits.maxCronThreads),
      db_maxconn: String(limits.dbMaxconn),
      limit_memory_soft: String(limits.limitMemorySoft),
      limit_memory_hard: String(limits.limitMemoryHard),
      limit_time_cpu: String(limits.limitTimeCpu),
      limit_time_real: String(limits.limitTimeReal),
    });
    expect(ran.uid).toBe(ODOO_UID);
  });

  it("logs in to the cluster over TLS with exactly the database settings Odoo was given", async () => {
    const conf = odooConfOptions(standinRecord(await logsOf(host.containers.odoo.name)).config);
    // From the agent container, through cloud-init's wrapper, which passes PG* by name.
    const login = await onHost(
      "odooops-exec psql -qAt -c 'select current_user, current_database(), ssl from pg_stat_ssl where pid = pg_backend_pid()'",
      {
        PGHOST: conf.db_host!,
        PGPORT: conf.db_port!,
        PGUSER: conf.db_user!,
        PGPASSWORD: conf.db_password!,
        PGDATABASE: conf.db_name!,
        PGSSLMODE: conf.db_sslmode!,
      },
    );
    expect(login.stderr).toBe("");
    expect(login.stdout.trim()).toBe(`${conf.db_user}|${conf.db_name}|t`);
    const plain = await onHost("odooops-exec psql -qAt -c 'select 1'", {
      PGHOST: conf.db_host!,
      PGPORT: conf.db_port!,
      PGUSER: conf.db_user!,
      PGPASSWORD: conf.db_password!,
      PGDATABASE: conf.db_name!,
      PGSSLMODE: "disable",
    });
    expect(plain.code).not.toBe(0);
  });

  it("routes the environment's host name to Odoo's HTTP port, and websockets to its gevent port", async () => {
    const conf = odooConfOptions(standinRecord(await logsOf(host.containers.odoo.name)).config);
    const page = await viaProxy(HOSTNAME, "/web/login");
    expect(page.status).toBe(200);
    expect(JSON.parse(page.body)).toMatchObject({
      port: Number(conf.http_port),
      url: "/web/login",
      headers: { host: HOSTNAME, "x-forwarded-proto": "https" },
    });
    expect(page.headers["x-odooops-image"]).toBe(environment.image.split("@")[1]);
    expect(page.headers["x-robots-tag"]).toBe("noindex, nofollow");
    const socket = await viaProxy(HOSTNAME, "/websocket");
    expect(JSON.parse(socket.body)).toMatchObject({ port: Number(conf.gevent_port), url: "/websocket" });
    await expect(viaProxy("unknown.acme.staging.odooops.example", "/")).rejects.toThrow();
    const redirect = await new Promise<Response>((resolve, reject) =>
      httpRequest(
        { host: "127.0.0.1", port: caddyPorts.http, path: "/web", headers: { host: HOSTNAME } },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode!, headers: res.headers, body: "" });
        },
      )
        .on("error", reject)
        .end(),
    );
    expect(redirect.status).toBe(308);
    // Caddy 2.6 leaves its non-standard HTTPS port out of the redirect; on a host that port is 443.
    const location = new URL(String(redirect.headers.location));
    expect([location.protocol, location.hostname, location.pathname]).toEqual(["https:", HOSTNAME, "/web"]);
  });

  it("catches mail sent from Odoo's container to the SMTP server its conf names, shown behind the proxy's basic auth", async () => {
    const conf = odooConfOptions(standinRecord(await logsOf(host.containers.odoo.name)).config);
    const to = `qa-${randomBytes(4).toString("hex")}@example.com`;
    const sent = await new Promise<{ code: number; out: string }>((resolve) => {
      const child = execFile(
        "docker",
        ["exec", "-i", host.containers.odoo.name, "node", "-", conf.smtp_server!, conf.smtp_port!, to],
        (error, stdout, stderr) => resolve({ code: error ? 1 : 0, out: stdout + stderr }),
      );
      child.stdin!.end(SMTP_CLIENT);
    });
    expect(sent.out).toContain("250 2.0.0 queued");
    expect(sent.code).toBe(0);
    expect((await viaProxy(HOSTNAME, `${MAILPIT_WEBROOT}/`)).status).toBe(401);
    expect((await viaProxy(HOSTNAME, `${MAILPIT_WEBROOT}/`, `${MAILPIT_UI_USER}:wrong`)).status).toBe(401);
    const inbox = await viaProxy(HOSTNAME, `${MAILPIT_WEBROOT}/`, `${MAILPIT_UI_USER}:${mailpitPassword}`);
    expect(inbox.status).toBe(200);
    const { messages } = JSON.parse(inbox.body) as { messages: { to: string[] }[] };
    expect(messages.map((m) => m.to)).toContainEqual([to]);
  });

  it("keeps the plan's secrets out of docker inspect", async () => {
    const inspect = await dockerOk(["inspect", ...Object.values(host.containers).map((c) => c.name)]);
    expect(Object.keys(secrets)).toHaveLength(4);
    for (const [name, value] of Object.entries(secrets)) {
      expect(value.length, name).toBeGreaterThan(8);
      expect(inspect, name).not.toContain(value);
    }
  });
});
