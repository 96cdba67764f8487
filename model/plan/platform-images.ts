/**
 * Images the platform runs beside Odoo, pinned by digest so a host never pulls something nobody
 * reviewed. A bump is a reviewed change of this file. Verify a new digest with
 * `docker buildx imagetools inspect <image>:<tag>` before committing it.
 */
export const PLATFORM_IMAGES = {
  /** Mail catcher of every non-production environment. */
  mailpit:
    "docker.io/axllent/mailpit:v1.31.2@sha256:74d609a42ec279aa63c6b4622a6fa9b5408d1ad5b1d76a1c4be40a265ce0863d",
  /** TLS-terminating reverse proxy with automatic certificates. */
  caddy:
    "docker.io/library/caddy:2.11.2-alpine@sha256:834468128c7696cec0ceea6172f7d692daf645ae51983ca76e39da54a97c570d",
  /** The odooops data agent (agent/): clone, neutralize, mask, backup, restore, drill. Built by the
   * platform's release workflow; this pin is what it last published. */
  agent:
    "ghcr.io/insightpulseai/odooops-agent@sha256:4379a8b275be40f60dc0428063f35add80f61b11b5bfbde058c52acc160c08d3",
} as const;

const DIGEST = /@sha256:[a-f0-9]{64}$/;

/** An image reference that names its content, not a movable tag. */
export function isPinnedByDigest(image: string): boolean {
  return DIGEST.test(image);
}
