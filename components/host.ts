import * as command from "@pulumi/command";
import * as digitalocean from "@pulumi/digitalocean";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { RegistryCredential } from "../model/governance/registry-auth.ts";
import { hostReadyCommand } from "../model/plan/agent-commands.ts";
import { renderCloudInit } from "../model/plan/cloud-init.ts";
import { DOCKER_NETWORK, HOST_SSH_OPTIONS, HOST_SSH_USER } from "../model/plan/host-layout.ts";
import { PRODUCTION_DROPLET_IGNORED } from "../model/plan/replacement-facts.ts";
import { resourceTags } from "../model/plan/tags.ts";
import type { DropletSize } from "../model/prices.ts";
import type { Stage } from "../model/stages.ts";

export const HOST_IMAGE = "ubuntu-24-04-x64";

export interface HostArgs {
  project: string;
  stage: Stage;
  placement: "dedicated" | "shared";
  dropletName: string;
  region: string;
  size: DropletSize;
  volumeGb: number;
  /** odooops:project/stage/branch/expires tags, plus the stage firewall's tag. */
  tags: string[];
  /** Production keeps a reserved IP, so DNS survives a rebuilt host. */
  reservedIp: boolean;
}

/** What a host needs from the stack: the VPC, the deploy key's registration and its private half. */
export interface HostAccess {
  vpcId: pulumi.Input<string>;
  sshKeyIds: pulumi.Input<string>[];
  deployKey: pulumi.Input<string>;
  /** The project's read-only pull credentials; none when its images are public. */
  registry?: RegistryCredential<pulumi.Input<string>> | undefined;
}

/**
 * A droplet that runs environments: Docker and the agent wrappers from cloud-init, a block-storage
 * volume for filestores, a reserved IP in production. Everything on it is created through `docker`
 * (SSH to the host) and `connection` (remote commands), both only after `ready` reports that
 * cloud-init is done and the volume is mounted.
 */
export class Host extends pulumi.ComponentResource {
  /** The component's name: what the components placed on the host (proxy, agent) are named after. */
  readonly baseName: string;
  readonly droplet: digitalocean.Droplet;
  readonly volume: digitalocean.Volume;
  readonly dropletId: pulumi.Output<number>;
  /** The address DNS points at: the reserved IP in production, the droplet's own otherwise. */
  readonly publicIp: pulumi.Output<string>;
  readonly connection: command.types.input.remote.ConnectionArgs;
  readonly ready: command.remote.Command;
  readonly docker: docker.Provider;
  readonly network: docker.Network;
  readonly urns: pulumi.Output<string>[];

  constructor(name: string, args: HostArgs, access: HostAccess, opts?: pulumi.ComponentResourceOptions) {
    super("odooops:host:Host", name, args, opts);
    this.baseName = name;
    const production = args.stage === "production";
    const volumeName = args.dropletName;
    this.volume = new digitalocean.Volume(
      `${name}-volume`,
      {
        name: volumeName,
        region: args.region,
        size: args.volumeGb,
        initialFilesystemType: "ext4",
        description: `filestores of ${args.dropletName}`,
        tags: resourceTags(args.project, args.stage),
      },
      // The production filestore is production data: never deleted, never replaced by an edit.
      { parent: this, protect: production, ignoreChanges: production ? ["region", "description"] : [] },
    );
    this.droplet = new digitalocean.Droplet(
      `${name}-droplet`,
      {
        name: args.dropletName,
        image: HOST_IMAGE,
        region: args.region,
        size: args.size,
        vpcUuid: access.vpcId,
        sshKeys: access.sshKeyIds,
        userData: renderCloudInit({ volumeName }),
        tags: args.tags,
        monitoring: true,
        // Production hosts get DigitalOcean's weekly droplet backups on top of the agent's database backups.
        backups: production,
        gracefulShutdown: true,
      },
      { parent: this, ignoreChanges: production ? PRODUCTION_DROPLET_IGNORED : [] },
    );
    this.dropletId = this.droplet.id.apply(Number);
    const attachment = new digitalocean.VolumeAttachment(
      `${name}-volume-attachment`,
      { dropletId: this.dropletId, volumeId: this.volume.id },
      { parent: this },
    );
    const urns: pulumi.Output<string>[] = [this.droplet.dropletUrn, this.volume.volumeUrn];
    if (args.reservedIp) {
      const ip = new digitalocean.ReservedIp(
        `${name}-reserved-ip`,
        { region: args.region },
        { parent: this, protect: production, ignoreChanges: production ? ["region"] : [] },
      );
      new digitalocean.ReservedIpAssignment(
        `${name}-reserved-ip-assignment`,
        { ipAddress: ip.ipAddress, dropletId: this.dropletId },
        { parent: this },
      );
      this.publicIp = ip.ipAddress;
      urns.push(ip.reservedIpUrn);
    } else {
      this.publicIp = this.droplet.ipv4Address;
    }
    this.urns = urns;
    this.connection = { host: this.droplet.ipv4Address, user: HOST_SSH_USER, privateKey: access.deployKey };
    this.ready = new command.remote.Command(
      `${name}-ready`,
      { connection: this.connection, create: hostReadyCommand() },
      { parent: this, dependsOn: [attachment] },
    );
    this.docker = new docker.Provider(
      `${name}-docker`,
      {
        host: pulumi.interpolate`ssh://${HOST_SSH_USER}@${this.droplet.ipv4Address}`,
        sshOpts: [...HOST_SSH_OPTIONS],
        // Pulls of the project's private images: the provider passes the token with each pull request
        // to the engine, so it is never written on the host; a secret input, never printed.
        ...(access.registry
          ? {
              registryAuth: [
                {
                  address: access.registry.address,
                  username: access.registry.username,
                  password: pulumi.secret(access.registry.token),
                },
              ],
            }
          : {}),
      },
      { parent: this, dependsOn: [this.ready] },
    );
    this.network = new docker.Network(
      `${name}-network`,
      { name: DOCKER_NETWORK, driver: "bridge" },
      { parent: this, provider: this.docker, dependsOn: [this.ready] },
    );
    this.registerOutputs({ dropletId: this.dropletId, publicIp: this.publicIp });
  }
}
