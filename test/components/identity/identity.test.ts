import { describe, expect, it } from "vitest";
import type { CapturedResource } from "../../../cli/commands/plan/capture.ts";
import { parseProject } from "../../../model/input/loader.ts";
import {
  OIDC_CLIENT_SECRET_ENV,
  OIDC_PROVIDER_ENV,
  odooOidcProvider,
  SIGN_IN_SCRIPT,
} from "../../../model/plan/identity/odoo-provider.ts";
import { realmName } from "../../../model/plan/identity/realm.ts";
import { initialModules } from "../../../model/plan/odoo-config.ts";
import { identityPolicies } from "../../../policies/identity.ts";
import { catalog, DIGEST, input, plan, run } from "../../components/support.ts";
import { check } from "../../policies/harness.ts";

const CLIENT = "keycloak:openid/client:Client";
const SSO = `personas:
  developer: { teams: [acme-devs] }
  release_manager: { users: [rm-ben] }
sso:
  odoo: { loginLabel: "Sign in with ACME" }
`;
const yaml = (sso = SSO) => `name: acme
repo: acme/acme
domains: [erp.acme.example]
environments:
  production:
    image: ghcr.io/acme/acme@${DIGEST(1)}
${sso}`;
const live = catalog("acme", [
  ["release/1.0", "b-1"],
  ["feature/login", "b-2"],
]);

const clients = (resources: readonly CapturedResource[]) => resources.filter((r) => r.type === CLIENT);
const violations = (resources: CapturedResource[]) =>
  Promise.all(identityPolicies.map((p) => check(p, resources))).then((v) => v.flat());

describe("tenant identity in Keycloak", () => {
  it("prod stack: one realm per project with MFA, persona groups, Odoo and Superset clients on the tenant's hosts", async () => {
    const graph = await run(plan(yaml(), live, "prod"));
    const [realm] = graph.ofType("keycloak:index/realm:Realm");
    expect(input(realm!, "realm")).toBe(realmName("acme"));
    expect(realm!.options.protect).toBe(true);
    expect(
      graph.ofType("keycloak:index/requiredAction:RequiredAction").map((r) => input(r, "alias")),
    ).toEqual(["CONFIGURE_TOTP"]);
    expect(graph.ofType("keycloak:index/group:Group").map((g) => input(g, "name"))).toEqual([
      "developer",
      "release_manager",
    ]);
    const byId = Object.fromEntries(clients(graph.resources).map((c) => [input(c, "clientId"), c]));
    expect(Object.keys(byId).sort()).toEqual(["odoo", "superset"]);
    expect(input(byId.odoo!, "validRedirectUris")).toEqual([
      "https://acme.odooops.example/auth_oauth/signin",
      "https://erp.acme.example/auth_oauth/signin",
    ]);
    expect(input(byId.superset!, "validRedirectUris")).toEqual([
      "https://bi.odooops.example/oauth-authorized/acme",
    ]);
    // Keycloak generates the secret; it is never an input the plan could print.
    expect(input(byId.odoo!, "clientSecret")).toBeUndefined();
    expect(await violations(graph.resources)).toEqual([]);
  });

  it("staging stack: adds only a non-production Odoo client to the prod stack's realm, with its own hosts", async () => {
    const graph = await run(plan(yaml(), live, "staging"));
    expect(graph.ofType("keycloak:index/realm:Realm")).toEqual([]);
    const [client, ...more] = clients(graph.resources);
    expect(more).toEqual([]);
    expect(input(client!, "realmId")).toBe("tenant-acme");
    expect(input(client!, "clientId")).toBe("odoo-nonprod");
    const uris = input(client!, "validRedirectUris") as string[];
    expect(uris).toEqual([
      "https://feature--login.acme.dev.odooops.example/auth_oauth/signin",
      "https://release-1-0-05c07dbf.acme.staging.odooops.example/auth_oauth/signin",
    ]);
    expect(uris.some((u) => u.includes("erp.acme.example") || u.startsWith("https://acme.odooops"))).toBe(
      false,
    );
    expect(await violations(graph.resources)).toEqual([]);
  });

  it("no sso block: no Keycloak resource at all, and auth_oidc is installed only with sso", async () => {
    const graph = await run(plan(yaml(""), live, "prod"));
    expect(graph.resources.filter((r) => r.type.startsWith("keycloak:"))).toEqual([]);
    expect(initialModules([], false)).not.toContain("auth_oidc");
    expect(initialModules([], true)).toContain("auth_oidc");
  });
});

describe("mandatory client policies: each unsafe variant is refused", async () => {
  const graph = await run(plan(yaml(), live, "prod"));
  const mutated = (change: Record<string, unknown>) =>
    graph.resources.map((r) =>
      r.type === CLIENT && r.inputs.clientId === "odoo" ? { ...r, inputs: { ...r.inputs, ...change } } : r,
    );

  it.each([
    [
      "a public client with a secret",
      { accessType: "PUBLIC", clientSecret: "s3cr3t" },
      "keycloak-no-public-client-secret",
      "PUBLIC but carries a client secret",
    ],
    ["PKCE off", { pkceCodeChallengeMethod: "" }, "keycloak-pkce-required", "without PKCE S256"],
    [
      "a plain PKCE challenge",
      { pkceCodeChallengeMethod: "plain" },
      "keycloak-pkce-required",
      "(pkceCodeChallengeMethod: plain)",
    ],
    ["the implicit flow", { implicitFlowEnabled: true }, "keycloak-pkce-required", "implicit flow"],
    ["the password grant", { directAccessGrantsEnabled: true }, "keycloak-pkce-required", "password grant"],
    [
      "another tenant's host",
      { validRedirectUris: ["https://globex.odooops.example/auth_oauth/signin"] },
      "keycloak-redirect-uris-tenant-hosts",
      "globex.odooops.example",
    ],
    [
      "a wildcard",
      { validRedirectUris: ["https://acme.odooops.example/*"] },
      "keycloak-redirect-uris-tenant-hosts",
      "wildcards match any suffix",
    ],
    [
      "plain http",
      { validRedirectUris: ["http://acme.odooops.example/auth_oauth/signin"] },
      "keycloak-redirect-uris-tenant-hosts",
      "http://acme",
    ],
  ])("refuses %s", async (_what, change, policy, message) => {
    const [v, ...rest] = await violations(mutated(change));
    expect(rest).toEqual([]);
    expect(v!.policy).toBe(policy);
    expect(v!.level).toBe("mandatory");
    expect(v!.message).toContain(message);
    expect(v!.fix).not.toBe("");
  });

  it("a public client without a secret is not refused for being public", async () => {
    const [v] = await violations(mutated({ accessType: "PUBLIC" }));
    expect(v).toBeUndefined();
  });
});

