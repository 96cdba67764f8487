import * as digitalocean from "@pulumi/digitalocean";
import * as keycloak from "@pulumi/keycloak";
import * as pulumi from "@pulumi/pulumi";
import type { RegistryCredential } from "../model/governance/registry-auth.ts";
import { stackRole } from "../model/input/stack-settings.ts";
import type { PlatformPlan } from "../model/plan/environment-plan.ts";
import {
  BACKUP_READERS_OUTPUT,
  PRODUCTION_OUTPUT,
  type ProductionIdentity,
  prodStackOf as prodStackName,
  productionIdentity,
} from "../model/plan/production-identity.ts";
import { serviceHost } from "../model/plan/services/catalog.ts";
import { SERVICES_NAME, servicesPlan } from "../model/plan/services/plan.ts";
import { Project } from "./project.ts";
import { PlatformServices } from "./services/platform-services.ts";

/** How the program reaches hosts: the private half of the stack's deploy key, a secret of the deployer. */
export interface PlatformAccess {
  deployKey: pulumi.Input<string>;
  /** The control plane's anon key (secret stack config odooops:controlPlaneKey), when configured. */
  controlPlaneKey?: pulumi.Input<string> | undefined;
  /** Each project's agent key (secret stack config odooops:agentKeys): what its production agent records with. */
  agentKeys?: Readonly<Record<string, string>> | undefined;
  /** Read-only pull credentials per project (stack config odooops:registryAuth, tokens secret). */
  registryAuth?: Readonly<Record<string, RegistryCredential<pulumi.Input<string>>>> | undefined;
  /** The warehouse server's admin URL (secret stack config odooops:warehouseUrl), when configured. */
  warehouseUrl?: pulumi.Input<string> | undefined;
  /** The reconciler's Keycloak client secret (secret stack config odooops:keycloakClientSecret). */
  keycloakClientSecret?: pulumi.Input<string> | undefined;
}

/** Stand-in for the deploy key when the program runs without one (offline plan, preview). */
export const DEPLOY_KEY_PLACEHOLDER = "deploy key supplied at deploy time (ODOOOPS_SSH_PRIVATE_KEY)";

/** Stand-in for the control plane's key in the offline plan, which cannot decrypt stack secrets. */
export const CONTROL_PLANE_KEY_PLACEHOLDER =
  "control plane key supplied at deploy time (secret odooops:controlPlaneKey)";

/** Stand-in for the reconciler's Keycloak client secret in the offline plan. */
export const KEYCLOAK_SECRET_PLACEHOLDER =
  "keycloak client secret supplied at deploy time (secret odooops:keycloakClientSecret)";

/** The service-account client in Keycloak's master realm the reconciler manages tenant realms with. */
export const KEYCLOAK_RECONCILER_CLIENT = "odooops-reconciler";

/** Stand-in for a project's agent key in the offline plan (or before one is stored). */
export const AGENT_KEY_PLACEHOLDER = "agent key supplied at deploy time (secret odooops:agentKeys)";

/** Stand-in for the warehouse URL in the offline plan (or before it is stored). */
export const WAREHOUSE_URL_PLACEHOLDER =
  "warehouse URL supplied at deploy time (secret odooops:warehouseUrl)";

export interface BackupReader {
  accessKey: string;
  secretKey: string;
}

/** A project's pull credentials with the token secret whatever the caller passed. */
function registryOf(
  credential: RegistryCredential<pulumi.Input<string>> | undefined,
): RegistryCredential<pulumi.Input<string>> | undefined {
  return credential && { ...credential, token: pulumi.secret(credential.token) };
}

/** The root of a stack: one Project component per project the stack owns. */
export class Platform extends pulumi.ComponentResource {
  readonly projects: Project[];
  /** What the prod stack exports for the staging stack's StackReference. */
  readonly productionIdentities: Record<string, ProductionIdentity>;
  readonly backupReaders: pulumi.Output<Record<string, BackupReader>>;

