import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { CapturedResource } from "../../../cli/commands/plan/capture.ts";

/**
 * What the Pulumi program registers for one host, read from the mock runtime's capture: the droplet's
 * cloud-init, each `docker:index/container:Container` as the docker provider would create it, and the
 * remote commands run on the host. Validated here, so a component that changes shape fails with the
 * resource's name and the field instead of a container started with something missing.
 */
const containerSchema = z.object({
  name: z.string(),
  image: z.string(),
  entrypoints: z.array(z.string()).default([]),
  command: z.array(z.string()).default([]),
  envs: z.array(z.string()).default([]),
  labels: z.array(z.object({ label: z.string(), value: z.string() })).default([]),
  restart: z.enum(["no", "on-failure", "always", "unless-stopped"]),
  networksAdvanced: z.array(z.object({ name: z.string() })).default([]),
  volumes: z.array(z.object({ hostPath: z.string(), containerPath: z.string() })).default([]),
  uploads: z
    .array(z.object({ file: z.string(), content: z.string(), permissions: z.string().optional() }))
    .default([]),
  ports: z
    .array(z.object({ internal: z.number(), external: z.number(), protocol: z.string().optional() }))
    .default([]),
});
export type PlannedContainer = z.infer<typeof containerSchema>;

const commandSchema = z.object({
  create: z.string(),
  environment: z.record(z.string(), z.string()).default({}),
});
export type PlannedCommand = z.infer<typeof commandSchema>;

const cloudInitSchema = z.object({
  write_files: z.array(
    z.object({ path: z.string(), content: z.string(), permissions: z.string().optional() }),
  ),
});
export type CloudInitFile = z.infer<typeof cloudInitSchema>["write_files"][number];

function parsed<T>(schema: z.ZodType<T>, resource: CapturedResource, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new Error(
    `${resource.type} ${resource.name}: ${issue.path.join(".") || "(inputs)"} ${issue.message}`,
  );
}

function bySuffix(resources: CapturedResource[], type: string, suffix: string): CapturedResource {
  const found = resources.filter((r) => r.type === type && r.name.endsWith(suffix));
  if (found.length !== 1)
    throw new Error(
      `expected one ${type} named *${suffix} on the host, found ${found.map((r) => r.name).join(", ") || "none"}`,
    );
  return found[0]!;
}

export interface PlannedHost {
  cloudInitFiles: CloudInitFile[];
  containers: {
    agent: PlannedContainer;
    proxy: PlannedContainer;
    mailpit: PlannedContainer;
    odoo: PlannedContainer;
  };
  commands: { createDatabase: PlannedCommand; moduleUpdate: PlannedCommand };
}

/** The host of one dedicated environment (`<project>-<slug>`), as the program registered it. */
export function plannedHost(resources: CapturedResource[], environment: string): PlannedHost {
  const mine = resources.filter((r) => r.name.startsWith(`${environment}-`));
  const container = (suffix: string) => {
    const r = bySuffix(mine, "docker:index/container:Container", suffix);
    return parsed(containerSchema, r, r.inputs);
  };
  const command = (suffix: string) => {
    const r = bySuffix(mine, "command:remote:Command", suffix);
    return parsed(commandSchema, r, r.inputs);
  };
  const droplet = bySuffix(mine, "digitalocean:index/droplet:Droplet", "-host-droplet");
  const userData = parsed(z.string().startsWith("#cloud-config\n"), droplet, droplet.inputs.userData);
  return {
    cloudInitFiles: parsed(cloudInitSchema, droplet, parseYaml(userData)).write_files,
    containers: {
      agent: container("-host-agent-container"),
      proxy: container("-host-proxy-container"),
      mailpit: container("-mailpit-container"),
      odoo: container("-odoo-container"),
    },
    commands: { createDatabase: command("-clone-fresh-database"), moduleUpdate: command("-update-command") },
  };
}

/** `key = value` lines of an odoo.conf's [options]. */
export function odooConfOptions(conf: string): Record<string, string> {
  const options: Record<string, string> = {};
  for (const line of conf.split("\n")) {
    const match = /^([a-z_]+)\s*=\s*(.*)$/.exec(line.trim());
    if (match) options[match[1]!] = match[2]!;
  }
  return options;
}
