import { z } from "zod";
import data from "./oca-ports.json" with { type: "json" };

/**
 * Which installed modules have no port to the target version. OCA modules are looked up in
 * oca-ports.json (written by scripts/read-oca-ports.ts from the OCA repositories' branches; it says
 * when it was read, and the report repeats that, because OCA ports land every week). Odoo's own modules
 * come with the target's image and OpenUpgrade migrates them. Any other module (in-house, or an OCA
 * module the file does not know) is the project's to port: the report says so instead of guessing.
 */
const branchSchema = z.union([
  z.strictObject({ branch: z.literal(false) }),
  z.strictObject({
    branch: z.literal(true),
    commit: z.string().regex(/^[0-9a-f]{40}$/),
    committed: z.string(),
    manifestVersion: z.string().nullable(),
    ported: z.boolean(),
    /** The manifest's `depends` on that branch; empty when the branch has no manifest of the module. */
    depends: z.array(z.string()),
  }),
]);
export const ocaPortsSchema = z.strictObject({
  readAt: z.iso.datetime(),
  source: z.string(),
  /** Each repository's newest commit in the mirror read: how current the data is. */
  repos: z.record(
    z.string().regex(/^OCA\/[\w.-]+$/),
    z.strictObject({ newestCommit: z.iso.datetime({ offset: true }) }),
  ),
  modules: z.record(
    z.string(),
    z.strictObject({
      repo: z.string().regex(/^OCA\/[\w.-]+$/),
      branches: z.record(z.string(), branchSchema),
    }),
  ),
});
export type OcaPorts = z.infer<typeof ocaPortsSchema>;

export const OCA_PORTS: OcaPorts = ocaPortsSchema.parse(data);

export interface InstalledModule {
  name: string;
  author: string | null;
}

export type PortStatus =
  | { module: string; origin: "odoo" }
  | { module: string; origin: "oca"; repo: string; ported: boolean; detail: string }
  | { module: string; origin: "other"; ported: false; detail: string };

function isOdoos(author: string | null): boolean {
  return author !== null && /^Odoo S\.A\.?$/i.test(author.trim());
}

export function portStatus(module: InstalledModule, target: string, ports: OcaPorts = OCA_PORTS): PortStatus {
  const known = ports.modules[module.name];
  if (known) {
    const branch = known.branches[target];
    if (!branch?.branch)
      return {
        module: module.name,
        origin: "oca",
        repo: known.repo,
        ported: false,
        detail: `${known.repo} has no ${target} branch`,
      };
    return branch.ported
      ? {
          module: module.name,
          origin: "oca",
          repo: known.repo,
          ported: true,
          detail: `${known.repo}@${target} (${branch.manifestVersion})`,
        }
      : {
          module: module.name,
          origin: "oca",
          repo: known.repo,
          ported: false,
          detail: branch.manifestVersion
            ? `${known.repo}@${target} still holds ${branch.manifestVersion} (not migrated yet)`
            : `not in ${known.repo}@${target}`,
        };
  }
  if (isOdoos(module.author)) return { module: module.name, origin: "odoo" };
  const oca = /Odoo Community Association/i.test(module.author ?? "");
  return {
    module: module.name,
    origin: "other",
    ported: false,
    detail: oca
      ? `an OCA module the port list does not cover: check its repository's ${target} branch (and add it to model/plan/upgrade/oca-modules.ts)`
      : `by ${module.author ?? "an unknown author"}: in-house or third-party, its ${target} port is the project's to make`,
  };
}

/** The installed modules without a known port to `target`. */
export function modulesWithoutPort(
  modules: readonly InstalledModule[],
  target: string,
  ports: OcaPorts = OCA_PORTS,
) {
  return modules
    .map((m) => portStatus(m, target, ports))
    .filter((s): s is Exclude<PortStatus, { origin: "odoo" }> => s.origin !== "odoo" && !s.ported);
}
