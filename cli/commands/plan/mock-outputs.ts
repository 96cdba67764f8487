import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformPlan } from "../../../model/plan/environment-plan.ts";
import {
  BACKUP_READERS_OUTPUT,
  PRODUCTION_OUTPUT,
  prodStackOf,
  productionIdentity,
} from "../../../model/plan/production-identity.ts";

/**
 * What the mock "cloud" answers when a resource is created: its inputs plus the outputs the real
 * provider would compute. Values are placeholders that look like the real thing (an IP, a URN, a
 * cluster host) and are never real credentials. Outputs the provider marks secret come back as
 * secrets, as they would.
 */
type Computed = (
  name: string,
  inputs: Record<string, unknown>,
  context: MockContext,
) => Record<string, unknown>;

export interface MockContext {
  /** Outputs of other stacks, by stack name, answered to StackReference reads. */
  stackOutputs: Readonly<Record<string, Record<string, unknown>>>;
}

const EMPTY_CONTEXT: MockContext = { stackOutputs: {} };

/** A stable number in [0, 2^31) per name, as DigitalOcean's numeric ids and IP octets. */
function numberOf(name: string): number {
  return createHash("sha256").update(name).digest().readUInt32BE(0) >>> 1;
}

function ipv4(name: string, prefix: string): string {
  const n = numberOf(name);
  return `${prefix}.${(n >> 8) % 256}.${(n % 254) + 1}`;
}

