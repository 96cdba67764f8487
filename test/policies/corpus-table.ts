/**
 * What each file of the unsafe corpus (test/fixtures/unsafe/) must get: refused by a mandatory policy
 * (exit 1) naming the field, flagged by an advisory one (exit 0), or refused as invalid input (exit 2)
 * with the problem at the field and saying what.
 */
export type Expectation =
  | { exit: 1; policy: string; field: string; release?: false }
  | { exit: 0; advisory: string; field: string }
  | { exit: 2; field: string; says: string };

export const EXPECTED: Record<string, Expectation> = {
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
  "bundle-module-unverified": { exit: 0, advisory: "bundle-modules-verified", field: "bundles[1]" },
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
