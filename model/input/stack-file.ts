import { join } from "node:path";
import {
  agentKeysConfigProblem,
  CONTROL_PLANE_CONFIG,
  controlPlaneConfigProblem,
  secretForm,
} from "../governance/agent-control-plane.ts";
import { appCredentialProblems } from "../governance/build-keys.ts";
import { REGISTRY_AUTH_CONFIG, type RegistryEntry, registryAuthInFile } from "../governance/registry-auth.ts";
import { formatPath, type Problem } from "../problem.ts";
import { isMissing, type ReadText, readFailure, readFromDisk } from "./read-text.ts";
import { allowedKeysAt } from "./schema-keys.ts";
import { type StackSettings, stackSettingsFromConfig, stackSettingsSchema } from "./stack-settings.ts";
import { YamlSource } from "./yaml-source.ts";
import { describeIssue } from "./zod-issues.ts";

export const STACKS = ["staging", "prod"] as const;
export type StackName = (typeof STACKS)[number];

/** Reads the `odooops:*` settings of `Pulumi.<stack>.yaml` in `root`, with located errors. */
export function readStackFile(
  root: string,
  stack: string,
  read: ReadText = readFromDisk,
): { settings?: StackSettings; problems: Problem[]; registry?: RegistryEntry[] } {
  const file = join(root, `Pulumi.${stack}.yaml`);
  let text: string;
  try {
    text = read(file);
  } catch (error) {
    const message = isMissing(error)
      ? `no stack file for stack "${stack}"`
      : `cannot read the stack file: ${readFailure(error)}`;
    return { problems: [{ file, line: 1, col: 1, path: "", message }] };
  }
  const source = new YamlSource(file, text);
  const yaml = source.toValue();
  if (yaml.problems.length > 0) return { problems: yaml.problems };
  const config = ((yaml.value as { config?: Record<string, unknown> } | null)?.config ?? {}) as Record<
    string,
    unknown
  >;
  const parsed = stackSettingsFromConfig(config);
  const secret = controlPlaneConfigProblem(
    config[`odooops:${CONTROL_PLANE_CONFIG.url}`] !== undefined,
    secretForm(config[`odooops:${CONTROL_PLANE_CONFIG.key}`]),
  );
  const agentKeys = agentKeysConfigProblem(config[`odooops:${CONTROL_PLANE_CONFIG.agentKeys}`]);
  const registry = registryAuthInFile(config[`odooops:${REGISTRY_AUTH_CONFIG}`]);
  const secretProblems: Problem[] = [
    ...[secret, agentKeys].flatMap((p) => (p ? [{ key: `odooops:${p.key}`, message: p.message }] : [])),
    ...appCredentialProblems(config),
    ...registry.problems,
    ...(secretForm(config["odooops:warehouseUrl"]) === "plain"
      ? [
          {
            key: "odooops:warehouseUrl",
            message:
              "holds a password in plain text; remove it and run pulumi config set --secret odooops:warehouseUrl postgresql://…",
          },
        ]
      : []),
  ].map(({ key, message }) => ({ file, ...source.locate(["config", key], true), path: key, message }));
  if (parsed.success)
    return secretProblems.length > 0
      ? { problems: secretProblems }
      : { settings: parsed.data, problems: [], registry: registry.entries };
  const problems = parsed.error.issues.flatMap((issue) => {
    // Messages quote what they found: never a password written into a URL.
    const values = Object.fromEntries(
      Object.entries(config).map(([k, v]) => [
        k.replace(/^odooops:/, ""),
        typeof v === "string" ? v.replace(/(:\/\/)[^/\s@]*@/, "$1…@") : v,
      ]),
    );
    return describeIssue(issue, values, (path) => allowedKeysAt(stackSettingsSchema, path)).map((d) => {
      const [head, ...rest] = d.path;
      const yamlPath = head === undefined ? ["config"] : ["config", `odooops:${head}`, ...rest];
      return {
        file,
        ...source.locate(yamlPath, d.atKey),
        path: head === undefined ? "config" : `odooops:${formatPath([head, ...rest])}`,
        message: d.message,
      };
    });
  });
  return { problems: [...problems, ...secretProblems] };
}
