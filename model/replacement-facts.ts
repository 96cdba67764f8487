/**
 * Inputs whose change makes the provider replace a resource instead of updating it: the `ForceNew`
 * attributes of the Terraform provider the Pulumi DigitalOcean provider bridges
 * (terraform-provider-digitalocean: digitalocean/database/resource_database_cluster.go,
 * resource_database_db.go, resource_database_user.go, digitalocean/volume/resource_volume.go,
 * digitalocean/droplet/resource_droplet.go, digitalocean/reservedip/resource_reserved_ip.go).
 * Production state must never depend on one of them through a value a project file can change: the
 * components pin them to names that only the project's identity decides, and ignore later changes.
 */
export const REPLACE_ON_CHANGE: Readonly<Record<string, readonly string[]>> = {
  "digitalocean:index/databaseCluster:DatabaseCluster": ["name", "engine", "privateNetworkUuid", "projectId"],
  "digitalocean:index/databaseDb:DatabaseDb": ["clusterId", "name"],
  "digitalocean:index/databaseUser:DatabaseUser": ["clusterId", "name"],
  "digitalocean:index/volume:Volume": [
    "region",
    "name",
    "description",
    "snapshotId",
    "initialFilesystemType",
    "initialFilesystemLabel",
  ],
  "digitalocean:index/droplet:Droplet": ["image", "region", "sshKeys", "userData", "vpcUuid"],
  "digitalocean:index/reservedIp:ReservedIp": ["region"],
};

/**
 * The inputs that changed between two registrations of one resource and would replace it, leaving out
 * those the resource's `ignoreChanges` option tells the engine to disregard.
 */
export function replacingChanges(
  type: string,
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  ignoreChanges: readonly string[],
): string[] {
  return (REPLACE_ON_CHANGE[type] ?? []).filter(
    (key) => !ignoreChanges.includes(key) && JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
}

/** Production's cluster keeps what created it: later changes of these are not applied, never replaced. */
export const PRODUCTION_CLUSTER_IGNORED = ["name", "engine", "privateNetworkUuid", "projectId", "version"];
/** A production host is rebuilt deliberately, never because the platform's boot script or key changed. */
export const PRODUCTION_DROPLET_IGNORED = ["image", "userData", "sshKeys", "vpcUuid", "region"];
