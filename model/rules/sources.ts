import { MEMBER_ROLES } from "../governance/personas.ts";
import type { Project } from "../input/schema/project.ts";
import { formatPath, type PathSegment } from "../problem.ts";
import { STAGES } from "../stages.ts";

/**
 * Where each project-level fact a rule may name sits in the YAML: field path → `file:line:col`. It
 * travels as plain data on the Project component, so a policy (which cannot read files) can point a
 * violation at the line to change. A field the file leaves to its default points at the nearest
 * enclosing mapping that the file does write.
 */
export function projectFieldPaths(project: Project): PathSegment[][] {
  const paths: PathSegment[][] = [["name"], ["keep"], ["retention"], ["personas"], ["odooOptions"]];
  for (const stage of STAGES) {
    const env = ["environments", stage];
    paths.push(env, [...env, "size"], [...env, "database", "size"], [...env, "sshSources"]);
    for (const i of project.environments[stage].sshSources.keys()) paths.push([...env, "sshSources", i]);
    if (stage !== "production") paths.push([...env, "mailCatcher"], [...env, "smtpEgress"]);
  }
  paths.push(
    ["environments", "production", "image"],
    ["environments", "staging", "clone", "mask"],
    ["environments", "staging", "clone", "neutralize"],
  );
  for (const i of project.branches.keys()) paths.push(["branches", i], ["branches", i, "ttl"]);
  for (const tier of ["daily", "weekly", "monthly"]) paths.push(["retention", tier]);
  for (const role of MEMBER_ROLES) paths.push(["personas", role]);
  paths.push(["governance", "requiredChecks"], ["governance", "production", "preventSelfReview"]);
  for (const key of Object.keys(project.odooOptions)) paths.push(["odooOptions", key]);
  paths.push(["budget", "monthlyUsd"], ["backup"], ["backup", "schedule"]);
  paths.push(["odoo", "version"], ["bundles"]);
  for (const i of project.bundles.keys()) paths.push(["bundles", i]);
  for (const role of MEMBER_ROLES)
    for (const list of ["users", "teams"]) paths.push(["personas", role, list]);
  return paths;
}

export function projectSources(
  project: Project,
  where: (path: readonly PathSegment[]) => string,
): Record<string, string> {
  return Object.fromEntries(projectFieldPaths(project).map((path) => [formatPath(path), where(path)]));
}

/** `file:line:col field` for a field, falling back to its nearest recorded parent, then to the file. */
export function locateField(sources: Readonly<Record<string, string>>, field: string, file: string): string {
  let path = field;
  while (path !== "") {
    const at = sources[path];
    if (at) return `${at} ${field}`;
    const parent = path.replace(/(\.[^.[\]]+|\[[^\]]*\])$|^[^.[\]]+$/, "");
    if (parent === path) break;
    path = parent;
  }
  return `${file} ${field}`;
}
