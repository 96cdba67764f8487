import type { Project } from "../input/schema/project.ts";
import { AGENT_IMAGE_REPOSITORY, isPinnedByDigest, UNRELEASED_AGENT_IMAGE } from "../plan/platform-images.ts";
import type { RuleFinding } from "./finding.ts";

/**
 * Image references: deploys are deterministic only when an image is named by its content digest, since
 * a tag can be moved to other bytes at any time (constitution: "artifacts are pinned by digest").
 */
/** What docker reports as an image id (`RemoteImage.imageId`): content-addressed as well. */
const IMAGE_ID = /^sha256:[a-f0-9]{64}$/;

export function isDigestPinned(reference: string): boolean {
  return isPinnedByDigest(reference) || IMAGE_ID.test(reference);
}

/** The repository part of a reference, without tag and digest (`ghcr.io/acme/erp:18@sha256:…` → `ghcr.io/acme/erp`). */
export function imageRepository(reference: string): string {
  const withoutDigest = reference.replace(/@.*$/, "");
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.indexOf(":", lastSlash + 1);
  return colon < 0 ? withoutDigest : withoutDigest.slice(0, colon);
}

/** Why a reference is not pinned, in words a reviewer understands; undefined when it is. */
export function pinningProblem(reference: string): string | undefined {
  if (isDigestPinned(reference)) return undefined;
  if (/(^|@)sha256:/.test(reference))
    return `image "${reference}" has a malformed digest: a sha256 digest is exactly 64 lowercase hex digits`;
  const tag = /:([^/@]+)$/.exec(reference)?.[1];
  return tag
    ? `image "${reference}" is named by the tag "${tag}", which can be moved to different bytes`
    : `image "${reference}" names no digest, so it is whatever "latest" is at deploy time`;
}

/** A pinned form of the same reference, for the "how to fix" part of a message. */
export function pinnedExample(reference: string): string {
  return `${imageRepository(reference)}@sha256:<64 hex digits>`;
}

/** The production image comes from the YAML: a promotion is a PR that changes its digest. */
export function productionImageFindings(project: Project): RuleFinding[] {
  const image = project.environments.production.image;
  const problem = pinningProblem(image);
  if (!problem) return [];
  return [
    {
      field: "environments.production.image",
      what: `production ${problem}`,
      fix: `pin it by digest, e.g. ${pinnedExample(image)} (the digest the app build recorded)`,
    },
  ];
}

/**
 * The agent image is unreleased until agent-release.yml's first pull request pins a digest: an advisory
 * on the plan (nothing is wrong with the project), and exempt from the digest rule, because the marker
 * is no digest pretending to be one. `pulumi up` refuses it (unreleasedAgentDeployProblem).
 */
export function unreleasedAgentFinding(reference: string): Omit<RuleFinding, "field"> | undefined {
  if (reference !== UNRELEASED_AGENT_IMAGE) return undefined;
  return {
    what: `the odooops agent image is unreleased: hosts cannot pull ${reference}, so staging clones, database init, backups and restore drills cannot run there yet`,
    fix: `run the "agent release" workflow (.github/workflows/agent-release.yml); it pushes ${AGENT_IMAGE_REPOSITORY} by digest and opens the pull request that pins it in model/plan/platform-images.ts`,
  };
}
