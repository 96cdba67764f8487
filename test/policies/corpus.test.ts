import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";
import type { Catalog } from "../../model/catalog.ts";
import { parseProject } from "../../model/loader.ts";

/**
 * The unsafe-config corpus: one project file per way to get safety wrong (test/fixtures/unsafe/, each
 * file says what is unsafe in its header). Every one must be refused — by the schema (exit 2) or by a
 * mandatory policy (exit 1) — with a message naming the field. A safe file of the same shape passes,
 * so each refusal is the mutation's doing.
 */
const CORPUS = "test/fixtures/unsafe";
const NOW = "2026-11-23T12:00:00Z";

type Expectation =
  | { exit: 1; policy: string; field: string; release?: false }
  | { exit: 0; advisory: string; field: string }
  | { exit: 2; field: string; says: string };

const EXPECTED: Record<string, Expectation> = {
  "mail-catcher-off-staging": {
    exit: 1,
    policy: "non-production-mail-catcher",
    field: "environments.staging.mailCatcher",
  },
  "mail-catcher-off-development": {
    exit: 1,
    policy: "non-production-mail-catcher",
    field: "environments.development.mailCatcher",
  },
  "smtp-egress-staging": {
    exit: 1,
    policy: "non-production-smtp-egress-blocked",
    field: "environments.staging.smtpEgress",
  },
  "smtp-egress-development": {
    exit: 1,
    policy: "non-production-smtp-egress-blocked",
    field: "environments.development.smtpEgress",
  },
  "staging-unmasked": { exit: 1, policy: "staging-data-masked", field: "environments.staging.clone.mask" },
  "staging-not-neutralized": {
    exit: 1,
    policy: "staging-data-neutralized",
    field: "environments.staging.clone.neutralize",
  },
  "preview-ttl-never": { exit: 1, policy: "non-production-expiry", field: "branches[2].ttl" },
  "staging-ttl-never": { exit: 1, policy: "non-production-expiry", field: "branches[1].ttl" },
  "long-lived-branch-not-kept": { exit: 1, policy: "non-production-expiry", field: "branches[3].ttl" },
  "production-image-tag": {
    exit: 1,
    policy: "images-pinned-by-digest",
    field: "environments.production.image",
  },
  "production-image-untagged": {
    exit: 1,
    policy: "images-pinned-by-digest",
    field: "environments.production.image",
  },
  "retention-daily-short": { exit: 1, policy: "production-backup-retention", field: "retention.daily" },
  "retention-weekly-zero": { exit: 1, policy: "production-backup-retention", field: "retention.weekly" },
  "retention-monthly-short": { exit: 1, policy: "production-backup-retention", field: "retention.monthly" },
  "ssh-world-production": {
    exit: 1,
    policy: "ssh-not-open-to-world",
    field: "environments.production.sshSources[0]",
  },
  "ssh-world-staging-ipv6": {
    exit: 1,
    policy: "ssh-not-open-to-world",
    field: "environments.staging.sshSources[0]",
  },
  "ssh-world-development": {
    exit: 1,
    policy: "ssh-not-open-to-world",
    field: "environments.development.sshSources[1]",
  },
  "admin-password-in-yaml": { exit: 1, policy: "no-plaintext-secrets", field: "odooOptions.admin_passwd" },
  "smtp-password-in-yaml": { exit: 1, policy: "no-plaintext-secrets", field: "odooOptions.smtp_password" },
  "token-in-odoo-options": {
    exit: 1,
    policy: "no-plaintext-secrets",
    field: "odooOptions.report_webhook_auth",
  },
  "smtp-relay-override": {
    exit: 1,
    policy: "odoo-options-not-platform-owned",
    field: "odooOptions.smtp_server",
  },
  "database-manager-exposed": {
    exit: 1,
    policy: "odoo-options-not-platform-owned",
    field: "odooOptions.list_db",
  },
  "self-review-allowed": {
    exit: 1,
    policy: "production-environment-reviewers",
    field: "governance.production.preventSelfReview",
  },
  "too-many-reviewers": {
    exit: 1,
    policy: "environment-reviewers-within-github-limit",
    field: "personas.release_manager.teams",
  },
  "no-release-manager": {
    exit: 1,
    policy: "production-environment-reviewers",
    field: "personas.release_manager",
  },
  "no-required-checks": {
    exit: 1,
    policy: "production-branch-required-checks",
    field: "governance.requiredChecks",
  },
  "unreleased-image": {
    exit: 1,
    policy: "release-gates-passed",
    field: "environments.production.image",
    release: false,
  },
  "production-ttl": { exit: 2, field: "branches[0].ttl", says: "production never expires" },
  "production-pattern": { exit: 2, field: "branches[0].match", says: "must name one branch" },
  "two-production-branches": { exit: 2, field: "branches[1].stage", says: "only one branch is production" },
  "keep-production": { exit: 2, field: "keep[0]", says: "production branch" },
  "mask-profile-unknown": { exit: 2, field: "environments.staging.clone.mask", says: "default" },
  "neutralize-typo": { exit: 2, field: "environments.staging.clone.neutralise", says: "did you mean" },
  "mail-catcher-string": { exit: 2, field: "environments.staging.mailCatcher", says: "boolean" },
  "retention-negative": { exit: 2, field: "retention.daily", says: "at least 0" },
  "ssh-source-not-cidr": { exit: 2, field: "environments.production.sshSources[0]", says: "CIDR" },
  "image-unqualified": { exit: 2, field: "environments.production.image", says: "container image reference" },
  "url-password-empty-user": { exit: 1, policy: "no-plaintext-secrets", field: "odooOptions.cache_url" },
  "secret-key-pwd": { exit: 1, policy: "no-plaintext-secrets", field: "odooOptions.ldap_pwd" },
  "slack-token-in-value": { exit: 1, policy: "no-plaintext-secrets", field: "odooOptions.alert_hook" },
  "gitlab-token-in-comment": { exit: 2, field: "", says: "a comment holds a GitLab token" },
  "ssh-world-halves": {
    exit: 1,
    policy: "ssh-not-open-to-world",
    field: "environments.production.sshSources[0]",
  },
  "ssh-global-ipv6": {
    exit: 1,
    policy: "ssh-not-open-to-world",
    field: "environments.staging.sshSources[0]",
  },
  "preview-ttl-centuries": { exit: 1, policy: "non-production-expiry", field: "branches[2].ttl" },
  "backup-weekly": { exit: 1, policy: "production-backup-retention", field: "backup.schedule" },
  "checks-no-module-tests": {
    exit: 1,
    policy: "production-branch-required-checks",
    field: "governance.requiredChecks",
  },
  "qa-also-release-manager": {
    exit: 1,
    policy: "personas-separated",
    field: "personas.release_manager.users",
  },
  "qa-team-as-release-managers": {
    exit: 1,
    policy: "personas-separated",
    field: "personas.release_manager.teams",
  },
  "dev-mode-on": { exit: 1, policy: "odoo-options-safe", field: "odooOptions.dev_mode" },
  "http-interface-override": { exit: 1, policy: "odoo-options-safe", field: "odooOptions.http_interface" },
  "proxy-mode-off": { exit: 1, policy: "odoo-options-not-platform-owned", field: "odooOptions.proxy_mode" },
  "dbfilter-any-database": {
    exit: 1,
    policy: "odoo-options-not-platform-owned",
    field: "odooOptions.dbfilter",
  },
  "server-wide-modules": {
    exit: 0,
    advisory: "odoo-options-advice",
    field: "odooOptions.server_wide_modules",
  },
  "budget-across-stacks": {
    exit: 0,
    advisory: "project-monthly-cost-within-budget",
    field: "budget.monthlyUsd",
  },
  "invisible-keep": { exit: 2, field: "keep[0]", says: "U+200B" },
  "bidi-branch-rule": { exit: 2, field: "branches[1].match", says: "U+202E" },
  "invisible-required-check": { exit: 2, field: "governance.requiredChecks[1]", says: "U+200D" },
  "alias-before-anchor": { exit: 2, field: "", says: "alias *r is used before any anchor &r" },
  "alias-loop": { exit: 2, field: "", says: "would contain itself" },
};

