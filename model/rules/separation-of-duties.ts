import { personaTeamName } from "../governance/github-governance.ts";
import type { MemberRole } from "../governance/personas.ts";
import type { Project } from "../input/schema/project.ts";
import type { RuleFinding } from "./finding.ts";

/**
 * Separation of duties in the project file itself (seed 001: the person who signs G2, validation,
 * cannot sign G3, promotion, for the same release). The control plane refuses the second signature at
 * run time; a file that makes one person both qa_tester and release_manager sets that refusal up as
 * the only thing between a release and production, so it is refused where it is written.
 */
const VALIDATES: MemberRole = "qa_tester";
const PROMOTES: MemberRole = "release_manager";

/**
 * The users a role reaches: those it lists, plus the members of teams whose membership the file
 * itself decides (another role's persona team, e.g. `shop-qa-tester`, is that role's users).
 */
function usersOf(project: Project, role: MemberRole): Map<string, string> {
  const reach = new Map<string, string>();
  const members = project.personas[role];
  for (const user of members?.users ?? []) reach.set(user, `personas.${role}.users`);
  for (const team of members?.teams ?? [])
    for (const other of [VALIDATES, PROMOTES])
      if (team === personaTeamName(project.name, other))
        for (const user of project.personas[other]?.users ?? [])
          if (!reach.has(user)) reach.set(user, `personas.${role}.teams`);
  return reach;
}

export function separationOfDutiesFindings(project: Project): RuleFinding[] {
  const validators = usersOf(project, VALIDATES);
  const promoters = usersOf(project, PROMOTES);
  const findings: RuleFinding[] = [...validators.keys()]
    .filter((user) => promoters.has(user))
    .map((user) => ({
      field: promoters.get(user)!,
      what: `${user} is both ${VALIDATES} and ${PROMOTES}, so one person can validate a release (G2) and promote it to production (G3)`,
      fix: `keep ${user} in one of personas.${VALIDATES} and personas.${PROMOTES}, and name someone else for the other`,
    }));
  const validatingTeams = new Set(project.personas[VALIDATES]?.teams ?? []);
  for (const team of project.personas[PROMOTES]?.teams ?? [])
    if (validatingTeams.has(team))
      findings.push({
        field: `personas.${PROMOTES}.teams`,
        what: `team ${team} is named under both ${VALIDATES} and ${PROMOTES}, so any of its members can validate a release (G2) and promote it (G3)`,
        fix: `name ${team} under one of the two personas only`,
      });
  return findings;
}
