import type {
  EnforcementLevel,
  Policies,
  ReportViolation,
  ResourceValidation,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { parseFinding } from "../../../model/rules/finding.ts";
import { ALL_POLICIES, PACK_ENFORCEMENT } from "../../../policies/all.ts";
import { releaseGatesPassed } from "../../../policies/release-gates.ts";
import type { CapturedResource } from "./capture.ts";
import {
  NotApplicable,
  policyProps,
  policyResources,
  resourceArgs,
  stackArgs,
  UnknownValueError,
} from "./policy-args.ts";
import { attribute, type Violation } from "./report.ts";

/**
 * The offline plan's policy run: the pack's own policy objects (policies/all.ts) evaluated on the
 * resources the mock runtime captured, the way the Pulumi CLI's analyzer evaluates them — resource
 * policies per resource, stack policies once over the whole stack, levels and config as
 * `--policy-pack-config` would set them, and a policy that meets an unknown value reported as advice.
 */
export interface EvaluateOptions {
  policies?: Policies;
  /** Per-policy config (`{ "<policy>": { enforcementLevel?, ...properties } }`). */
  config?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The time policies with a `now` property treat as now; default: the current time. */
  now?: Date | undefined;
}

/**
 * Policy config of a plan without a catalog (no control plane, no file): production's release gates
 * are advice, "not evaluated" — never judged against example data.
 */
export function gatesConfig(gatesEvaluated: boolean): EvaluateOptions["config"] {
  return gatesEvaluated
    ? undefined
    : { [releaseGatesPassed.name]: { enforcementLevel: "advisory", gatesEvaluated: false } };
}

type Level = Exclude<EnforcementLevel, "disabled" | "remediate">;

function levelOf(policy: ResourceValidationPolicy | StackValidationPolicy, options: EvaluateOptions) {
  const configured = options.config?.[policy.name]?.enforcementLevel as EnforcementLevel | undefined;
  const level = configured ?? policy.enforcementLevel ?? PACK_ENFORCEMENT;
  if (level === "disabled") return undefined;
  return (level === "remediate" ? "mandatory" : level) as Level;
}

/** Schema defaults, then --now for policies that take a `now`, then what the config sets for the policy. */
function configOf(policy: ResourceValidationPolicy | StackValidationPolicy, options: EvaluateOptions) {
  const properties = policy.configSchema?.properties ?? {};
  const defaults = Object.entries(properties).flatMap(([k, s]) =>
    s.default === undefined ? [] : [[k, s.default]],
  );
  const { enforcementLevel: _, ...configured } = options.config?.[policy.name] ?? {};
  const now = options.now && "now" in properties ? { now: options.now.toISOString() } : {};
  const config = { ...Object.fromEntries(defaults), ...now, ...configured };
  return () => ({ ...config });
}

function validationsOf(policy: ResourceValidationPolicy): ResourceValidation[] {
  const v = policy.validateResource;
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function isStackPolicy(p: ResourceValidationPolicy | StackValidationPolicy): p is StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
}

export async function evaluatePolicies(
  stack: string,
  captured: readonly CapturedResource[],
  options: EvaluateOptions = {},
): Promise<Violation[]> {
  const policies = options.policies ?? ALL_POLICIES;
  const attribution = attribute(captured);
  const violations: Violation[] = [];
  // One props object per resource, shared by every policy (the rules cache what they parse from it).
  const props = new Map(captured.map((r) => [r.urn, policyProps(r)]));

  const reporter =
    (policy: { name: string }, level: Level, defaultUrn: string | undefined): ReportViolation =>
    (message, urn) => {
      const resource = urn ?? defaultUrn;
      const owner = resource ? attribution.get(resource) : undefined;
      const { what, where, fix } = parseFinding(message);
      violations.push({
        stack,
        policy: policy.name,
        level,
        project: owner?.project,
        environment: owner?.environment,
        resource: resource ?? stack,
        message: what,
        where,
        fix: fix || undefined,
      });
    };
  const guarded = async (policy: { name: string }, urn: string | undefined, run: () => unknown) => {
    try {
      await run();
    } catch (error) {
      if (error instanceof NotApplicable) return;
      if (error instanceof UnknownValueError) {
        reporter(policy, "advisory", urn)(`can't run policy ${policy.name} during preview: ${error.message}`);
        return;
      }
      const where = urn ? ` on ${urn}` : "";
      throw new Error(`policy ${policy.name}${where} failed: ${(error as Error).message}`, { cause: error });
    }
  };

  let linked: ReturnType<typeof policyResources> | undefined;
  for (const policy of policies) {
    const level = levelOf(policy, options);
    if (!level) continue;
    const getConfig = configOf(policy, options);
    if (isStackPolicy(policy)) {
      linked ??= policyResources(captured, props);
      const args = stackArgs(linked, getConfig);
      await guarded(policy, undefined, () => policy.validateStack(args, reporter(policy, level, undefined)));
      continue;
    }
    for (const validate of validationsOf(policy)) {
      const type = (validate as { __pulumiType?: string }).__pulumiType;
      for (const resource of captured) {
        if (type !== undefined && resource.type !== type) continue;
        const args = resourceArgs(resource, props.get(resource.urn)!, getConfig);
        await guarded(policy, resource.urn, () => validate(args, reporter(policy, level, resource.urn)));
      }
    }
  }
  return violations;
}

/**
 * A project fact both stacks read (an odooOptions secret, say) is one mistake: keep the first report of
 * each policy, place and message.
 */
export function withoutRepeats(violations: readonly Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = [v.policy, v.project, v.environment, v.message, v.where].join("\u0000");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