  constructor(
    name: string,
    plan: PlatformPlan,
    access?: PlatformAccess,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    // Only the stack-wide settings are this component's inputs; each project carries its own slice.
    super("odooops:platform:Platform", name, { settings: plan.settings }, opts);
    const { settings } = plan;
    const role = stackRole(settings.stages);
    const deployKey = pulumi.secret(access?.deployKey ?? DEPLOY_KEY_PLACEHOLDER);
    const controlPlaneUrl = settings.controlPlaneUrl;
    const controlPlaneKey = pulumi.secret(access?.controlPlaneKey ?? CONTROL_PLANE_KEY_PLACEHOLDER);
    // Per project: one project's agent key never reaches another project's host.
    const controlPlaneOf = (project: string) =>
      controlPlaneUrl
        ? {
            url: controlPlaneUrl,
            key: controlPlaneKey,
            agentKey: pulumi.secret(access?.agentKeys?.[project] ?? AGENT_KEY_PLACEHOLDER),
          }
        : undefined;
    // One key per stack: the staging deployer's key never opens a production host.
    const sshKey = settings.sshPublicKey
      ? new digitalocean.SshKey(
          `${name}-deploy-key`,
          { name: `odooops-${role}-deploy`, publicKey: settings.sshPublicKey },
          { parent: this },
        )
      : undefined;
    // One reference per prod stack: a single one, or one per project when prod is sharded (prod-{project}).
    const prodStacks = new Map<string, pulumi.StackReference>();
    const prodStackOf = (project: string) => {
      if (role !== "staging" || !settings.prodStack) return undefined;
      const stack = prodStackName(settings.prodStack, project);
      let reference = prodStacks.get(stack);
      if (!reference) {
        const key = stack === settings.prodStack ? "prod-stack" : `prod-stack-${project}`;
        reference = new pulumi.StackReference(`${name}-${key}`, { name: stack }, { parent: this });
        prodStacks.set(stack, reference);
      }
      return reference;
    };

    // One Keycloak connection per stack, only when a project signs in through it.
    const keycloakProvider = plan.projects.some((p) => p.project.sso)
      ? new keycloak.Provider(
          `${name}-keycloak`,
          {
            url: `https://${serviceHost("keycloak", settings.platformDomain)}`,
            realm: "master",
            clientId: KEYCLOAK_RECONCILER_CLIENT,
            clientSecret: pulumi.secret(access?.keycloakClientSecret ?? KEYCLOAK_SECRET_PLACEHOLDER),
          },
          { parent: this },
        )
      : undefined;

    this.projects = plan.projects.map(
      (p) =>
        new Project(
          p.project.name,
          {
            project: p.project,
            file: p.file,
            region: p.region,
            platformDomain: settings.platformDomain,
            environments: p.environments,
            sharedDevHost: p.sharedDevHost,
            stages: settings.stages,
            sources: p.sources,
          },
          {
            settings,
            deployKey,
            sshKeyIds: sshKey ? [sshKey.fingerprint] : [],
            prodStack: prodStackOf(p.project.name),
            controlPlane: controlPlaneOf(p.project.name),
            warehouseUrl: pulumi.secret(access?.warehouseUrl ?? WAREHOUSE_URL_PLACEHOLDER),
            registry: registryOf(access?.registryAuth?.[p.project.name]),
            keycloak: keycloakProvider,
          },
          { parent: this },
        ),
    );
    if (settings.platformServices && role === "production")
      new PlatformServices(
        `${name}-${SERVICES_NAME}`,
        servicesPlan(settings.platformDomain),
        {
          platformDomain: settings.platformDomain,
          region: settings.region,
          deploySources: settings.deploySources ?? [],
          access: { sshKeyIds: sshKey ? [sshKey.fingerprint] : [], deployKey },
        },
        { parent: this },
      );
    this.productionIdentities = Object.fromEntries(
      this.projects
        .filter((p) => p.backup)
        .map((p) => [p.name, productionIdentity(p.name, settings.platformDomain, p.region)]),
    );
    this.backupReaders = pulumi.secret(
      pulumi
        .all(this.projects.flatMap((p) => (p.backup ? [pulumi.all([p.name, p.backup.reader])] : [])))
        .apply((pairs) => Object.fromEntries(pairs)),
    );
    this.registerOutputs({
      [PRODUCTION_OUTPUT]: this.productionIdentities,
      [BACKUP_READERS_OUTPUT]: this.backupReaders,
    });
  }
}
