import type { ResourceValidation, ResourceValidationPolicy } from "@pulumi/policy";
import { readEnvironmentFacts, readProjectFacts } from "../model/rules/facts.ts";
import { formatFinding } from "../model/rules/finding.ts";
import { FREE_FORM_FIELDS, findPlaintextSecrets, secretSlots } from "../model/rules/secrets.ts";
import { locateField } from "../model/rules/sources.ts";
import {
  pinnedExample,
  pinningProblem,
  productionImageFindings,
  unreleasedAgentFinding,
} from "../model/rules/supply-chain.ts";
import { forProject, forType, known, resourceWhere, TYPES, text } from "./support/resources.ts";

/** What runs is exactly what was built and reviewed, and no credential travels in the clear. */

const imageReport = (
  reference: string | undefined,
  subject: string | undefined,
  where: string,
  fix: string,
) => {
  const problem =
    reference === undefined || unreleasedAgentFinding(reference) ? undefined : pinningProblem(reference);
  return problem
    ? formatFinding({ what: subject ? `${subject}: ${problem}` : problem, where, fix })
    : undefined;
};

export const imagesPinnedByDigest: ResourceValidationPolicy = {
  name: "images-pinned-by-digest",
  description: "Every image the platform deploys is pinned by its @sha256 digest, production's first of all.",
  enforcementLevel: "mandatory",
  validateResource: [
    forProject((facts) =>
      facts.stages.includes("production") ? productionImageFindings(facts.project) : [],
    ),
    forType(TYPES.environment, (props, _args, report) => {
      const env = readEnvironmentFacts(props);
      if (env.stage === "production") return; // production's image is the YAML's, checked on the project
      const message = imageReport(
        env.image,
        `${env.stage} environment ${env.slug}`,
        `build ${env.buildId ?? "?"} of branch ${env.branch} in the build catalog`,
        "record builds by the digest the registry returned on push (the app workflow does)",
      );
      if (message) report(message);
    }),
    ...[TYPES.remoteImage, TYPES.container].map(
      (type): ResourceValidation =>
        forType(type, (props, args, report) => {
          const reference = known(() => text(type === TYPES.remoteImage ? props.name : props.image));
          const message = imageReport(
            reference,
            undefined,
            resourceWhere(args),
            `pin it, e.g. ${reference ? pinnedExample(reference) : "<repository>@sha256:<digest>"}`,
          );
          if (message) report(message);
        }),
    ),
  ],
};

/** Said once per host that would pull it: the image's puller, not each container started from it. */
export const agentImageReleased: ResourceValidationPolicy = {
  name: "agent-image-released",
  description: "The odooops agent image the hosts run has been released by the agent release workflow.",
  enforcementLevel: "advisory",
  validateResource: forType(TYPES.remoteImage, (props, args, report) => {
    const reference = known(() => text(props.name));
    const finding = reference === undefined ? undefined : unreleasedAgentFinding(reference);
    if (finding) report(formatFinding({ ...finding, where: resourceWhere(args) }));
  }),
};

export const noPlaintextSecrets: ResourceValidationPolicy = {
  name: "no-plaintext-secrets",
  description:
    "No password, token or key is written in plain text into the project files, the catalog or any input.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    // The project file and the build catalog may hold no secret at all; elsewhere generated secrets are fine.
    const strict = args.type === TYPES.project || args.type === TYPES.environment;
    const findings = findPlaintextSecrets(args.props, {
      mode: strict ? "strict" : "formats",
      slots: secretSlots(args.type, args.props),
      // `sources` maps field paths (`odooOptions.admin_passwd`) to YAML lines: names, not values. The
      // project's environment plans are checked on their own Environment components.
      skipKeys: args.type === TYPES.project ? ["sources", "environments"] : strict ? ["sources"] : [],
      freeForm: FREE_FORM_FIELDS[args.type] ?? [],
    });
    if (findings.length === 0) return;
    const facts = args.type === TYPES.project ? readProjectFacts(args.props) : undefined;
    for (const { path, reason } of findings) {
      const yamlField = facts && path.startsWith("project.") ? path.slice("project.".length) : undefined;
      report(
        formatFinding({
          what: `${yamlField ?? path} ${reason}; plain text ends up in Git, the Pulumi state and logs`,
          where:
            yamlField && facts
              ? locateField(facts.sources, yamlField, facts.file)
              : `${resourceWhere(args)} ${path}`,
          fix: yamlField
            ? `remove it from the project file; the platform generates secrets with @pulumi/random (for an external credential, use pulumi config set --secret)`
            : "pass the value as a Pulumi secret (pulumi config set --secret, or @pulumi/random) through an input meant for secrets",
        }),
      );
    }
  },
};

export const supplyChainPolicies = [imagesPinnedByDigest, agentImageReleased, noPlaintextSecrets];
