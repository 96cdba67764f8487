import { describe, expect, it } from "vitest";
import {
  commandLine,
  dockerSince,
  logsArgv,
  serviceContainer,
  shellArgv,
  shellWord,
  sinceSchema,
  tailSchema,
} from "../../../model/plan/remote-access.ts";
import { acmeEnvironment, PROD_STACK, SSH, STAGING_STACK } from "../support/acme-environments.ts";

const staging = STAGING_STACK;
const prod = PROD_STACK;
const byStage = acmeEnvironment;

describe("remote access commands", () => {
  it("opens production's shell on its one database, as the deployer reaches the host", () => {
    const env = byStage(prod, "production");
    expect(shellArgv(env)).toEqual([
      "ssh",
      "-t",
      ...SSH.slice(1),
      "root@acme.odooops.example",
      ..."docker exec -it odoo-production odoo shell -c /etc/odoo/odoo.conf --no-http -d acme".split(" "),
    ]);
  });

  it("opens a staging shell on the database of the build it runs (a fresh clone per build)", () => {
    const env = byStage(staging, "staging");
    const argv = shellArgv(env);
    expect(argv).toContain("root@release--v2.acme.staging.odooops.example");
    expect(argv).toContain("odoo-release--v2");
    expect(argv.slice(-2)).toEqual(["-d", "acme_release__v2_b_42"]);
  });

  it("reaches a preview on the shared dev host by its own host name and containers", () => {
    const env = byStage(staging, "development");
    expect(env.host.placement).toBe("shared");
    expect(shellArgv(env)).toEqual([
      "ssh",
      "-t",
      ...SSH.slice(1),
      "root@feature--ocr.acme.dev.odooops.example",
      ..."docker exec -it odoo-feature--ocr odoo shell -c /etc/odoo/odoo.conf --no-http -d acme_feature__ocr".split(
        " ",
      ),
    ]);
    expect(logsArgv(env, { service: "mailpit", follow: true, since: "48h", tail: "200" })).toEqual([
      ...SSH,
      "root@feature--ocr.acme.dev.odooops.example",
      ..."docker logs --follow --since 48h --tail 200 mailpit-feature--ocr".split(" "),
    ]);
    expect(logsArgv(env, { service: "proxy", follow: false }).at(-1)).toBe("odooops-proxy");
    expect(logsArgv(env, { service: "agent", follow: false }).at(-1)).toBe("odooops-agent");
  });

  it("knows production runs no Mailpit", () => {
    const env = byStage(prod, "production");
    expect(serviceContainer(env, "mailpit")).toBeUndefined();
    expect(() => logsArgv(env, { service: "mailpit", follow: false })).toThrow(/runs no mailpit/);
    expect(logsArgv(env, { service: "odoo", follow: false })).toEqual([
      ...SSH,
      "root@acme.odooops.example",
      "docker",
      "logs",
      "odoo-production",
    ]);
  });

  it("accepts --since as a duration or an ISO time and --tail as lines, nothing a shell would read", () => {
    expect(dockerSince("2d")).toBe("48h");
    expect(dockerSince("90m")).toBe("90m");
    expect(sinceSchema.parse("1w")).toBe("168h");
    expect(sinceSchema.parse("2026-11-23T08:00:00Z")).toBe("2026-11-23T08:00:00Z");
    expect(sinceSchema.safeParse("10m; rm -rf /").success).toBe(false);
    expect(sinceSchema.safeParse("yesterday").error?.issues[0]?.message).toContain("ISO 8601");
    expect(tailSchema.safeParse("all").success).toBe(true);
    expect(tailSchema.safeParse("-5").success).toBe(false);
  });

  it("prints commands a shell reads back word for word", () => {
    expect(shellWord("odoo-production")).toBe("odoo-production");
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
    expect(commandLine(["ssh", "-t", "root@h", "a b"])).toBe("ssh -t root@h 'a b'");
  });
});
