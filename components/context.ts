import type * as pulumi from "@pulumi/pulumi";
import type { Project as ProjectSpec } from "../model/input/schema/project.ts";
import type { BackupSource } from "../model/plan/database-env.ts";
import type { ProductionIdentity } from "../model/plan/production-identity.ts";
import type { BackupStorage } from "./backup-storage.ts";
import type { AgentControlPlane, DataAgent } from "./data-agent.ts";
import type { ManagedCluster } from "./database.ts";
import type { Host, HostAccess } from "./host.ts";

/** The shared dev host of a project and the agent on it. */
export interface SharedHost {
  host: Host;
  agent: DataAgent;
}

/**
 * What a project's environments share, handed from the Project component to each Environment. These
 * are resources, not facts: they stay out of the components' registered inputs.
 */
export interface ProjectContext {
  project: ProjectSpec;
  region: string;
  platformDomain: string;
  access: HostAccess;
  sharedHost: SharedHost | undefined;
  stagingCluster: ManagedCluster | undefined;
  developmentCluster: ManagedCluster | undefined;
  /** Production: the project's backup bucket. */
  backup: BackupStorage | undefined;
  /** Production's identity: derived in the prod stack, read through the StackReference in staging. */
  production: pulumi.Output<ProductionIdentity>;
  /** Staging: where dump clones read production's newest backup, with a read-only key. */
  backupSource: pulumi.Output<BackupSource> | undefined;
  /** Where agents that record evidence send it; undefined when the stack configures no control plane. */
  controlPlane: AgentControlPlane | undefined;
  /** The warehouse server's admin URL (secret odooops:warehouseUrl), for projects that replicate. */
  warehouseUrl: pulumi.Input<string>;
}
