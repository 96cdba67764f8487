import type { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { type ProjectFacts, readProjectFacts } from "../../model/rules/facts.ts";
import { formatFinding, type RuleFinding } from "../../model/rules/finding.ts";
import { locateField } from "../../model/rules/sources.ts";

/** Type tokens the rules read: our components, and the provider resources they create. */
export const TYPES = {
  project: "odooops:project:Project",
  environment: "odooops:environment:Environment",
  droplet: "digitalocean:index/droplet:Droplet",
  firewall: "digitalocean:index/firewall:Firewall",
  databaseCluster: "digitalocean:index/databaseCluster:DatabaseCluster",
  databaseFirewall: "digitalocean:index/databaseFirewall:DatabaseFirewall",
  container: "docker:index/container:Container",
  remoteImage: "docker:index/remoteImage:RemoteImage",
  remoteCommand: "command:remote:Command",
  repositoryEnvironment: "github:index/repositoryEnvironment:RepositoryEnvironment",
  repositoryRuleset: "github:index/repositoryRuleset:RepositoryRuleset",
  branchProtection: "github:index/branchProtection:BranchProtection",
  oidcClient: "keycloak:openid/client:Client",
  platformServices: "odooops:services:PlatformServices",
} as const;

export type Props = Record<string, unknown>;
export type TypedValidation = (props: Props, args: ResourceValidationArgs, report: ReportViolation) => void;

/**
 * A validation for one resource type, tagged with the type so the analyzer skips other resources
 * without calling it (the same marker `validateResourceOfType` sets for provider classes).
 */
export function forType(type: string, validate: TypedValidation): ResourceValidation {
  const fn: ResourceValidation & { __pulumiType?: string } = (args, report) => {
    if (args.type !== type) args.notApplicable(`applies to ${type} only`);
    validate(args.props as Props, args, report);
  };
  fn.__pulumiType = type;
  return fn;
}

/**
 * The value `read` returns, or undefined when it touches a value only known after deployment: during a
 * preview such values are unknown and the analyzer's proxy throws on them.
 */
export function known<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    const unknown =
      error instanceof Error && [error.name, error.constructor.name].includes("UnknownValueError");
    if (unknown) return undefined;
    throw error;
  }
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export function records(value: unknown): Props[] {
  return Array.isArray(value) ? value.filter((v): v is Props => v !== null && typeof v === "object") : [];
}

/** Reports a finding about a project file, pointing at its line. */
export function reportProjectFinding(
  report: ReportViolation,
  facts: ProjectFacts,
  finding: RuleFinding,
  urn?: string,
): void {
  report(
    formatFinding({
      what: finding.what,
      where: locateField(facts.sources, finding.field, facts.file),
      fix: finding.fix,
    }),
    urn,
  );
}

/** A validation of the Project component: reads its facts and reports what `check` finds. */
export function forProject(
  check: (facts: ProjectFacts, args: ResourceValidationArgs) => RuleFinding[],
): ResourceValidation {
  return forType(TYPES.project, (props, args, report) => {
    const facts = readProjectFacts(props);
    for (const finding of check(facts, args)) reportProjectFinding(report, facts, finding);
  });
}

export function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** How a violation message names a resource it is about. */
export function resourceWhere(resource: { type: string; name: string }): string {
  return `${resource.type} ${resource.name}`;
}

export function listLength(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}
