import { describe, expect, it } from "vitest";
import { firewallPlan } from "../../model/plan/firewall-rules.ts";
import { hostTags } from "../../model/plan/tags.ts";
import {
  nonProductionExpiry,
  nonProductionFirewallBlocksSmtp,
  nonProductionMailCatcher,
  nonProductionMailpitDeployed,
  nonProductionSmtpEgressBlocked,
  odooOptionsNotPlatformOwned,
} from "../../policies/environment-safety.ts";
import { check, lineOf, mutate, PROJECT_FILE, projectResources, resource, SAFE_PROJECT } from "./harness.ts";

const STAGING_SAFETY = "    mailCatcher: true\n    smtpEgress: blocked\n    sshSources";
const DEV_SAFETY = "  development:\n    mailCatcher: true\n    smtpEgress: blocked";

describe("non-production-mail-catcher", () => {
  it("passes a project whose non-production environments run Mailpit", async () => {
    expect(await check(nonProductionMailCatcher, projectResources(SAFE_PROJECT))).toEqual([]);
  });

  it.each([
    ["staging", mutate(SAFE_PROJECT, STAGING_SAFETY, STAGING_SAFETY.replace("true", "false"))],
    ["development", mutate(SAFE_PROJECT, DEV_SAFETY, DEV_SAFETY.replace("true", "false"))],
  ])("refuses mailCatcher: false for %s, pointing at the line", async (stage, yaml) => {
    const [v, ...rest] = await check(nonProductionMailCatcher, projectResources(yaml));
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ level: "mandatory", policy: "non-production-mail-catcher", project: "shop" });
    const line =
      stage === "staging" ? lineOf(yaml, "mailCatcher: false") : lineOf(yaml, "    mailCatcher: false");
    expect(v!.where).toBe(`${PROJECT_FILE}:${line}:18 environments.${stage}.mailCatcher`);
    expect(v!.fix).toContain("mailCatcher");
  });

  it("leaves non-production settings to the stack that owns them", async () => {
    const yaml = mutate(SAFE_PROJECT, DEV_SAFETY, DEV_SAFETY.replace("true", "false"));
    expect(await check(nonProductionMailCatcher, projectResources(yaml, ["production"]))).toEqual([]);
  });
});

describe("non-production-smtp-egress-blocked", () => {
  it("passes a project that blocks outbound SMTP outside production", async () => {
    expect(await check(nonProductionSmtpEgressBlocked, projectResources(SAFE_PROJECT))).toEqual([]);
  });

  it.each([
    ["staging", mutate(SAFE_PROJECT, STAGING_SAFETY, STAGING_SAFETY.replace("blocked", "allowed"))],
    ["development", mutate(SAFE_PROJECT, DEV_SAFETY, DEV_SAFETY.replace("blocked", "allowed"))],
  ])("refuses smtpEgress: allowed for %s", async (stage, yaml) => {
    const violations = await check(nonProductionSmtpEgressBlocked, projectResources(yaml));
    expect(violations.map((v) => v.where?.split(" ")[1])).toEqual([`environments.${stage}.smtpEgress`]);
  });
});

/** A project's firewall for one stage as the infrastructure builds it (model/plan/firewall-rules.ts). */
function firewallFor(
  stage: "staging" | "production",
  smtpEgress: "blocked" | "allowed",
  outbound?: unknown[],
) {
  const plan = firewallPlan({ sshSources: ["203.0.113.0/28"], deploySources: [], smtpEgress });
  const tag = `odooops:firewall:shop-${stage}`;
  const droplet = resource("digitalocean:index/droplet:Droplet", `shop-${stage}-host`, {
    tags: hostTags({ project: "shop", stage, branch: stage, expires: "never" }),
  });
  const firewall = resource("digitalocean:index/firewall:Firewall", `shop-${stage}-firewall`, {
    tags: [tag],
    inboundRules: plan.inbound.map((r) => ({
      protocol: r.protocol,
      portRange: r.portRange,
      sourceAddresses: r.addresses,
    })),
    outboundRules:
      outbound ??
      plan.outbound.map((r) => ({
        protocol: r.protocol,
        portRange: r.portRange,
        destinationAddresses: r.addresses,
      })),
  });
  return [droplet, firewall];
}

