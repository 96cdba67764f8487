import type { Command } from "commander";
import type { AccessDecision } from "../../../controlplane/records.ts";
import type { ControlPlane } from "../../../controlplane/types.ts";
import type { Action } from "../../../model/governance/decision-rights.ts";
import { matchRule } from "../../../model/input/branches.ts";
import { type Catalog, EMPTY_PROJECT_CATALOG } from "../../../model/input/catalog.ts";
import type { LoadedProject } from "../../../model/input/loader.ts";
import { branchName, projectName } from "../../../model/input/schema/primitives.ts";
import { readStackFile, STACKS } from "../../../model/input/stack-file.ts";
import type { StackSettings } from "../../../model/input/stack-settings.ts";
import { type EnvironmentPlan, planPlatform } from "../../../model/plan/environment-plan.ts";
import { commandLine } from "../../../model/plan/remote-access.ts";
import type { Problem } from "../../../model/problem.ts";
import type { Stage } from "../../../model/stages.ts";
import type { CommandContext } from "../../context.ts";
import { EXIT, UsageError } from "../../io.ts";
import { findProjectFile, loadProjectFile } from "../../project-file.ts";
import { spawnInherited } from "../../spawn.ts";
import { actorOption, parseInput, withControlPlane } from "../control-plane/session.ts";
import { printProblems } from "../validate/command.ts";

/**
 * Audited access to an environment (`odooops shell`, `logs`, `restore`). The control plane decides
 * (decision rights per persona and stage, plus whatever else the action needs) and records
 * access.granted or access.refused before anything runs; without a control plane there is no access,
 * because there would be no audit record.
 */
export interface AccessOptions {
  root: string;
  as?: string;
  print?: boolean;
}

export function accessCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .argument("<project>", "project name (projects/<project>.yaml)")
    .argument("<branch>", "branch of the app repo whose environment to reach")
    .option("--root <dir>", "directory with projects/ and the stack files", ".")
    .addOption(actorOption())
    .option("--print", "print the ssh command instead of running it (access is still requested and audited)");
}

export interface AccessRequest<D extends AccessDecision> {
  project: string;
  branch: string;
  options: AccessOptions;
  action: Action;
  /** Refuses, with a UsageError, a stage where the command cannot run: before anything is asked. */
  checkStage?: (stage: Stage) => void;
  /** Refuses, with a UsageError, a request that makes no sense for the environment. */
  checkEnvironment?: (env: EnvironmentPlan) => void;
  /** Asks the control plane (which audits the answer). */
  decide: (controlPlane: ControlPlane, where: { project: string; branch: string }) => Promise<D>;
  /** The command for the environment, once granted. */
  argv: (env: EnvironmentPlan, decision: D) => string[];
}

/** Access through ops.request_access: decision rights for `action` alone. */
export function decideByRights(action: Action): AccessRequest<AccessDecision>["decide"] {
  return (cp, where) => cp.requestAccess({ ...where, action });
}

export async function runAccess<D extends AccessDecision>(
  context: CommandContext,
  request: AccessRequest<D>,
): Promise<void> {
  const project = parseInput(projectName, request.project, "project");
  const branch = parseInput(branchName, request.branch, "branch");
  const { loaded, problems } = loadProjectFile(findProjectFile(request.options.root, project));
  if (!loaded) return fail(context, problems);
  const stage = matchRule(loaded.project.branches, branch)?.rule.stage;
  if (!stage) throw new UsageError(`${branch} matches no branch rule of ${project}: it has no environment`);
  request.checkStage?.(stage);
  const stack = owningStack(request.options.root, stage);
  if (!stack.settings) return fail(context, stack.problems);
  const settings = stack.settings;

  // Production's plan needs no build catalog: a mistaken request fails here, before anything is audited.
  const known = environmentOf(loaded, settings, branch);
  if (known) request.checkEnvironment?.(known);

  const answer = await withControlPlane(context, request.options, async (cp) => {
    const decision = await request.decide(cp, { project, branch });
    return { decision, catalog: decision.allowed && !known ? await cp.catalog([project]) : undefined };
  });
  if (!answer) return;
  const { decision, catalog } = answer.result;
  if (!decision.allowed) {
    context.io.err(
      `odooops: ${request.action} refused in ${decision.stage} (recorded in the audit trail): ${decision.reason}`,
    );
    context.exit.code = EXIT.violations;
    return;
  }
  const env = known ?? environmentOf(loaded, settings, branch, catalog);
  if (!env)
    throw new UsageError(
      `${branch} of ${project} has no running environment: the control plane has no successful build of it`,
    );
  request.checkEnvironment?.(env);
  const argv = request.argv(env, decision);
  context.io.err(`odooops: access granted and recorded: ${decision.reason}`);
  if (request.options.print) {
    context.io.out(commandLine(argv));
    context.exit.code = EXIT.ok;
    return;
  }
  context.exit.code = await (context.spawn ?? spawnInherited)(argv);
}

function fail(context: CommandContext, problems: readonly Problem[]): void {
  printProblems(context, problems);
  context.exit.code = EXIT.invalidInput;
}

/** The stack whose `stages` include the environment's stage (staging or prod). */
function owningStack(root: string, stage: Stage): { settings?: StackSettings; problems: Problem[] } {
  const problems: Problem[] = [];
  for (const stack of STACKS) {
    const read = readStackFile(root, stack);
    if (read.settings?.stages.includes(stage)) return { settings: read.settings, problems: [] };
    problems.push(...read.problems);
  }
  if (problems.length > 0) return { problems };
  throw new UsageError(`no stack file in ${root} owns the ${stage} stage (odooops:stages)`);
}

/** The branch's environment as the stack plans it: host name, slug, database (per build in staging). */
function environmentOf(
  loaded: LoadedProject,
  settings: StackSettings,
  branch: string,
  catalog?: Catalog,
): EnvironmentPlan | undefined {
  const name = loaded.project.name;
  const projects = { [name]: catalog?.projects[name] ?? EMPTY_PROJECT_CATALOG };
  // A sharded stack (odooops:projects) may not list this project; its environments are planned alike.
  const plan = planPlatform([loaded], { projects }, { ...settings, projects: undefined });
  return plan.projects[0]?.environments.find((e) => e.branch === branch);
}
