import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { agentControlPlaneEnv } from "../model/governance/agent-control-plane.ts";
import { type AgentSchedule, agentContainerCommand } from "../model/plan/agent-commands.ts";
import { AGENT_ENV_FILE, AGENT_ENV_FILE_VAR, agentEnvFileUpload } from "../model/plan/agent-env-file.ts";
import { AGENT_CONTAINER, FILESTORE_MOUNT } from "../model/plan/host-layout.ts";
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
 * Where the agent records its evidence (stack config odooops:controlPlane*, odooops:agentKeys): the
 * project's anon key and this project's agent key, never the service-role key.
 */
export interface AgentControlPlane {
  url: string;
  key: pulumi.Input<string>;
  agentKey: pulumi.Input<string>;
}

/**
 * The data agent on a host: remote commands run clone, neutralize, mask and init inside it, and in
 * production it runs the backup and drill schedule. What it holds about its environment's data and the
 * control plane (credentials among it) is a secret file uploaded into the container, never container
 * environment, which `docker inspect` prints to anyone who can reach the engine
 * (model/plan/agent-env-file.ts).
 */
export class DataAgent extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(
    name: string,
    args: DataAgentArgs,
    deps: {
      host: Host;
      /** `NAME=value` lines the resident agent holds (production's); none elsewhere. */
      env?: pulumi.Input<string[]> | undefined;
      controlPlane?: AgentControlPlane | undefined;
    },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("odooops:agent:DataAgent", name, args, opts);
    const { host } = deps;
    const onHost = { parent: this, provider: host.docker, dependsOn: [host.ready] };
    const controlPlane = deps.controlPlane
      ? pulumi
          .all([deps.controlPlane.url, deps.controlPlane.key, deps.controlPlane.agentKey])
          .apply(([url, key, agentKey]) => agentControlPlaneEnv(url, key, agentKey))
      : [];
    // Secret whatever the caller passed, so the file is stored encrypted and printed as [secret].
    const envFile =
      deps.env !== undefined || deps.controlPlane !== undefined
        ? pulumi.secret(
            pulumi
              .all([deps.env ?? [], controlPlane])
              .apply(([env, recording]) => [agentEnvFileUpload([...env, ...recording])]),
          )
        : undefined;
    const image = new docker.RemoteImage(`${name}-image`, { name: args.image, keepLocally: true }, onHost);
    this.container = new docker.Container(
      `${name}-container`,
      {
        name: AGENT_CONTAINER,
        image: image.repoDigest,
        restart: "unless-stopped",
        command: agentContainerCommand(args.schedule),
        envs: [
          `ODOOOPS_PROJECT=${args.project}`,
          `ODOOOPS_STAGE=${args.stage}`,
          ...(args.branch ? [`ODOOOPS_BRANCH=${args.branch}`] : []),
          ...(envFile ? [`${AGENT_ENV_FILE_VAR}=${AGENT_ENV_FILE}`] : []),
        ],
        uploads: envFile,
        networksAdvanced: [{ name: host.network.name }],
        volumes: [{ hostPath: FILESTORE_MOUNT, containerPath: FILESTORE_MOUNT }],
      },
      { ...onHost, deleteBeforeReplace: true },
    );
    this.registerOutputs({});
  }
}
