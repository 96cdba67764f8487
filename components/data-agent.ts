import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { type AgentSchedule, agentContainerCommand } from "../model/agent-commands.ts";
import { AGENT_CONTAINER, FILESTORE_MOUNT } from "../model/host-layout.ts";
import type { Stage } from "../model/stages.ts";
import type { Host } from "./host.ts";

export interface DataAgentArgs {
  project: string;
  stage: Stage;
  /** The environment's branch: the control plane records backups per environment. None on a shared host. */
  branch?: string | undefined;
  image: string;
  /** Production's backup and restore-drill schedule with its retention; undefined elsewhere. */
  schedule: AgentSchedule | undefined;
}

/**
 * The data agent on a host: remote commands run clone, neutralize, mask and init inside it, and in
 * production it runs the backup and drill schedule. Credentials arrive as secret environment values.
 */
export class DataAgent extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(
    name: string,
    args: DataAgentArgs,
    deps: { host: Host; env: pulumi.Input<string[]> },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("odooops:agent:DataAgent", name, args, opts);
    const { host } = deps;
    const onHost = { parent: this, provider: host.docker, dependsOn: [host.ready] };
    const image = new docker.RemoteImage(`${name}-image`, { name: args.image, keepLocally: true }, onHost);
    this.container = new docker.Container(
      `${name}-container`,
      {
        name: AGENT_CONTAINER,
        image: image.repoDigest,
        restart: "unless-stopped",
        command: agentContainerCommand(args.schedule),
        envs: pulumi
          .output(deps.env)
          .apply((env) => [
            `ODOOOPS_PROJECT=${args.project}`,
            `ODOOOPS_STAGE=${args.stage}`,
            ...(args.branch ? [`ODOOOPS_BRANCH=${args.branch}`] : []),
            ...env,
          ]),
        networksAdvanced: [{ name: host.network.name }],
        volumes: [{ hostPath: FILESTORE_MOUNT, containerPath: FILESTORE_MOUNT }],
      },
      { ...onHost, deleteBeforeReplace: true },
    );
    this.registerOutputs({});
  }
}
