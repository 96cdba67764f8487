import type { PolicyConfigSchema } from "@pulumi/policy";

/**
 * Policy configuration (`pulumi preview --policy-pack-config`, or the offline plan's --now): the time
 * expiry and exception checks treat as now, so that runs can be reproduced and tests are deterministic.
 */
export const NOW_SCHEMA: PolicyConfigSchema = {
  properties: {
    now: {
      type: "string",
      description: "ISO 8601 time the policy treats as now (default: the current time)",
    },
  },
};

export function nowOf(args: { getConfig<T extends object>(): T }): Date {
  const { now } = args.getConfig<{ now?: string }>();
  if (now === undefined) return new Date();
  const date = new Date(now);
  if (Number.isNaN(date.getTime()))
    throw new Error(`policy config now must be an ISO 8601 time, got "${now}"`);
  return date;
}

/** A number from the policy config, else `fallback`. */
export function numberOf(args: { getConfig<T extends object>(): T }, key: string, fallback: number): number {
  const value = args.getConfig<Record<string, unknown>>()[key];
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

/**
 * The release-gate policy's config: `now`, and `gatesEvaluated: false` when the run has no build
 * catalog (no control plane, no file). The offline plan then also sets the policy to advisory.
 */
export const GATES_SCHEMA: PolicyConfigSchema = {
  properties: {
    ...NOW_SCHEMA.properties,
    gatesEvaluated: {
      type: "boolean",
      default: true,
      description: "false: no build catalog was read, so the gates are reported as not evaluated",
    },
  },
};

export function gatesEvaluated(args: { getConfig<T extends object>(): T }): boolean {
  return args.getConfig<{ gatesEvaluated?: boolean }>().gatesEvaluated !== false;
}
