import { matchRule, resolveBranch } from "../../../model/input/branches.ts";
import { readStackFile } from "../../../model/input/stack-file.ts";
import { environmentUrl } from "../../../model/plan/deploy-record.ts";
import { formatProblem } from "../../../model/problem.ts";
import { UsageError } from "../../io.ts";
import { findProjectFile, loadProjectFile } from "../../project-file.ts";

/**
 * Where `odooops health` looks when no --url is given: the environment's address as the plan names it,
 * from projects/<project>.yaml's branch rules and the platform domain of the stack that owns the stage.
 */
export function environmentUrlFromFiles(root: string, project: string, branch: string): string {
  const { loaded, problems } = loadProjectFile(findProjectFile(root, project));
  if (!loaded) throw new UsageError(problems.map(formatProblem).join("\n"));
  const matched = matchRule(loaded.project.branches, branch);
  if (!matched) throw new UsageError(`branch ${branch} matches no branch rule of ${project}: no environment`);
  const stack = matched.rule.stage === "production" ? "prod" : "staging";
  const { settings, problems: stackProblems } = readStackFile(root, stack);
  if (!settings) throw new UsageError(stackProblems.map(formatProblem).join("\n"));
  const resolved = resolveBranch(loaded.project, branch, { platformDomain: settings.platformDomain });
  if (!resolved)
    throw new UsageError(`branch ${branch} matches no branch rule of ${project}: no environment`);
  return environmentUrl(resolved.hostnames);
}
