import { backupLifecycle, type LifecycleRule } from "../../data/backup-lifecycle.ts";
import { RETENTION_MINIMUM } from "../../data/retention.ts";
import { RESERVED_PROJECT_NAME } from "../../input/schema/project.ts";
import type { DatabaseSize, DropletSize } from "../../prices.ts";
import {
  DATABASE_NODE_MONTHLY_USD,
  DROPLET_MEMORY_GIB,
  DROPLET_MONTHLY_USD,
  VOLUME_GIB_MONTHLY_USD,
} from "../../prices.ts";
import { pinnedImage, SERVICE_NAMES, SERVICES, type ServiceName, serviceHost } from "./catalog.ts";

/**
 * The platform services stack (issue 18 part 2) as plain data.
 *
 * Where they run: containers on one platform host, not DigitalOcean App Platform. Cost: the four
 * services need ~6 GiB together; one s-4vcpu-8gb droplet ($48) holds them, where App Platform bills
 * each service its own container (Keycloak and Superset need the 2–4 GiB tiers, ~$25–50 each, so
 * $100+ for the four) and cannot mount Mattermost's file store. Operability: the host is the same kind
 * as an Odoo production host — same cloud-init, deploy key, firewall, TLS proxy, digest pinning and
 * policies — so SREs run one kind of thing; App Platform would be a second deployment model with its
 * own logs, TLS and secrets.
 *
 * Their data: one protected managed PostgreSQL cluster (a database and role per service), backed up
 * nightly into a Spaces bucket whose lifecycle follows the same retention as Odoo's (at least
 * 7 daily / 4 weekly / 3 monthly, model/data/retention.ts) and restore-drilled on Odoo's monthly default.
 */
export const SERVICES_NAME = RESERVED_PROJECT_NAME;

export interface ServicePlan {
  service: ServiceName;
  title: string;
  hostname: string;
  /** Digest-pinned reference, or undefined: then no container is created and the plan says why. */
  image: string | undefined;
  tag: string;
  port: number;
  database: string;
}

export interface ServicesPlan {
  hostSize: DropletSize;
  volumeGb: number;
  database: { size: DatabaseSize; nodes: number };
  services: ServicePlan[];
  backup: { bucket: string; schedule: string; drill: string; lifecycle: LifecycleRule[] };
}

const HOST_SIZE: DropletSize = "s-4vcpu-8gb";
/** OS, Docker, the proxy and headroom, as on a shared dev host. */
const HOST_RESERVED_GIB = 1;

export function servicesPlan(platformDomain: string, images = SERVICES): ServicesPlan {
  const services = SERVICE_NAMES.map(
    (service): ServicePlan => ({
      service,
      title: images[service].title,
      hostname: serviceHost(service, platformDomain),
      image: pinnedImage(images[service]),
      tag: images[service].image,
      port: images[service].port,
      database: service,
    }),
  );
  const need = SERVICE_NAMES.reduce((n, s) => n + images[s].memoryGib, HOST_RESERVED_GIB);
  if (need > DROPLET_MEMORY_GIB[HOST_SIZE])
    throw new Error(`platform services need ${need} GiB, more than a ${HOST_SIZE} has: choose a larger size`);
  const prefix = "services/";
  return {
    hostSize: HOST_SIZE,
    volumeGb: 50,
    database: { size: "db-s-1vcpu-2gb", nodes: 1 },
    services,
    backup: {
      bucket: `odooops-services-${platformDomain.replace(/\./g, "-")}`.slice(0, 63),
      schedule: "0 2 * * *",
      drill: "0 4 1 * *",
      lifecycle: backupLifecycle(prefix, { ...RETENTION_MINIMUM }),
    },
  };
}

/** The stack-level cost lines of the services: host, volume, database cluster. */
export function servicesCostLines(plan: ServicesPlan): { item: string; monthlyUsd: number }[] {
  return [
    {
      item: `platform services host droplet ${plan.hostSize}`,
      monthlyUsd: DROPLET_MONTHLY_USD[plan.hostSize],
    },
    {
      item: `platform services volume ${plan.volumeGb} GiB`,
      monthlyUsd: Math.round(plan.volumeGb * VOLUME_GIB_MONTHLY_USD * 100) / 100,
    },
    {
      item: `platform services database ${plan.database.size}`,
      monthlyUsd: DATABASE_NODE_MONTHLY_USD[plan.database.size] * plan.database.nodes,
    },
  ];
}
