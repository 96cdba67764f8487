import { describe, expect, it } from "vitest";
import { projectJsonSchema } from "../../../model/input/json-schema.ts";
import { parseProject } from "../../../model/input/loader.ts";
import { isSecretKeyName } from "../../../model/rules/credentials.ts";
import { FREE_FORM_FIELDS, findPlaintextSecrets } from "../../../model/rules/secrets.ts";
import { minimalYaml } from "../../support/projects.ts";

/**
 * The secret detector's table: what a project file may not hold (true cases) and what looks alarming but
 * is a name, a reference or an ordinary setting (false cases). Each case is a field of the Project
 * component's inputs, scanned the way no-plaintext-secrets scans them.
 */
type Case = [where: string, key: string, value: string | number];

const fake = (prefix: string, body: string, times: number) => `${prefix}${body.repeat(times)}`;

const SECRETS: Case[] = [
  ["odooOptions", "admin_passwd", "hunter2"],
  ["odooOptions", "smtp_password", 12345678],
  ["odooOptions", "db_pwd", "letmein"],
  ["odooOptions", "ldap_passwd", "s3cret"],
  ["odooOptions", "report_pass", "Vq7-repo"],
  ["odooOptions", "webhook_token", "Vq7-webh"],
  ["odooOptions", "client_secret", "Vq7-clie"],
  ["odooOptions", "oauth_client_secret", "Vq7-oaut"],
  ["odooOptions", "api_key", "Vq7-api_"],
  ["odooOptions", "geoip_api_key", "Vq7-geoi"],
  ["odooOptions", "aws_secret_access_key", "Vq7-aws_"],
  ["odooOptions", "s3_access_key", "Vq7-s3_a"],
  ["odooOptions", "ssh_private_key", "Vq7-ssh_"],
  ["odooOptions", "bot_credentials", "user:pw"],
  ["odooOptions", "sentry_auth_token", "Vq7-sent"],
  ["odooOptions", "cert_passphrase", "Vq7-cert"],
  ["odooOptions", "upload_tokens", "t1,t2"],
  ["odooOptions", "report_url", "https://bot:S3cr3tPw@reports.example/x"],
  ["odooOptions", "cache_url", "redis://:S3cr3tPw@cache.internal:6379/0"],
  ["odooOptions", "queue_url", "amqp://guest:guest@mq:5672/"],
  ["odooOptions", "db_uri", "postgresql://doadmin:Zx81kPq9@db:25060/x"],
  ["odooOptions", "ftp", "ftp://user:pa55@files.example.com/in"],
  ["odooOptions", "gh", fake("ghp_", "aB3dE5fG7h", 4)],
  ["odooOptions", "gho", fake("gho_", "Zq1Wx2Ec3V", 4)],
  ["odooOptions", "ghs", fake("ghs_", "Zq1Wx2Ec3V", 4)],
  ["odooOptions", "fine_grained", fake("github_pat_11AB", "cdEF12ghIJ", 4)],
  ["odooOptions", "gitlab", fake("glpat-", "xY9zW8vU7t", 2)],
  ["odooOptions", "slack_bot", "xoxb-1234567890-abcdefghijkl"],
  ["odooOptions", "slack_user", "xoxp-1234567890-abcdefghijkl"],
  ["odooOptions", "slack_app", "xoxa-2-1234567890-abcdefghij"],
  ["odooOptions", "stripe", fake("sk_live_", "4eC39HqLyj", 3)],
  ["odooOptions", "stripe_restricted", fake("rk_live_", "4eC39HqLyj", 3)],
  ["odooOptions", "aws_id", "AKIAIOSFODNN7EXAMPLE"],
  ["odooOptions", "aws_session", "ASIAIOSFODNN7EXAMPLE"],
  ["odooOptions", "do", fake("dop_v1_", "0123456789abcdef", 4)],
  ["odooOptions", "do_oauth", fake("doo_v1_", "0123456789abcdef", 4)],
  ["odooOptions", "google", "AIzaSyA1B2C3D4E5F6G7H8I9J0K1L2M3N4O5P6Q"],
  ["odooOptions", "supabase", fake("sbp_", "0123456789", 4)],
  ["odooOptions", "pem", "-----BEGIN RSA PRIVATE KEY-----\nMIIE"],
  ["odooOptions", "openssh", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl"],
  ["odooOptions", "geoip_db", "Zx9Qm2Lp8Rt4Vw6Yb1Nc3Kd5Hf7Jg0Ts"],
  ["odooOptions", "report_footer", `see ${fake("ghp_", "aB3dE5fG7h", 4)} for access`],
  ["personas", "note", fake("ghp_", "aB3dE5fG7h", 4)],
  ["governance", "requiredChecks", "postgresql://ci:Pa55word@db/x"],
];

const NOT_SECRETS: Case[] = [
  ["branches", "match", "feature/JIRA-4711-AddPaymentTermsV2Wizard"],
  ["branches", "match", "release/2025-Q4-HotfixPaymentRounding7"],
  ["keep", "0", "demo/CustomerAcmeGmbH-Onboarding2025"],
  ["repo", "repo", "Org/AcmeERP-Odoo18-Custom2025"],
  ["repo", "repo", "InsightPulseAI/OdooEnterpriseMigrationV17toV18"],
  ["bundles", "0", "finance_ppm"],
  ["domains", "0", "erp-Prod2025Xq7.acme-Example99.com"],
  ["environments", "image", `ghcr.io/acme/erp@sha256:${"a1".repeat(32)}`],
  ["governance", "requiredChecks", "ci/OdooModuleTestsPostgres15Matrix2025"],
  ["personas", "users", "QaAnalyst2025-Team7X"],
  ["odooOptions", "limit_time_real", 600],
  ["odooOptions", "limit_memory_hard", 2684354560],
  ["odooOptions", "max_cron_threads", 2],
  ["odooOptions", "log_level", "info"],
  ["odooOptions", "bypass", "yes"],
  ["odooOptions", "tokenizer", "simple"],
  ["odooOptions", "passive_mode", "true"],
  ["odooOptions", "password_policy_min_length", 12],
  ["odooOptions", "secret_rotation_days", 30],
  ["odooOptions", "token_ttl_days", 7],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a reference to a secret, written as in YAML
  ["odooOptions", "admin_passwd", "${ODOO_ADMIN_PASSWORD}"],
  ["odooOptions", "smtp_password", "$SMTP_PASSWORD"],
  ["odooOptions", "api_key", "<set in pulumi config>"],
  ["odooOptions", "db_password", ""],
  ["odooOptions", "report_url", "https://reports.example.com:8443/x"],
  ["odooOptions", "report_url2", "https://user@reports.example.com/x"],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a reference to a secret, written as in YAML
  ["odooOptions", "db_uri", "postgresql://odoo:${DB_PASSWORD}@db:5432/odoo"],
  ["odooOptions", "mail_to", "mailto:ops@acme.example"],
  ["odooOptions", "git", "git@github.com:acme/erp.git"],
  ["odooOptions", "ghp_note", "ghp_short"],
  ["odooOptions", "aws_example", "AKIA-not-a-key"],
  ["odooOptions", "do_prefix", "dop_v1_tooshort"],
  ["odooOptions", "slack_doc", "xoxb-"],
  ["odooOptions", "stripe_test", fake("sk_test_", "4eC39HqLyj", 3)],
  ["odooOptions", "commit", "9fceb02d0ae598e95dc970b74767f19372d61af8"],
  ["odooOptions", "digest", `sha256:${"0f".repeat(32)}`],
  ["odooOptions", "dbfilter_hint", "^%d$"],
  ["odooOptions", "addons_hint", "/mnt/extra-addons,/mnt/oca/account-financial-tools"],
  ["odooOptions", "title", "OdooopsPlatformBuild"],
  ["odooOptions", "public_key", "-----BEGIN PUBLIC KEY-----\nMIIB"],
  ["odooOptions", "csv_internal_sep", ","],
  ["odooOptions", "unaccent", "true"],
];

/** A Project component's inputs with `value` at `where.key`. */
function inputs([where, key, value]: Case): Record<string, unknown> {
  const field = where === "odooOptions" ? { [key]: value } : { [key]: [value] };
  return { project: { [where]: field } };
}

const scan = (c: Case) =>
  findPlaintextSecrets(inputs(c), {
    mode: "strict",
    freeForm: FREE_FORM_FIELDS["odooops:project:Project"],
  });

describe("the secret detector", () => {
  it("has at least 40 true and 40 false cases", () => {
    expect(SECRETS.length).toBeGreaterThanOrEqual(40);
    expect(NOT_SECRETS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(SECRETS)("finds a secret in %s.%s", (...c) => {
    const findings = scan(c);
    expect(findings).toHaveLength(1);
    expect(JSON.stringify(findings)).not.toContain(String(c[2]));
  });

  it.each(NOT_SECRETS)("finds nothing in %s.%s = %s", (...c) => {
    expect(scan(c)).toEqual([]);
  });

  it("reads key names by their words", () => {
    expect(["db_pwd", "smtpPassword", "API-Key", "x_tokens"].every(isSecretKeyName)).toBe(true);
    expect(["bypass", "tokenizer", "passive", "compass"].some(isSecretKeyName)).toBe(false);
  });
});

describe("credentials in YAML comments", () => {
  it.each([
    ["a GitHub token", `# deploy with ${fake("ghp_", "aB3dE5fG7h", 4)}\n`, "GitHub token"],
    ["a database URL", "retention: { daily: 7 } # restore from postgres://u:Pw9xQ@db/x\n", "password"],
    ["an AWS key", "#AKIAIOSFODNN7EXAMPLE\n", "AWS access key id"],
  ])("refuses %s in a comment, at its line", (_name, comment, says) => {
    const { problems } = parseProject("projects/acme.yaml", `${minimalYaml()}${comment}`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: "projects/acme.yaml", line: 6 });
    expect(problems[0]!.message).toContain(says);
    expect(problems[0]!.message).toContain("revoke");
  });

  it("leaves ordinary comments alone", () => {
    const text = `# yaml-language-server: $schema=./schema.json\n${minimalYaml()}# see https://docs.example/ops#backups\n`;
    expect(parseProject("projects/acme.yaml", text).problems).toEqual([]);
  });
});

describe("which fields are free-form", () => {
  /** Paths of the project JSON Schema where any string is accepted (no pattern, enum or format). */
  function unconstrainedStrings(node: unknown, path: string, out: string[]): string[] {
    if (Array.isArray(node)) {
      for (const [i, n] of node.entries()) unconstrainedStrings(n, `${path}[${i}]`, out);
    } else if (node !== null && typeof node === "object") {
      const schema = node as Record<string, unknown>;
      const types = ([] as unknown[]).concat(schema.type ?? []);
      if (types.includes("string") && !["pattern", "enum", "format", "const"].some((k) => k in schema))
        out.push(path);
      for (const [key, value] of Object.entries(schema)) unconstrainedStrings(value, `${path}/${key}`, out);
    }
    return out;
  }

  it("leaves the entropy heuristic only the fields the schema does not type", () => {
    const schema: unknown = JSON.parse(projectJsonSchema());
    // Refinements the JSON Schema cannot show type these (durations, cron, check names); only the
    // option values are free text, and FREE_FORM_FIELDS names exactly them. A new free-form field
    // shows up here and must be classified.
    expect(unconstrainedStrings(schema, "", [])).toEqual([
      "/properties/branches/items/properties/ttl",
      "/properties/odooOptions/additionalProperties",
      "/properties/backup/properties/schedule",
      "/properties/backup/properties/drill",
      "/properties/governance/properties/requiredChecks/items",
    ]);
    expect(FREE_FORM_FIELDS["odooops:project:Project"]).toEqual(["project.odooOptions"]);
  });
});
