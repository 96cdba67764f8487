import { describe, expect, it } from "vitest";
import { AGENT_ENV_FILE, AGENT_ENV_FILE_VAR, agentEnvFileUpload } from "../../model/plan/agent-env-file.ts";
import { AGENT_CONTAINER } from "../../model/plan/host-layout.ts";
import {
  AGENT_IMAGE_REPOSITORY,
  agentImageReference,
  UNRELEASED_AGENT_IMAGE,
  unreleasedAgentDeployProblem,
} from "../../model/plan/platform-images.ts";
import { agentImageReleased, imagesPinnedByDigest, noPlaintextSecrets } from "../../policies/supply-chain.ts";
import {
  catalogFor,
  check,
  DIGEST,
  lineOf,
  mutate,
  PROJECT_FILE,
  projectResources,
  resource,
  SAFE_PROJECT,
} from "./harness.ts";

const IMAGE = `ghcr.io/acme/shop@${DIGEST}`;

describe("images-pinned-by-digest", () => {
  it("passes digest-pinned images everywhere", async () => {
    expect(await check(imagesPinnedByDigest, projectResources(SAFE_PROJECT))).toEqual([]);
    const docker = [
      resource("docker:index/remoteImage:RemoteImage", "img", { name: IMAGE }),
      resource("docker:index/container:Container", "ctr", { image: `sha256:${"cd".repeat(32)}` }),
    ];
    expect(await check(imagesPinnedByDigest, docker)).toEqual([]);
  });

  it.each([
    ["by tag", "ghcr.io/acme/shop:18.0", 'the tag "18.0"'],
    ["without tag or digest", "ghcr.io/acme/shop", "names no digest"],
  ])("refuses a production image %s, at its line", async (_, image, text) => {
    const yaml = mutate(SAFE_PROJECT, IMAGE, image);
    const [v, ...rest] = await check(imagesPinnedByDigest, projectResources(yaml));
    expect(rest).toEqual([]);
    expect(v!.message).toContain(text);
    expect(v!.where).toBe(`${PROJECT_FILE}:${lineOf(yaml, "    image:")}:12 environments.production.image`);
    expect(v!.fix).toContain("ghcr.io/acme/shop@sha256:");
  });

  it("refuses a preview built from a tag, naming the catalog build", async () => {
    const catalog = catalogFor();
    catalog.projects.shop!.branches[1]!.build.image = "ghcr.io/acme/shop:feature-login";
    const violations = await check(imagesPinnedByDigest, projectResources(SAFE_PROJECT, undefined, catalog));
    expect(violations.map((v) => [v.environment, v.where])).toEqual([
      ["feature--login", "build b-2 of branch feature/login in the build catalog"],
    ]);
  });

  it.each([
    ["docker:index/remoteImage:RemoteImage", { name: "docker.io/axllent/mailpit:latest" }, 'tag "latest"'],
    ["docker:index/container:Container", { image: "docker.io/library/caddy:2" }, 'tag "2"'],
    [
      "docker:index/remoteImage:RemoteImage",
      { name: `ghcr.io/acme/agent@sha256:${"a".repeat(65)}` },
      "malformed digest",
    ],
    ["docker:index/container:Container", { image: `sha256:${"a".repeat(63)}` }, "malformed digest"],
  ])("refuses a %s named %o", async (type, inputs, text) => {
    const [v] = await check(imagesPinnedByDigest, [resource(type, "x", inputs)]);
    expect(v!.message).toContain(text);
  });
});

describe("agent-image-released", () => {
  const agentImage = (name: string) => [
    resource("docker:index/remoteImage:RemoteImage", "agent-image", { name }),
  ];

  it("says plainly, as an advisory, that the agent is unreleased, and the digest rule does not count the marker", async () => {
    const [v, ...rest] = await check(agentImageReleased, agentImage(UNRELEASED_AGENT_IMAGE));
    expect(rest).toEqual([]);
    expect(agentImageReleased.enforcementLevel).toBe("advisory");
    expect(v!.message).toContain("the odooops agent image is unreleased");
    expect(v!.fix).toContain(".github/workflows/agent-release.yml");
    expect(await check(imagesPinnedByDigest, agentImage(UNRELEASED_AGENT_IMAGE))).toEqual([]);
  });

  it("is silent once a digest is pinned, and any other tag of the agent is still refused as unpinned", async () => {
    const released = agentImageReference(DIGEST);
    expect(released).toBe(`${AGENT_IMAGE_REPOSITORY}@${DIGEST}`);
    expect(await check(agentImageReleased, agentImage(released))).toEqual([]);
    const [v] = await check(imagesPinnedByDigest, agentImage(`${AGENT_IMAGE_REPOSITORY}:latest`));
    expect(v!.message).toContain('tag "latest"');
  });

  it("lets previews plan but refuses a real deploy of the unreleased agent, before anything is created", () => {
    expect(unreleasedAgentDeployProblem(UNRELEASED_AGENT_IMAGE, true)).toBeUndefined();
    expect(unreleasedAgentDeployProblem(agentImageReference(DIGEST), false)).toBeUndefined();
    expect(unreleasedAgentDeployProblem(UNRELEASED_AGENT_IMAGE, false)).toMatch(
      /^the odooops agent image is unreleased .*agent-release\.yml.*before `pulumi up`$/,
    );
  });
});