function uuid(name: string): string {
  const hex = createHash("sha256").update(name).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Types whose provider id is a number (droplets, SSH keys, GitHub teams): components use Number(id). */
const NUMERIC_IDS = new Set(["digitalocean:index/droplet:Droplet", "digitalocean:index/sshKey:SshKey"]);

export function mockId(type: string, name: string): string {
  if (NUMERIC_IDS.has(type) || type.startsWith("github:")) return String(numberOf(name));
  if (type.startsWith("digitalocean:")) return uuid(name);
  return `${name}-id`;
}

const cluster: Computed = (name, inputs) => {
  const host = `${inputs.name ?? name}-do-user-0.db.ondigitalocean.com`;
  const privateHost = `private-${host}`;
  const password = `mock-db-password-${name}`;
  return {
    host,
    privateHost,
    port: 25060,
    user: "doadmin",
    database: "defaultdb",
    password,
    uri: `postgresql://doadmin:${password}@${host}:25060/defaultdb?sslmode=require`,
    privateUri: `postgresql://doadmin:${password}@${privateHost}:25060/defaultdb?sslmode=require`,
    clusterUrn: `do:dbaas:${mockId("digitalocean:index/databaseCluster:DatabaseCluster", name)}`,
  };
};

const COMPUTED: Record<string, Computed> = {
  "random:index/randomPassword:RandomPassword": (name) => ({
    result: `mock-password-${name}`,
    bcryptHash: `$2a$10$mockmockmockmockmockmu${name.length.toString().padStart(2, "0")}`,
  }),
  "digitalocean:index/droplet:Droplet": (name) => ({
    ipv4Address: ipv4(name, "203.0"),
    ipv4AddressPrivate: ipv4(name, "10.110"),
    dropletUrn: `do:droplet:${mockId("digitalocean:index/droplet:Droplet", name)}`,
  }),
  "digitalocean:index/sshKey:SshKey": (name) => ({ fingerprint: `mock:fingerprint:${numberOf(name)}` }),
  "digitalocean:index/volume:Volume": (name) => ({
    volumeUrn: `do:volume:${mockId("digitalocean:index/volume:Volume", name)}`,
  }),
  "digitalocean:index/reservedIp:ReservedIp": (name) => {
    const ip = ipv4(name, "198.51");
    return { ipAddress: ip, reservedIpUrn: `do:reservedip:${ip}` };
  },
  "digitalocean:index/vpc:Vpc": (name, inputs) => ({
    ipRange: inputs.ipRange ?? `10.${numberOf(name) % 200}.0.0/20`,
    vpcUrn: `do:vpc:${mockId("digitalocean:index/vpc:Vpc", name)}`,
  }),
  "digitalocean:index/databaseCluster:DatabaseCluster": cluster,
  "digitalocean:index/databaseUser:DatabaseUser": (name) => ({ password: `mock-user-password-${name}` }),
  "digitalocean:index/spacesBucket:SpacesBucket": (name, inputs) => ({
    bucketDomainName: `${inputs.name}.${inputs.region}.digitaloceanspaces.com`,
    endpoint: `${inputs.region}.digitaloceanspaces.com`,
    bucketUrn: `do:space:${inputs.name ?? name}`,
  }),
  "digitalocean:index/spacesKey:SpacesKey": (name) => ({
    accessKey: `MOCKACCESSKEY${numberOf(name)}`,
    secretKey: `mock-secret-key-${name}`,
  }),
  "digitalocean:index/domain:Domain": (name, inputs) => ({ domainUrn: `do:domain:${inputs.name ?? name}` }),
  "docker:index/remoteImage:RemoteImage": (_name, inputs) => {
    const ref = String(inputs.name ?? "");
    return { imageId: ref.includes("@") ? ref.slice(ref.indexOf("@") + 1) : ref, repoDigest: ref };
  },
  "command:remote:Command": () => ({ stdout: "", stderr: "" }),
  "pulumi:pulumi:StackReference": (_name, inputs, context) => ({
    outputs: context.stackOutputs[String(inputs.name)] ?? {},
    secretOutputNames: [],
  }),
};

export function mockOutputs(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  secretOutputs: readonly string[],
  context: MockContext = EMPTY_CONTEXT,
): Record<string, unknown> {
  const state: Record<string, unknown> = { ...inputs, ...(COMPUTED[type]?.(name, inputs, context) ?? {}) };
  for (const key of secretOutputs) if (key in state) state[key] = pulumi.secret(state[key]);
  return state;
}

/** What the mock answers to provider functions (invokes), e.g. GitHub team and user look-ups by name. */
export function mockCall(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (token) {
    case "github:index/getTeam:getTeam": {
      const slug = String(inputs.slug);
      return { ...inputs, id: String(numberOf(`team:${slug}`)), slug, name: slug, nodeId: `T_${slug}` };
    }
    case "github:index/getUser:getUser": {
      const username = String(inputs.username);
      return {
        ...inputs,
        id: String(numberOf(`user:${username}`)),
        login: username,
        nodeId: `U_${username}`,
      };
    }
    default:
      return inputs;
  }
}

/**
 * What the prod stack would export to the staging stack's StackReference (model/production-identity),
 * with placeholder read keys: the offline plan runs the staging stack without the prod stack's state.
 */
export function prodStackOutputs(
  projects: readonly { name: string; region: string }[],
  platformDomain: string,
): Record<string, unknown> {
  return {
    [PRODUCTION_OUTPUT]: Object.fromEntries(
      projects.map((p) => [p.name, productionIdentity(p.name, platformDomain, p.region)]),
    ),
    [BACKUP_READERS_OUTPUT]: Object.fromEntries(
      projects.map((p) => [
        p.name,
        { accessKey: `MOCKREADER${numberOf(p.name)}`, secretKey: `mock-reader-${p.name}` },
      ]),
    ),
  };
}

/** Outputs of every prod stack a staging plan references (one, or one per project when sharded). */
export function stagingStackOutputs(plan: PlatformPlan): Record<string, Record<string, unknown>> {
  const setting = plan.settings.prodStack;
  if (!setting || plan.settings.stages.includes("production")) return {};
  const byStack = new Map<string, { name: string; region: string }[]>();
  for (const p of plan.projects) {
    const stack = prodStackOf(setting, p.project.name);
    byStack.set(stack, [...(byStack.get(stack) ?? []), { name: p.project.name, region: p.region }]);
  }
  return Object.fromEntries(
    [...byStack].map(([stack, projects]) => [
      stack,
      prodStackOutputs(projects, plan.settings.platformDomain),
    ]),
  );
}