describe("sso block in the project file", () => {
  it.each([
    ["sso:\n  mfa: sometimes\n", "sso.mfa"],
    ["sso:\n  sessionIdleMinutes: 1\n", "sso.sessionIdleMinutes"],
    ['sso:\n  odoo: { loginLabel: "<script>" }\n', "sso.odoo.loginLabel"],
    ["sso:\n  pkce: false\n", "sso.pkce"],
  ])("refuses %j with file:line:col and the field", (block, field) => {
    const text = yaml(block);
    const { problems } = parseProject("projects/acme.yaml", text);
    const [p] = problems;
    expect(p!.path).toBe(field);
    expect(p!.file).toBe("projects/acme.yaml");
    expect(p!.line).toBeGreaterThanOrEqual(text.split("\n").findIndex((l) => l.startsWith("sso:")) + 1);
  });
});

describe("sign-in in each environment's Odoo", () => {
  const signIns = (graph: Awaited<ReturnType<typeof run>>) =>
    graph.resources.filter((r) => r.name.endsWith("-sign-in-command"));

  it.each([
    ["prod", "odoo", 1],
    ["staging", "odoo-nonprod", 2],
  ] as const)(
    "%s stack: the stack's client is written into every environment's database after its module update",
    async (stack, clientId, count) => {
      const graph = await run(plan(yaml(), live, stack));
      const steps = signIns(graph);
      expect(steps).toHaveLength(count);
      for (const step of steps) {
        const script = String(step.inputs.create);
        // The secret reaches the container by name only, never on a command line.
        expect(script).toContain(`-e ${OIDC_PROVIDER_ENV} -e ${OIDC_CLIENT_SECRET_ENV} `);
        expect(script).toMatch(/ shell -c \S+ -d \S+ --no-http/);
        expect(step.secretPaths).toContain("connection");
        // The environment (odoo.conf, the record, the client's secret) is a secret, and unknown in a
        // preview until Keycloak has made the client: never a plain value in the plan.
        const environment = step.inputs.environment;
        expect(step.secretPaths.includes("environment") || /^[0-9a-f-]{36}$/.test(String(environment))).toBe(
          true,
        );
        const update = graph.resources.find(
          (r) => r.name === step.name.replace(/-sign-in-command$/, "-update-command"),
        );
        expect(update, step.name).toBeDefined();
        expect(graph.prerequisites(step)).toContain(update!.urn);
      }
      expect(clients(graph.resources).map((c) => input(c, "clientId"))).toContain(clientId);
    },
  );

  it("without sso there is no sign-in step", async () => {
    expect(signIns(await run(plan(yaml(""), live, "prod")))).toEqual([]);
  });

  it("writes only fields auth_oauth and OCA auth_oidc define, and every field auth_oauth requires", () => {
    // odoo/odoo addons/auth_oauth/models/auth_oauth.py and OCA/server-auth auth_oidc/models/auth_oauth_provider.py.
    const AUTH_OAUTH = [
      "name",
      "client_id",
      "auth_endpoint",
      "scope",
      "validation_endpoint",
      "data_endpoint",
      "enabled",
      "css_class",
      "body",
      "sequence",
    ];
    const AUTH_OIDC = [
      "flow",
      "token_map",
      "client_secret",
      "code_verifier",
      "token_endpoint",
      "jwks_uri",
      "end_session_endpoint",
    ];
    const record = odooOidcProvider("acme", "odooops.example", "odoo", "Sign in with ACME");
    expect(Object.keys(record).filter((k) => !AUTH_OAUTH.includes(k) && !AUTH_OIDC.includes(k))).toEqual([]);
    for (const required of ["name", "auth_endpoint", "validation_endpoint", "body"])
      expect(record, required).toHaveProperty(required);
    expect(SIGN_IN_SCRIPT).toContain(`os.environ['${OIDC_CLIENT_SECRET_ENV}']`);
  });
});

describe("the auth_oidc provider record", () => {
  it("uses auth_oidc's code flow and the realm's Keycloak endpoints", () => {
    const record = odooOidcProvider("acme", "odooops.example", "odoo", "Sign in with ACME");
    expect(record).toMatchObject({
      flow: "id_token_code",
      client_id: "odoo",
      body: "Sign in with ACME",
      auth_endpoint: "https://id.odooops.example/realms/tenant-acme/protocol/openid-connect/auth",
      token_endpoint: "https://id.odooops.example/realms/tenant-acme/protocol/openid-connect/token",
      jwks_uri: "https://id.odooops.example/realms/tenant-acme/protocol/openid-connect/certs",
    });
    expect(record.scope.split(" ")).toContain("openid");
    expect(record).not.toHaveProperty("client_secret");
  });
});