const files = readdirSync(CORPUS).filter((f) => f.endsWith(".yaml"));
/** Tricky but valid: long mixed-case names, unusual but narrow CIDRs, kept branches, secret-like settings. */
const SAFE = "test/fixtures/safe";
const safeFiles = readdirSync(SAFE).filter((f) => f.endsWith(".yaml"));
const dir = mkdtempSync(join(tmpdir(), "odooops-corpus-"));

/** Live staging and development branches for every project, and a passed G1–G3 release of its image. */
function catalogFile(paths: readonly string[]): string {
  const catalog: Catalog = { projects: {} };
  for (const path of paths) {
    const project = parseProject(path, readFileSync(path, "utf8")).loaded?.project;
    if (!project) continue;
    const image = project.environments.production.image;
    const build = (id: string) => ({
      id,
      image: `ghcr.io/acme/${project.name}@sha256:${"9c".repeat(32)}`,
      commit: "abc1234",
      builtAt: "2026-11-22T10:00:00Z",
      checks: {},
    });
    const released =
      EXPECTED[project.name]?.exit !== 1 || (EXPECTED[project.name] as { release?: false }).release !== false;
    catalog.projects[project.name] = {
      branches: [
        { name: "release/1.0", build: build("b-1") },
        { name: "feature/login", build: build("b-2") },
        { name: "demo", build: build("b-3") },
        // Long mixed-case names: names, which the secret detector must never take for tokens.
        { name: "feature/JIRA-4711-AddPaymentTermsV2Wizard", build: build("b-4") },
        { name: "release/2025-Q4-HotfixPaymentRounding7", build: build("b-5") },
        { name: "training", build: build("b-6") },
      ],
      releases: released ? [{ id: "r-1", image, passed: ["G1", "G2", "G3"], exceptions: [] }] : [],
    };
  }
  const file = join(dir, "catalog.json");
  writeFileSync(file, JSON.stringify(catalog));
  return file;
}

