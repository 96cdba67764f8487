import { MEMBER_ROLES, type MemberRole } from "../model/governance/personas.ts";
import type { LoadedProject } from "../model/input/loader.ts";
import { formatPath, type PathSegment, type Problem } from "../model/problem.ts";
import type { GithubAccount, GithubDirectory } from "./github-directory.ts";
import type { ProjectSyncInput, SyncedMember } from "./sync-records.ts";

/** One holder of a persona and the YAML place that made them one (a user entry, or a team entry). */
interface Holder {
  account: GithubAccount;
  role: MemberRole;
  path: PathSegment[];
  via: string;
}

function problemAt(p: LoadedProject, path: PathSegment[], message: string): Problem {
  return { file: p.file, ...p.locate(path), path: formatPath(path), message };
}

/** Resolves the persona entries of one project to GitHub accounts; unknown users and teams are problems. */
async function holders(p: LoadedProject, directory: GithubDirectory, problems: Problem[]): Promise<Holder[]> {
  const found: Holder[] = [];
  const org = p.project.repo.split("/")[0] ?? "";
  for (const role of MEMBER_ROLES) {
    const entry = p.project.personas[role];
    if (!entry) continue;
    for (const [index, login] of entry.users.entries()) {
      const path = ["personas", role, "users", index];
      const account = await directory.user(login);
      if (account) found.push({ account, role, path, via: `user ${login}` });
      else problems.push(problemAt(p, path, `GitHub user ${login} does not exist; fix the login`));
    }
    for (const [index, team] of entry.teams.entries()) {
      const path = ["personas", role, "teams", index];
      const members = await directory.teamMembers(org, team);
      if (!members)
        problems.push(
          problemAt(
            p,
            path,
            `team ${org}/${team} does not exist or cannot be read; fix the slug or the token`,
          ),
        );
      for (const account of members ?? []) found.push({ account, role, path, via: `team ${team}` });
    }
  }
  return found;
}

/** One persona per person per project: the same GitHub id under two personas is a problem at both. */
function membersOf(p: LoadedProject, found: Holder[], problems: Problem[]): SyncedMember[] {
  const byId = new Map<number, Holder>();
  for (const holder of found) {
    const first = byId.get(holder.account.id);
    if (!first) byId.set(holder.account.id, holder);
    else if (first.role !== holder.role)
      problems.push(
        problemAt(
          p,
          holder.path,
          `${holder.account.login} is ${holder.role} (${holder.via}) and already ${first.role} (${first.via}, ${formatPath(first.path)}); one persona per person per project`,
        ),
      );
  }
  return [...byId.values()].map((h) => ({ githubId: h.account.id, login: h.account.login, role: h.role }));
}

/**
 * What `ops.sync_projects` receives for the loaded project files, every login resolved to its GitHub
 * id. Any problem means nothing is synced: the caller prints them all and applies none.
 */
export async function projectSyncInputs(
  projects: readonly LoadedProject[],
  directory: GithubDirectory,
): Promise<{ inputs: ProjectSyncInput[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const inputs: ProjectSyncInput[] = [];
  for (const p of projects) {
    const members = membersOf(p, await holders(p, directory, problems), problems);
    inputs.push({
      name: p.project.name,
      repo: p.project.repo,
      requiredChecks: p.project.governance.requiredChecks,
      branchRules: p.project.branches.map((r) => ({ match: r.match, stage: r.stage, ttl: r.ttl })),
      members,
    });
  }
  return { inputs, problems };
}