describe("non-production-firewall-blocks-smtp", () => {
  it("passes the staging firewall the infrastructure plans, and production's open SMTP", async () => {
    expect(await check(nonProductionFirewallBlocksSmtp, firewallFor("staging", "blocked"))).toEqual([]);
    expect(await check(nonProductionFirewallBlocksSmtp, firewallFor("production", "allowed"))).toEqual([]);
  });

  it.each([
    ["SMTP egress allowed", firewallFor("staging", "allowed"), "25, 465, 587, 2525"],
    [
      "all TCP ports open outbound",
      firewallFor("staging", "blocked", [
        { protocol: "tcp", portRange: "1-65535", destinationAddresses: ["0.0.0.0/0"] },
      ]),
      "25, 465, 587, 2525",
    ],
    [
      "submission port open",
      firewallFor("staging", "blocked", [
        { protocol: "tcp", portRange: "587", destinationAddresses: ["192.0.2.1/32"] },
      ]),
      "587",
    ],
  ])("refuses a staging firewall with %s", async (_, resources, ports) => {
    const [v, ...rest] = await check(nonProductionFirewallBlocksSmtp, resources);
    expect(rest).toEqual([]);
    expect(v!.message).toContain(`port(s) ${ports}`);
    expect(v!.resource).toBe(resources[1]!.urn);
  });
});

function environmentWith(
  containers: Record<string, unknown>[],
  stage: "development" | "production" = "development",
) {
  const [project, ...envs] = projectResources(SAFE_PROJECT);
  const env = envs.find((e) => (e.inputs.plan as { stage: string }).stage === stage)!;
  const children = containers.map((inputs, i) =>
    resource("docker:index/container:Container", `c${i}`, inputs, { parent: env }),
  );
  return [project!, env, ...children];
}

const odooConf = (smtp: string | undefined) => ({
  name: "odoo-feature--login",
  image: `sha256:${"cd".repeat(32)}`,
  uploads: [
    {
      file: "/etc/odoo/odoo.conf",
      content: `[options]\n${smtp ? `smtp_server = ${smtp}\n` : ""}workers = 0\n`,
    },
  ],
});
const mailpit = {
  name: "mailpit-feature--login",
  image: `docker.io/axllent/mailpit:v1.31.2@sha256:${"ef".repeat(32)}`,
};

describe("non-production-mailpit-deployed", () => {
  it("passes Odoo that sends to its environment's Mailpit", async () => {
    expect(
      await check(
        nonProductionMailpitDeployed,
        environmentWith([odooConf("mailpit-feature--login"), mailpit]),
      ),
    ).toEqual([]);
  });

  it("does not ask production to run Mailpit", async () => {
    expect(
      await check(
        nonProductionMailpitDeployed,
        environmentWith([odooConf("smtp.example.com")], "production"),
      ),
    ).toEqual([]);
  });

  it.each([
    ["no Mailpit container", [odooConf("mailpit-feature--login")], "no Mailpit container"],
    [
      "SMTP pointed at a real relay",
      [odooConf("smtp.example.com"), mailpit],
      "sends mail to smtp.example.com",
    ],
    ["no smtp_server at all", [odooConf(undefined), mailpit], "localhost"],
  ])("refuses a development environment with %s", async (_, containers, text) => {
    const violations = await check(nonProductionMailpitDeployed, environmentWith(containers));
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toContain(text);
    expect(violations[0]!.environment).toBe("feature--login");
  });
});