const baseline = readFileSync(join(CORPUS, "retention-daily-short.yaml"), "utf8")
  .replaceAll("retention-daily-short", "corpus-baseline")
  .replace("daily: 3", "daily: 7");
const baselineFile = join(dir, "corpus-baseline.yaml");
writeFileSync(baselineFile, baseline);
const catalog = catalogFile([
  ...files.map((f) => join(CORPUS, f)),
  ...safeFiles.map((f) => join(SAFE, f)),
  baselineFile,
]);

async function plan(file: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["plan", file, "--catalog", catalog, "--now", NOW], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("the unsafe-config corpus", () => {
  it("holds at least 25 files, each described by the table, each saying what is unsafe", () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
    expect(files.map((f) => f.replace(/\.yaml$/, "")).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const f of files) expect(readFileSync(join(CORPUS, f), "utf8")).toMatch(/^# UNSAFE: \S/m);
  });

  it("has a safe twin that plans without mandatory violations", async () => {
    const { code, out } = await plan(baselineFile);
    expect(out).not.toContain("[mandatory]");
    expect(code).toBe(0);
  });

  it.each(safeFiles)("passes the tricky-but-valid %s", async (name) => {
    const { code, out, err } = await plan(join(SAFE, name));
    expect(err).toBe("");
    expect(out).not.toContain("[mandatory]");
    expect(out).not.toContain("[advisory]");
    expect(code).toBe(0);
  });

  it.each(Object.entries(EXPECTED))("refuses %s", async (name, expected) => {
    const file = join(CORPUS, `${name}.yaml`);
    const { code, out, err } = await plan(file);
    expect(code).toBe(expected.exit);
    if (expected.exit === 2) {
      const problem = err
        .split("\n")
        .find((line) => line.includes(` ${expected.field}`) && line.includes(expected.says));
      expect(problem, err).toMatch(new RegExp(`^${file}:\\d+:\\d+ `));
      expect(problem).toContain(expected.says);
      return;
    }
    const [level, policy] =
      expected.exit === 0 ? ["advisory", expected.advisory] : ["mandatory", expected.policy];
    if (expected.exit === 0) expect(out).not.toContain("[mandatory]");
    const violation = out.split("\n").findIndex((line) => line.includes(`[${level}] ${policy} `));
    expect(violation, out).toBeGreaterThanOrEqual(0);
    const where = out
      .split("\n")
      .slice(violation + 1)
      .find((line) => line.trim().startsWith("where:"));
    expect(where).toMatch(
      new RegExp(`where: ${file}:\\d+:\\d+ ${expected.field.replace(/[.[\]]/g, "\\$&")}$`),
    );
  });
});
