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

/**
 * Stateless resources the provider recreates when these inputs change (kreuzwerker/docker
 * resource_docker_container.go: every attribute but restart and resource limits is ForceNew; the
 * pulumi-command schema marks `triggers` replaceOnChanges). Kept apart from REPLACE_ON_CHANGE, which
 * guards state: recreating these is expected, but a plan must say so.
 */
export const RECREATE_ON_CHANGE: Readonly<Record<string, readonly string[]>> = {
  "docker:index/container:Container": [
    "name",
    "image",
    "uploads",
    "envs",
    "labels",
    "command",
    "volumes",
    "ports",
  ],
  "command:remote:Command": ["triggers"],
};

/** What replacing a resource of this type sets off, for people reading a plan. */
export const REPLACEMENT_CONSEQUENCE: Readonly<Record<string, string>> = {
  "docker:index/container:Container": "the container is recreated: the service restarts",
  "command:remote:Command": "the command runs again on the host",
  "digitalocean:index/droplet:Droplet": "the host is rebuilt: what is on its disk is lost",
  "digitalocean:index/databaseCluster:DatabaseCluster": "a new, empty database cluster",
  "digitalocean:index/volume:Volume": "a new, empty volume",
};

/** Every input whose change makes the provider replace a resource of `type`, plus the program's own. */
export function forceNewInputs(type: string, replaceOnChanges: readonly string[] = []): string[] {
  return [...(REPLACE_ON_CHANGE[type] ?? []), ...(RECREATE_ON_CHANGE[type] ?? []), ...replaceOnChanges];
}
