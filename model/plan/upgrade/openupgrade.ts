/**
 * How OCA's OpenUpgrade migrates a database, as its documentation (docsource/040_run_migration.rst)
 * and repository say: from 14.0 on, `openupgrade_framework` and `openupgrade_scripts` are modules
 * put on the addons path of the *target* version's Odoo, with openupgradelib installed; each branch
 * migrates from the previous version only ("Skipping versions is not supported"), so 16.0 → 18.0 is
 * two runs, 17.0 then 18.0. Coverage per target is in docsource/modules<from>-<to>.rst; the scripts
 * live in openupgrade_scripts/scripts/<module>/<version>/{pre,post,end}-migration.py.
 */
export const OPENUPGRADE_REPO = "https://github.com/OCA/OpenUpgrade";
export const OPENUPGRADELIB = "git+https://github.com/OCA/openupgradelib.git@master#egg=openupgradelib";

/** Target versions OpenUpgrade's branches migrate to (each from the version before it). */
export const OPENUPGRADE_TARGETS = ["14.0", "15.0", "16.0", "17.0", "18.0", "19.0"] as const;

/** Where the upgrade image keeps OpenUpgrade's checkout of a target version's branch. */
export function openUpgradeDir(target: string): string {
  return `/opt/openupgrade/${target}`;
}

/** Odoo's arguments for one OpenUpgrade step (the documented "recommended command line parameters"). */
export function openUpgradeArgs(target: string, database: string): string[] {
  return [
    "-d",
    database,
    `--upgrade-path=${openUpgradeDir(target)}/openupgrade_scripts/scripts`,
    "--update=all",
    "--stop-after-init",
    "--load=base,web,openupgrade_framework",
    "--no-http",
  ];
}

/** Lets OpenUpgrade skip, in intermediate steps, work only the final version needs. */
export function openUpgradeEnv(finalTarget: string): Record<string, string> {
  return { OPENUPGRADE_TARGET_VERSION: finalTarget };
}

/** The versions to pass through from `from` to `to`, one OpenUpgrade run each (`to` included). */
export function openUpgradeSteps(from: string, to: string): string[] {
  const major = (v: string) => Number.parseInt(v, 10);
  const steps: string[] = [];
  for (let v = major(from) + 1; v <= major(to); v++) steps.push(`${v}.0`);
  return steps;
}
