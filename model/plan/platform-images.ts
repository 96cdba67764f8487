/**
 * Images the platform runs beside Odoo, pinned by digest so a host never pulls something nobody
 * reviewed. A bump is a reviewed change of this file. Verify a new digest with
 * `docker buildx imagetools inspect <image>:<tag>` before committing it.
 */

/** Where .github/workflows/agent-release.yml pushes the data agent (Dockerfile at the repo root). */
export const AGENT_IMAGE_REPOSITORY = "ghcr.io/insightpulseai/odooops-agent";

/** A pushed manifest's `sha256:<64 hex>` digest, or null while nothing has been released. */
type Digest = string | null;
// The digest agent-release.yml last pushed. Only the pull request that workflow opens changes the next
// line (scripts/pin-agent-image.sh rewrites it and nothing else): null until the first release, never
// typed in by hand, never invented.
const releasedDigest: Digest = null;
export const AGENT_IMAGE_DIGEST: Digest = releasedDigest;

/** What the hosts are told to run while no agent has been released: a name, not a pullable promise. */
export const UNRELEASED_AGENT_IMAGE = `${AGENT_IMAGE_REPOSITORY}:unreleased`;

/** The agent's reference for a released digest, or the unreleased marker. */
export function agentImageReference(digest: string | null): string {
  return digest === null ? UNRELEASED_AGENT_IMAGE : `${AGENT_IMAGE_REPOSITORY}@${digest}`;
}

export const PLATFORM_IMAGES = {
  /** Mail catcher of every non-production environment. */
  mailpit:
    "docker.io/axllent/mailpit:v1.31.2@sha256:74d609a42ec279aa63c6b4622a6fa9b5408d1ad5b1d76a1c4be40a265ce0863d",
  /** TLS-terminating reverse proxy with automatic certificates. */
  caddy:
    "docker.io/library/caddy:2.11.2-alpine@sha256:834468128c7696cec0ceea6172f7d692daf645ae51983ca76e39da54a97c570d",
  /** The odooops data agent (agent/): clone, neutralize, mask, backup, restore, drill. */
  agent: agentImageReference(AGENT_IMAGE_DIGEST),
} as const;

const DIGEST = /@sha256:[a-f0-9]{64}$/;

/** An image reference that names its content, not a movable tag. */
export function isPinnedByDigest(image: string): boolean {
  return DIGEST.test(image);
}

/**
 * A real deploy with no released agent would leave every host without the container its clones, backups
 * and drills run in: refused before anything is created. Previews and the offline plan go on (advisory).
 */
export function unreleasedAgentDeployProblem(agentImage: string, dryRun: boolean): string | undefined {
  if (dryRun || agentImage !== UNRELEASED_AGENT_IMAGE) return undefined;
  return `the odooops agent image is unreleased (model/plan/platform-images.ts AGENT_IMAGE_DIGEST is null): run the "agent release" workflow (.github/workflows/agent-release.yml) and merge the pull request it opens before \`pulumi up\``;
}
