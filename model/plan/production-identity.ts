import { databaseName, shortHash } from "../naming.ts";

/**
 * What identifies a project's production data, derived from names alone so the prod stack (which
 * creates it) and the staging stack (which clones from it, through a StackReference) agree on it.
 */
export interface ProductionIdentity {
  /** The managed PostgreSQL cluster; `fork` restores staging clusters from its backups. */
  clusterName: string;
  databaseName: string;
  /** The Spaces bucket holding the agent's backups; `dump` restores staging databases from them. */
  backupBucket: string;
  backupPrefix: string;
  backupEndpoint: string;
  region: string;
}

/** Name of the output the prod stack exports and the staging stack reads. */
export const PRODUCTION_OUTPUT = "production";
/** Secret output: read-only credentials for the backup buckets, keyed by project. */
export const BACKUP_READERS_OUTPUT = "backupReaders";

export function productionIdentity(
  project: string,
  platformDomain: string,
  region: string,
): ProductionIdentity {
  return {
    clusterName: `odooops-${project}-prod`,
    databaseName: databaseName(project),
    // Bucket names are global across Spaces: the platform domain's hash keeps two installations apart.
    backupBucket: `odooops-${project}-backups-${shortHash(platformDomain, 6)}`,
    backupPrefix: `${project}/production/`,
    backupEndpoint: `https://${region}.digitaloceanspaces.com`,
    region,
  };
}

/** DigitalOcean cluster names: at most 63 characters; long ones keep a readable prefix and a hash. */
export function clusterName(...parts: string[]): string {
  const name = ["odooops", ...parts].join("-");
  return name.length <= 63 ? name : `${name.slice(0, 54).replace(/-+$/, "")}-${shortHash(name)}`;
}

/** The prod stack that holds a project's production: `{project}` in the setting names a sharded one. */
export function prodStackOf(setting: string, project: string): string {
  return setting.replaceAll("{project}", project);
}
