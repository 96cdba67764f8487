import { createHash } from "node:crypto";

/** DNS labels (RFC 1035) are at most 63 characters of a-z, 0-9 and inner hyphens. */
export const DNS_LABEL_MAX = 63;
export const DNS_LABEL_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const DNS_NAME_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const HASH_LENGTH = 8;

export function shortHash(text: string, length = HASH_LENGTH): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/**
 * A branch whose slug can be written without loss: lowercase letters and digits in segments joined by
 * single hyphens, segments separated by `/`. Such a name never contains `--`, so writing `/` as `--` keeps
 * the slug reversible and therefore collision-free among clean names.
 */
const CLEAN_BRANCH = /^[a-z0-9]+(-[a-z0-9]+)*(\/[a-z0-9]+(-[a-z0-9]+)*)*$/;

/**
 * The environment slug of a branch: a DNS label, stable for a given branch name.
 * Clean names read as themselves (`release/v2` → `release--v2`); anything lossy (upper case, `_`, `.`,
 * non-ASCII, too long) is folded to a readable prefix plus a hash of the exact name, so two different
 * branches never share a slug by accident.
 */
export function branchSlug(branch: string): string {
  if (CLEAN_BRANCH.test(branch)) {
    const encoded = branch.replaceAll("/", "--");
    // Labels with `--` in positions 3–4 are reserved for IDNA (`xn--`); hash those too.
    if (encoded.length <= DNS_LABEL_MAX && encoded.slice(2, 4) !== "--") return encoded;
  }
  const folded = branch
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const room = DNS_LABEL_MAX - HASH_LENGTH - 1;
  const prefix = (folded || "branch").slice(0, room).replace(/-+$/, "");
  return `${prefix}-${shortHash(branch)}`;
}

/** Joins DNS labels into a host name. */
export function hostname(...labels: string[]): string {
  return labels.join(".");
}

/** A PostgreSQL identifier derived from DNS-safe parts (`-` is not welcome unquoted in SQL). */
export function databaseName(...parts: string[]): string {
  const name = parts.join("_").replaceAll("-", "_");
  return name.length <= 63 ? name : `${name.slice(0, 54)}_${shortHash(name)}`;
}
