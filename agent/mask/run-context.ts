import { pbkdf2Sync, randomBytes } from "node:crypto";
import { type MaskProfileName, type MaskRule, maskRules } from "../../model/data/masking.ts";
import { sipKey } from "../hash/siphash.ts";
import type { MaskContext } from "./strategies.ts";
import { ValueHashes } from "./value-hashes.ts";

/** passlib's "adapted base64" (./ instead of +/, no padding), as Odoo's pbkdf2_sha512 hashes use. */
function ab64(bytes: Buffer): string {
  return bytes.toString("base64").replace(/=+$/, "").replaceAll("+", ".");
}

/**
 * The hash Odoo's login accepts for `password` (passlib pbkdf2_sha512, the scheme of Odoo's
 * CryptContext), computed once per run and given to every user.
 */
export function odooPasswordHash(password: string, rounds = 100_000): string {
  const salt = randomBytes(16);
  const checksum = pbkdf2Sync(password, salt, rounds, 64, "sha512");
  return `$pbkdf2-sha512$${rounds}$${ab64(salt)}$${ab64(checksum)}`;
}

export interface MaskRun {
  profile: MaskProfileName;
  rules: MaskRule[];
  extras: readonly MaskRule[];
  ctx: MaskContext;
  hashes: ValueHashes;
}

/**
 * One masking run: a fresh secret key (never stored, so masks cannot be reversed or linked to another
 * run) and a fresh seed for the leak scan's hashes.
 */
export function newMaskRun(
  profile: MaskProfileName,
  extras: readonly MaskRule[],
  password: string | undefined,
): MaskRun {
  return {
    profile,
    rules: maskRules(profile, extras),
    extras,
    ctx: { key: sipKey(randomBytes(16)), password: password ? odooPasswordHash(password) : null },
    hashes: new ValueHashes(randomBytes(4).readUInt32BE(0)),
  };
}

/** The `odooops.masked` marker: which profile and extra columns a database was masked with, and when. */
export function maskedMarker(run: MaskRun): string {
  return JSON.stringify({
    profile: run.profile,
    extras: run.extras.map((e) => `${e.table}.${e.column}:${e.strategy}`).sort(),
    at: new Date().toISOString(),
  });
}

export function sameMasking(
  marker: string | undefined,
  profile: MaskProfileName,
  extras: readonly MaskRule[],
): boolean {
  if (!marker) return false;
  try {
    const parsed = JSON.parse(marker) as { profile?: string; extras?: string[] };
    const wanted = extras.map((e) => `${e.table}.${e.column}:${e.strategy}`).sort();
    return parsed.profile === profile && JSON.stringify(parsed.extras ?? []) === JSON.stringify(wanted);
  } catch {
    return false;
  }
}
