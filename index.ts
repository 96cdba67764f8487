// Pulumi entry point: read this stack's settings and inputs, then build the platform.
import * as pulumi from "@pulumi/pulumi";
import { DEPLOY_KEY_PLACEHOLDER, Platform } from "./components/platform.ts";
import { readKeysConfig } from "./components/secret-config.ts";
import { CONTROL_PLANE_SOURCE, catalogSource, readCatalog } from "./controlplane/catalog-source.ts";
import {
  CONTROL_PLANE_CONFIG,
  controlPlaneConfigProblem,
  parseAgentKeys,
  storeAgentKeyCommand,
} from "./model/governance/agent-control-plane.ts";
import { parseRegistryAuth, REGISTRY_AUTH_CONFIG } from "./model/governance/registry-auth.ts";
import { listProjectFiles, loadProjects } from "./model/input/loader.ts";
import { stackSettingsFromConfig } from "./model/input/stack-settings.ts";
import { deployedEnvironments, productionDeployProblem } from "./model/plan/deploy-record.ts";
import { planPlatform } from "./model/plan/environment-plan.ts";
import { PLATFORM_IMAGES, unreleasedAgentDeployProblem } from "./model/plan/platform-images.ts";
import { stackProblems } from "./model/plan/stack-problems.ts";
import { formatProblem } from "./model/problem.ts";

const settings = stackSettingsFromConfig(pulumi.runtime.allConfig());
if (!settings.success) throw new pulumi.RunError(`invalid odooops stack config: ${settings.error.message}`);
// The anon key and the agent keys production's agents record evidence with: stack secrets, never in the
// settings. No host gets the service-role key.
const controlPlaneKey = new pulumi.Config("odooops").getSecret(CONTROL_PLANE_CONFIG.key);
const keycloakClientSecret = new pulumi.Config("odooops").getSecret("keycloakClientSecret");
const agentKeys = readKeysConfig(
  new pulumi.Config("odooops"),
  CONTROL_PLANE_CONFIG.agentKeys,
  parseAgentKeys,
);
const keyProblem = controlPlaneConfigProblem(
  settings.data.controlPlaneUrl !== undefined,
  controlPlaneKey ? "secret" : "absent",
);
if (keyProblem) throw new pulumi.RunError(`stack config odooops:${keyProblem.key} ${keyProblem.message}`);

// Read-only pull tokens per project: each becomes a Pulumi secret before anything else sees it.
const registry = parseRegistryAuth(pulumi.runtime.allConfig()[`odooops:${REGISTRY_AUTH_CONFIG}`]);
if (registry.problems.length > 0) throw new pulumi.RunError(registry.problems.join("\n"));
const registryAuth = Object.fromEntries(
  Object.entries(registry.auth).map(([project, c]) => [project, { ...c, token: pulumi.secret(c.token) }]),
);

// The admin's project files; ODOOOPS_PROJECTS_DIR names another folder (the tests run the examples).
const projectsDir = process.env.ODOOOPS_PROJECTS_DIR ?? "projects";
const loaded = loadProjects(listProjectFiles(projectsDir), { platformDomain: settings.data.platformDomain });
// Live branches and release gates: the control plane when the environment configures one, else the file.
const source = catalogSource(undefined, settings.data.catalog);
const guard = productionDeployProblem(
  settings.data.stages,
  source === CONTROL_PLANE_SOURCE,
  pulumi.runtime.isDryRun(),
);
if (guard) throw new pulumi.RunError(guard);
const catalog = source ? await readCatalog(source) : { catalog: { projects: {} }, problems: [] };
const problems = [...loaded.problems, ...catalog.problems];
if (problems.length > 0) throw new pulumi.RunError(problems.map(formatProblem).join("\n"));

const plan = planPlatform(loaded.projects, catalog.catalog ?? { projects: {} }, settings.data);
const planProblems = [...plan.problems, ...stackProblems(plan)];
if (planProblems.length > 0) throw new pulumi.RunError(planProblems.join("\n"));

const unreleasedAgent = unreleasedAgentDeployProblem(PLATFORM_IMAGES.agent, pulumi.runtime.isDryRun());
if (unreleasedAgent) throw new pulumi.RunError(unreleasedAgent);

// The deploy key's private half comes from the deployer's environment (a CI secret), never from Git.
const deployKey = process.env.ODOOOPS_SSH_PRIVATE_KEY;
if (!deployKey && !pulumi.runtime.isDryRun())
  throw new pulumi.RunError("set ODOOOPS_SSH_PRIVATE_KEY to this stack's deploy key before `pulumi up`");
if (settings.data.controlPlaneUrl && !pulumi.runtime.isDryRun()) {
  const missing = plan.projects
    .filter((p) => p.environments.some((e) => e.stage === "production") && !agentKeys[p.project.name])
    .map(
      (p) =>
        `${storeAgentKeyCommand(p.project.name)}   # odooops build-key create ${p.project.name} --stage production --agent`,
    );
  if (missing.length > 0)
    throw new pulumi.RunError(
      `production agents need their agent keys before \`pulumi up\`:\n${missing.join("\n")}`,
    );
}
// The warehouse server's admin URL: a stack secret, needed once a production project replicates.
const warehouseUrl = new pulumi.Config("odooops").getSecret("warehouseUrl");
const replicating = plan.projects.filter(
  (p) => p.project.warehouse && p.environments.some((e) => e.stage === "production"),
);
if (replicating.length > 0 && !warehouseUrl && !pulumi.runtime.isDryRun())
  throw new pulumi.RunError(
    `${replicating.map((p) => p.project.name).join(", ")} replicate to the warehouse: pulumi config set --stack prod --secret odooops:warehouseUrl postgresql://…`,
  );
const platform = new Platform("odooops", plan, {
  warehouseUrl,
  deployKey: deployKey ? pulumi.secret(deployKey) : DEPLOY_KEY_PLACEHOLDER,
  controlPlaneKey,
  agentKeys,
  registryAuth,
  keycloakClientSecret,
});

// Read by the staging stack's StackReference (model/plan/production-identity.ts).
export const production = platform.productionIdentities;
export const backupReaders = platform.backupReaders;
// Read by the deploy workflow: what to record as deployed and where to check health (odooops health).
export const deployed = deployedEnvironments(plan);
