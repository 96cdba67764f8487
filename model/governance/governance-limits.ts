/**
 * Governance constants the policy pack holds every project to. They are decisions, not defaults: a
 * project file cannot raise them, only an approved exception could.
 */

/**
 * Longest TTL a development or staging rule may give its environments. Beyond a quarter an environment
 * is no longer a preview but an unmanaged copy; a branch meant to live on is listed under `keep`.
 */
export const MAX_NON_PRODUCTION_TTL_DAYS = 90;

/**
 * The commit statuses G1 (Build Integrity) reads as its `checks_status` evidence: the app workflow posts
 * both (.github/workflows/app-build.yml), and the production branch must require both.
 */
export const G1_REQUIRED_CHECKS = ["odooops/build", "odooops/module-tests"] as const;

/** Daily retention is only honest if a backup is taken at least once a day: no gap may exceed this. */
export const MAX_BACKUP_GAP_HOURS = 24;
