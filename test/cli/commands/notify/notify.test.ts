import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WEBHOOKS_ENV } from "../../../../model/input/notify/webhooks.ts";
import { runCli } from "../../../support/cli.ts";

/** A real HTTP server standing in for Mattermost: it records each webhook call and answers as told. */
interface Received {
  path: string;
  contentType: string | undefined;
  body: { text: string; username: string };
}
let server: Server;
let base: string;
let received: Received[] = [];
let answer = 200;

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) body += chunk;
  return body;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.method === "POST" && req.url?.startsWith("/hooks/"))
      received.push({ path: req.url, contentType: req.headers["content-type"], body: JSON.parse(body) });
    res.writeHead(answer, { "content-type": "text/plain" }).end(answer === 200 ? "ok" : "no");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
  answer = 200;
  process.env[WEBHOOKS_ENV] = JSON.stringify({
    acme: `${base}/hooks/acmehook123`,
    beta: `${base}/hooks/betahook456`,
  });
});

const notify = (...args: string[]) => runCli("notify", ...args);

describe("odooops notify", () => {
  it.each([
    [
      ["acme", "gate-passed", "--gate", "G2", "--release", "r-7"],
      ":white_check_mark: G2 passed for release `r-7` of project `acme`",
    ],
    [
      ["acme", "gate-refused", "--gate", "G3", "--release", "r-7", "--reason", "no signoff"],
      ":red_circle: G3 refused for release `r-7` of project `acme`: `no signoff`",
    ],
    [
      [
        "acme",
        "deployment",
        "--branch",
        "main",
        "--image",
        "ghcr.io/acme/acme@sha256:ab",
        "--outcome",
        "failed",
      ],
      "deployment of `ghcr.io/acme/acme@sha256:ab` to `main` of project `acme` failed",
    ],
    [
      ["acme", "backup-failed", "--branch", "main", "--detail", "dump exited 1"],
      "backup of `main` of project `acme` failed: `dump exited 1`",
    ],
    [
      ["acme", "drill-failed", "--branch", "main", "--detail", "restore checksum mismatch"],
      "restore drill of `main`",
    ],
    [
      ["acme", "drift", "--stack", "prod", "--detail", "2 resources changed outside Git"],
      "drift in stack `prod`",
    ],
    [
      [
        "acme",
        "exception-expiring",
        "--exception",
        "ex-3",
        "--gate",
        "G2",
        "--expires",
        "2026-12-01T00:00:00Z",
      ],
      "exception `ex-3` covering G2 of project `acme` expires 2026-12-01T00:00:00Z",
    ],
  ])("posts %j to the project's own webhook", async (args, text) => {
    const { code, stdout, stderr } = await notify(...args);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain(`notified acme's channel: ${args[1]}`);
    expect(received).toHaveLength(1);
    expect(received[0]!.path).toBe("/hooks/acmehook123");
    expect(received[0]!.contentType).toBe("application/json");
    expect(received[0]!.body.username).toBe("odooops");
    expect(received[0]!.body.text).toContain(text);
  });

  it("shows outside text verbatim: a mention or a backtick in a branch cannot ping the channel or break out", async () => {
    await notify("acme", "backup-failed", "--branch", "x` @channel `y", "--detail", "@all\nsee http://evil");
    const text = received[0]!.body.text;
    expect(text).toContain("`x' @channel 'y`");
    expect(text).toContain("`@all see http://evil`");
    expect(text.match(/`/g)).toHaveLength(6);
  });

  it("never prints the webhook, whatever goes wrong", async () => {
    answer = 500;
    const failed = await notify("acme", "drift", "--stack", "prod", "--detail", "x");
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe("notify: Mattermost answered HTTP 500 on acme's webhook\n");
    process.env[WEBHOOKS_ENV] = JSON.stringify({ acme: "http://203.0.113.9/hooks/secrethook999" });
    const refused = await notify("acme", "drift", "--stack", "prod", "--detail", "x");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("entries acme are not Mattermost incoming webhooks");
    const closed = createServer().listen(0, "127.0.0.1");
    await once(closed, "listening");
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    process.env[WEBHOOKS_ENV] = JSON.stringify({ acme: `http://127.0.0.1:${port}/hooks/secrethook999` });
    const unreachable = await notify("acme", "drift", "--stack", "prod", "--detail", "x");
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(
      /^notify: could not reach acme's Mattermost webhook \(ECONNREFUSED\)\n$/,
    );
    for (const out of [failed, refused, unreachable])
      expect(out.stdout + out.stderr).not.toMatch(/hook(123|999)/);
  });

  it("refuses bad input in one line, sending nothing", async () => {
    const cases: [string[], RegExp][] = [
      [["acme", "party"], /^odooops: notify: unknown event "party"; one of gate-passed, /],
      [["acme", "gate-passed", "--gate", "G9", "--release", "r"], /^odooops: notify gate-passed: --gate: /],
      [
        ["acme", "gate-passed", "--release", "r", "--gate", "G1", "--detail", "x"],
        /--detail: not used by gate-passed|: not used by gate-passed/,
      ],
      [
        ["Acme!", "drift", "--stack", "prod", "--detail", "x"],
        /^odooops: notify drift: <project>: must be 2–30 characters/,
      ],
      [
        ["gamma", "drift", "--stack", "prod", "--detail", "x"],
        /^odooops: notify: ODOOOPS_MATTERMOST_WEBHOOKS has no webhook for project gamma\n$/,
      ],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await notify(...args);
      expect(code, args.join(" ")).toBe(2);
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stderr).toMatch(message);
    }
    delete process.env[WEBHOOKS_ENV];
    expect((await notify("acme", "drift", "--stack", "p", "--detail", "x")).stderr).toContain("is not set");
    expect(received).toEqual([]);
  });

  it("posts each project only to its own channel", async () => {
    await notify("beta", "gate-passed", "--gate", "G1", "--release", "r-1");
    expect(received.map((r) => r.path)).toEqual(["/hooks/betahook456"]);
  });
});
