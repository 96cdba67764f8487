// Pulumi entry point: read this stack's settings and inputs, then build the platform.
import * as pulumi from "@pulumi/pulumi";
import { Platform } from "./components/platform.ts";
import { loadCatalogFile } from "./model/catalog-loader.ts";
import { planPlatform } from "./model/environment-plan.ts";
import { listProjectFiles, loadProjects } from "./model/loader.ts";
import { formatProblem } from "./model/problem.ts";
import { stackSettingsFromConfig } from "./model/stack-settings.ts";

const settings = stackSettingsFromConfig(pulumi.runtime.allConfig());
if (!settings.success) throw new pulumi.RunError(`invalid odooops stack config: ${settings.error.message}`);

const loaded = loadProjects(listProjectFiles("projects"), { platformDomain: settings.data.platformDomain });
const catalog = settings.data.catalog
  ? loadCatalogFile(settings.data.catalog)
  : { catalog: { projects: {} }, problems: [] };
const problems = [...loaded.problems, ...catalog.problems];
if (problems.length > 0) throw new pulumi.RunError(problems.map(formatProblem).join("\n"));

const plan = planPlatform(loaded.projects, catalog.catalog ?? { projects: {} }, settings.data);
if (plan.problems.length > 0) throw new pulumi.RunError(plan.problems.join("\n"));

new Platform("odooops", plan);
