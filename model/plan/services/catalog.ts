/**
 * The platform services every tenant shares (issue 18 part 2): one host runs them as containers behind
 * the platform's TLS proxy, each on its own host name under the platform domain.
 *
 * Images: a service runs only from a digest someone verified (`docker buildx imagetools inspect`). None
 * of these could be verified from the machine this was written on (no registry reachable), so each is
 * recorded with its tag and `digest: undefined`: the plan shows the service, its database, DNS and
 * cost, says it is unpinned, and creates no container for it until the digest is filled in here.
 */
export const SERVICE_NAMES = ["keycloak", "n8n", "mattermost", "superset"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceSpec {
  title: string;
  /** First DNS label under the platform domain. */
  hostLabel: string;
  /** Repository and tag; what the digest below must be the content of. */
  image: string;
  /** sha256 digest verified against the registry, or undefined while none is. */
  digest: string | undefined;
  port: number;
  /** Resident memory the service needs, for sizing the platform host. */
  memoryGib: number;
}

export const SERVICES: Readonly<Record<ServiceName, ServiceSpec>> = {
  keycloak: {
    title: "Keycloak (identity, SSO)",
    hostLabel: "id",
    image: "quay.io/keycloak/keycloak:26.3.0",
    digest: undefined,
    port: 8080,
    memoryGib: 1.5,
  },
  n8n: {
    title: "n8n (workflows)",
    hostLabel: "n8n",
    image: "docker.n8n.io/n8nio/n8n:1.100.0",
    digest: undefined,
    port: 5678,
    memoryGib: 1,
  },
  mattermost: {
    title: "Mattermost (notifications)",
    hostLabel: "chat",
    image: "docker.io/mattermost/mattermost-team-edition:10.9.1",
    digest: undefined,
    port: 8065,
    memoryGib: 1.5,
  },
  superset: {
    title: "Superset (dashboards)",
    hostLabel: "bi",
    image: "docker.io/apache/superset:4.1.2",
    digest: undefined,
    port: 8088,
    memoryGib: 2,
  },
};

export function serviceHost(service: ServiceName, platformDomain: string): string {
  return `${SERVICES[service].hostLabel}.${platformDomain}`;
}

/** The reference a container runs: the tag with its verified digest, or undefined while unpinned. */
export function pinnedImage(spec: Pick<ServiceSpec, "image" | "digest">): string | undefined {
  return spec.digest ? `${spec.image}@${spec.digest}` : undefined;
}