describe("non-production-expiry", () => {
  it("passes TTLs, and ttl: never on a single branch listed under keep", async () => {
    expect(await check(nonProductionExpiry, projectResources(SAFE_PROJECT))).toEqual([]);
  });

  it.each([
    [
      "a pattern rule",
      mutate(SAFE_PROJECT, "stage: development, ttl: 7d", "stage: development, ttl: never"),
      "branches[2].ttl",
    ],
    ["a branch that is not kept", mutate(SAFE_PROJECT, "keep: [demo]", "keep: []"), "branches[3].ttl"],
    [
      "a staging rule",
      mutate(SAFE_PROJECT, "stage: staging, ttl: 14d", "stage: staging, ttl: never"),
      "branches[1].ttl",
    ],
  ])("refuses ttl: never on %s", async (_, yaml, field) => {
    const violations = await check(nonProductionExpiry, projectResources(yaml));
    expect(violations.map((v) => v.where?.split(" ")[1])).toEqual([field]);
    expect(violations[0]!.fix).toContain("keep");
  });

  it.each([
    [
      "a preview TTL of centuries",
      "stage: development, ttl: 7d",
      "stage: development, ttl: 99999d",
      "branches[2].ttl",
    ],
    ["a staging TTL in weeks", "stage: staging, ttl: 14d", "stage: staging, ttl: 13w", "branches[1].ttl"],
    ["an unkept branch", "keep: [demo]\n", "keep: []\n", "branches[3].ttl"],
  ])("refuses %s beyond 90 days", async (_, from, to, field) => {
    const yaml = mutate(
      mutate(SAFE_PROJECT, "demo, stage: development, ttl: never", "demo, stage: development, ttl: 400d"),
      from,
      to,
    );
    const violations = await check(nonProductionExpiry, projectResources(yaml));
    expect(violations.map((v) => v.where?.split(" ")[1])).toContain(field);
    expect(violations.find((v) => v.where?.endsWith(field))!.message).toContain("longer than the 90 days");
  });

  it("passes 90 days exactly, and a longer TTL on a branch listed under keep", async () => {
    const yaml = mutate(
      mutate(SAFE_PROJECT, "stage: development, ttl: 7d", "stage: development, ttl: 90d"),
      "demo, stage: development, ttl: never",
      "demo, stage: development, ttl: 400d",
    );
    expect(await check(nonProductionExpiry, projectResources(yaml))).toEqual([]);
  });

  const droplet = (tags: string[]) => [resource("digitalocean:index/droplet:Droplet", "host", { tags })];
  const tags = (expires: string) => hostTags({ project: "shop", stage: "development", branch: "x", expires });

  it("passes droplets tagged with a date or never", async () => {
    expect(await check(nonProductionExpiry, droplet(tags("2026-12-01")))).toEqual([]);
    expect(await check(nonProductionExpiry, droplet(tags("never")))).toEqual([]);
    expect(await check(nonProductionExpiry, droplet(["odooops:stage:production"]))).toEqual([]);
  });

  it.each([
    ["no expiry tag", tags("x").filter((t) => !t.startsWith("odooops:expires:")), "no odooops:expires tag"],
    ["a malformed expiry", tags("soon"), "odooops:expires:soon"],
  ])("refuses a non-production droplet with %s", async (_, list, text) => {
    const [v] = await check(nonProductionExpiry, droplet(list));
    expect(v!.message).toContain(text);
  });
});

describe("odoo-options-not-platform-owned", () => {
  it("passes tuning options", async () => {
    expect(await check(odooOptionsNotPlatformOwned, projectResources(SAFE_PROJECT))).toEqual([]);
  });

  it.each(["smtp_server: smtp.gmail.com", "list_db: true", 'dbfilter: ".*"', "db_host: prod-db.internal"])(
    "refuses %s",
    async (option) => {
      const yaml = mutate(SAFE_PROJECT, "  limit_time_real: 600", `  limit_time_real: 600\n  ${option}`);
      const key = option.split(":")[0]!;
      const [v, ...rest] = await check(odooOptionsNotPlatformOwned, projectResources(yaml));
      expect(rest).toEqual([]);
      expect(v!.where).toBe(
        `${PROJECT_FILE}:${lineOf(yaml, option)}:${3 + key.length + 2} odooOptions.${key}`,
      );
    },
  );
});
