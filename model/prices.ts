/**
 * DigitalOcean list prices in USD per month, as published on digitalocean.com/pricing, dated below:
 * estimates are only as current as this table.
 * Sizes a project file may name are exactly the keys below, so a typo is caught by the schema.
 * Managed database prices are per node: a cluster with a standby pays for each node.
 */
export const PRICES_AS_OF = "2026-11-01";

export const DROPLET_MONTHLY_USD = {
  "s-1vcpu-1gb": 6,
  "s-1vcpu-2gb": 12,
  "s-2vcpu-2gb": 18,
  "s-2vcpu-4gb": 24,
  "s-4vcpu-8gb": 48,
  "s-8vcpu-16gb": 96,
  "g-2vcpu-8gb": 63,
  "g-4vcpu-16gb": 126,
  "g-8vcpu-32gb": 252,
  "c-2": 42,
  "c-4": 84,
  "c-8": 168,
  "m-2vcpu-16gb": 84,
  "m-4vcpu-32gb": 168,
} as const;

export const DATABASE_NODE_MONTHLY_USD = {
  "db-s-1vcpu-1gb": 15,
  "db-s-1vcpu-2gb": 30,
  "db-s-2vcpu-4gb": 60,
  "db-s-4vcpu-8gb": 120,
  "db-s-6vcpu-16gb": 240,
  "db-s-8vcpu-32gb": 480,
} as const;

export const VOLUME_GIB_MONTHLY_USD = 0.1;
/** A Spaces subscription includes 250 GiB of storage and 1 TiB of transfer. */
export const SPACES_MONTHLY_USD = 5;
/** Reserved IPs are free while assigned to a droplet. */
export const RESERVED_IP_ASSIGNED_MONTHLY_USD = 0;

/** Spaces storage beyond the subscription's included 250 GiB. */
export const SPACES_INCLUDED_GIB = 250;
export const SPACES_EXTRA_GIB_MONTHLY_USD = 0.02;

/** Memory of each droplet size, in GiB: the capacity a shared dev host divides among its previews. */
export const DROPLET_MEMORY_GIB: Readonly<Record<keyof typeof DROPLET_MONTHLY_USD, number>> = {
  "s-1vcpu-1gb": 1,
  "s-1vcpu-2gb": 2,
  "s-2vcpu-2gb": 2,
  "s-2vcpu-4gb": 4,
  "s-4vcpu-8gb": 8,
  "s-8vcpu-16gb": 16,
  "g-2vcpu-8gb": 8,
  "g-4vcpu-16gb": 16,
  "g-8vcpu-32gb": 32,
  "c-2": 4,
  "c-4": 8,
  "c-8": 16,
  "m-2vcpu-16gb": 16,
  "m-4vcpu-32gb": 32,
};

/**
 * The load of one development preview on a shared dev host: Odoo in threaded mode (workers = 0) with
 * its Mailpit, measured as resident memory. A preview's cost is this share of the host's price.
 */
export const SHARED_DEV_PREVIEW_MEMORY_GIB = 0.75;
/** What a shared dev host keeps for the OS, Docker, the proxy and the agent. */
export const SHARED_DEV_HOST_RESERVED_GIB = 1;

export type DropletSize = keyof typeof DROPLET_MONTHLY_USD;
export type DatabaseSize = keyof typeof DATABASE_NODE_MONTHLY_USD;
export const DROPLET_SIZES = Object.keys(DROPLET_MONTHLY_USD) as [DropletSize, ...DropletSize[]];
export const DATABASE_SIZES = Object.keys(DATABASE_NODE_MONTHLY_USD) as [DatabaseSize, ...DatabaseSize[]];

/** DigitalOcean regions that offer droplets, managed PostgreSQL and Spaces. */
export const REGIONS = [
  "ams3",
  "blr1",
  "fra1",
  "lon1",
  "nyc1",
  "nyc3",
  "sfo3",
  "sgp1",
  "syd1",
  "tor1",
] as const;
export type Region = (typeof REGIONS)[number];