describe("no-plaintext-secrets", () => {
  it("passes the safe project and secrets in the inputs made for them", async () => {
    const resources = [
      ...projectResources(SAFE_PROJECT),
      resource("command:remote:Command", "clone", {
        create: "odooops agent clone --source-url-env SRC --target-db shop_b1",
        environment: { SRC: "postgresql://doadmin:Zx81kPq9LmW2@db.example:25060/defaultdb" },
      }),
      resource("docker:index/container:Container", "odoo", {
        uploads: [
          { file: "/etc/odoo/odoo.conf", content: "[options]\nadmin_passwd = Vq3Lr8Tz1Xw5Ny7Bm2Kc9Hd4\n" },
        ],
      }),
      resource("github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret", "s", {
        secretName: "TOKEN",
        plaintextValue: `ghp_${"A1b2C3d4E5".repeat(4)}`,
      }),
    ];
    expect(await check(noPlaintextSecrets, resources)).toEqual([]);
  });

  it.each([
    ["admin_passwd: hunter2", "odooOptions.admin_passwd", "named like a secret"],
    ["smtp_password: 12345678", "odooOptions.smtp_password", "named like a secret"],
    [`report_url: "https://bot:S3cr3tPw@reports.example/x"`, "odooOptions.report_url", "URL with a password"],
    [`report_key_id: AKIAIOSFODNN7EXAMPLE`, "odooOptions.report_key_id", "AWS access key id"],
    [`geoip_db: "Zx9Qm2Lp8Rt4Vw6Yb1Nc3Kd5Hf7Jg0Ts"`, "odooOptions.geoip_db", "high-entropy token"],
  ])("refuses odooOptions %s, at its line, without printing the value", async (option, field, reason) => {
    const yaml = mutate(SAFE_PROJECT, "  limit_time_real: 600", `  limit_time_real: 600\n  ${option}`);
    const violations = await check(noPlaintextSecrets, projectResources(yaml));
    const [v] = violations;
    expect(violations).toHaveLength(1);
    expect(v!.message).toContain(reason);
    expect(v!.where).toMatch(
      new RegExp(`^${PROJECT_FILE}:${lineOf(yaml, option)}:\\d+ ${field.replace(".", "\\.")}$`),
    );
    const value = option.slice(option.indexOf(":") + 2).replaceAll('"', "");
    expect(JSON.stringify(v)).not.toContain(value);
  });

  it("takes the data agent's credentials in its environment file, and refuses them in its environment", async () => {
    const url = "postgresql://odoo_acme_main:Zx81kPq9LmW2@db.example:25060/acme_main?sslmode=require";
    const agent = (inputs: Record<string, unknown>) =>
      resource("docker:index/container:Container", "prod-host-agent-container", {
        name: AGENT_CONTAINER,
        envs: ["ODOOOPS_STAGE=production"],
        ...inputs,
      });
    const inFile = agent({
      envs: ["ODOOOPS_STAGE=production", `${AGENT_ENV_FILE_VAR}=${AGENT_ENV_FILE}`],
      uploads: [agentEnvFileUpload([`ODOOOPS_DB_URL=${url}`])],
    });
    expect(await check(noPlaintextSecrets, [inFile])).toEqual([]);
    const inEnvs = agent({ envs: ["ODOOOPS_STAGE=production", `ODOOOPS_DB_URL=${url}`] });
    const violations = await check(noPlaintextSecrets, [inEnvs]);
    expect(violations.map((v) => v.message.split(";")[0])).toEqual([
      "envs[1] holds a URL with a password in it",
    ]);
    expect(JSON.stringify(violations)).not.toContain("Zx81kPq9LmW2");
    // Any other container (a third-party image that only reads its environment) keeps envs as its slot.
    const service = resource("docker:index/container:Container", "keycloak", {
      name: "odooops-keycloak",
      envs: [`KC_DB_URL=${url}`],
    });
    expect(await check(noPlaintextSecrets, [service])).toEqual([]);
  });

  it("refuses a token pasted into a gate exception of the catalog", async () => {
    const token = `ghp_${"Q7w8E9r0T1".repeat(4)}`;
    const catalog = catalogFor("shop", {
      exceptions: [
        {
          id: "x-1",
          type: "gate",
          rationale: `hotfix, CI token ${token}`,
          requestedBy: "dev",
          approver: "rm-ben",
          risk: "low",
          expiresAt: "2026-12-01T00:00:00Z",
          gates: ["G2"],
          reviewRequired: true,
          status: "approved",
        },
      ],
    });
    const violations = await check(
      noPlaintextSecrets,
      projectResources(SAFE_PROJECT, ["production"], catalog),
    );
    expect(violations.map((v) => [v.environment, v.message.split(" ")[0]])).toEqual([
      ["production", "plan.release.exceptions[0].rationale"],
    ]);
    expect(JSON.stringify(violations)).not.toContain(token);
  });

  it.each([
    [
      "a database URL with its password in a command line",
      { create: "pg_dump postgresql://doadmin:Zx81kPq9@db:25060/x" },
    ],
    ["a private key in a command line", { create: "echo '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn' > k" }],
  ])("refuses %s", async (_, inputs) => {
    const [v] = await check(noPlaintextSecrets, [resource("command:remote:Command", "cmd", inputs)]);
    expect(v!.message).toMatch(/^create holds/);
  });
});
