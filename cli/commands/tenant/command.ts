import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { listProjectFiles, loadProjects } from "../../../model/input/loader.ts";
import { readStackFile } from "../../../model/input/stack-file.ts";
import { tenantInput, tenantProjectYaml } from "../../../model/input/tenant-template.ts";
import { gitmodules, ocaDependenciesTxt, resolveBundles } from "../../../model/plan/bundle-modules.ts";
import { bundleModuleProblems } from "../../../model/rules/modules.ts";
import type { CommandContext } from "../../context.ts";
import { formatOption, jsonAlias } from "../../format.ts";
import { EXIT, UsageError } from "../../io.ts";
import { printProblems } from "../validate/command.ts";

interface TenantCli {
  repo: string;
  image: string;
  odoo: string;
  bundles?: string;
  domains?: string;
  releaseManagers: string;
  qa?: string;
  developers?: string;
  root: string;
  appRepo?: string;
  format: string;
}

const list = (value: string | undefined) => (value ? value.split(",").map((v) => v.trim()) : undefined);

/** Runs one step and records how long it took: the local part of the tenant's 15-minute budget. */
function timed<T>(steps: { step: string; ms: number }[], step: string, run: () => T): T {
  const started = performance.now();
  const result = run();
  steps.push({ step, ms: Math.round((performance.now() - started) * 10) / 10 });
  return result;
}

/** `odooops tenant create <name>`: a new project file from the tenant template, validated, never overwriting. */
export function registerTenant(program: Command, context: CommandContext): void {
  const tenant = program.command("tenant").description("Tenants: one project file each");
  tenant
    .command("create")
    .description(
      "Write projects/<name>.yaml from the tenant template (bundles, domains, personas), validated",
    )
    .argument("<name>", "tenant (project) name")
    .requiredOption("--repo <owner/name>", "the tenant's app repository")
    .requiredOption("--image <ref@sha256:…>", "the first production image, pinned by digest")
    .requiredOption("--release-managers <users>", "GitHub users who approve production (comma-separated)")
    .option("--odoo <version>", "Odoo version", "18.0")
    .option(
      "--bundles <names>",
      "module presets, comma-separated (finance_ppm, hr_timesheets, crm_sales, inventory)",
    )
    .option("--domains <names>", "custom domains served by production, comma-separated")
    .option("--qa <users>", "QA testers, comma-separated")
    .option("--developers <users>", "developers, comma-separated")
    .option("--root <dir>", "directory with projects/ and the stack files", ".")
    .option(
      "--app-repo <dir>",
      "a checkout of the tenant's app repository (from examples/app-repo): write its oca_dependencies.txt and .gitmodules for the bundles",
    )
    .addOption(formatOption())
    .addOption(jsonAlias())
    .action((name: string, o: TenantCli) => {
      const steps: { step: string; ms: number }[] = [];
      const parsed = tenantInput.safeParse({
        name,
        repo: o.repo,
        image: o.image,
        odoo: o.odoo,
        bundles: list(o.bundles),
        domains: list(o.domains),
        releaseManagers: list(o.releaseManagers),
        qaTesters: list(o.qa),
        developers: list(o.developers),
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new UsageError(`${issue.path.join(".") || "name"}: ${issue.message}`);
      }
      const projects = join(o.root, "projects");
      const target = join(projects, `${name}.yaml`);
      if (o.appRepo !== undefined && !(existsSync(o.appRepo) && statSync(o.appRepo).isDirectory()))
        throw new UsageError(
          `--app-repo ${o.appRepo} is no directory: clone the tenant's app repository first`,
        );
      const existing = listProjectFiles(projects);
      if (existing.some((f) => f.endsWith(`/${name}.yaml`) || f.endsWith(`/${name}.yml`)))
        throw new UsageError(`${target} already exists; a tenant is created once, then edited`);
      const text = timed(steps, "render template", () => tenantProjectYaml(parsed.data));
      // Validated as the file it will be, beside every existing project (names and host names are unique
      // across projects), before anything is written.
      const scratch = mkdtempSync(join(tmpdir(), "odooops-tenant-"));
      try {
        const candidate = join(scratch, `${name}.yaml`);
        writeFileSync(candidate, text);
        const stack = readStackFile(o.root, "staging");
        const platformDomain = stack.settings?.platformDomain;
        const result = timed(steps, "validate", () =>
          loadProjects([...existing, candidate], platformDomain ? { platformDomain } : {}),
        );
        const loaded = result.projects.find((p) => p.file === candidate);
        // The plan refuses a bundle its Odoo version cannot install (bundle-modules-available); say so
        // now, before a pull request is opened for a tenant whose first build would fail.
        const problems = [...result.problems, ...(loaded ? bundleModuleProblems(loaded, target) : [])];
        if (problems.length > 0) {
          printProblems(context, problems);
          context.exit.code = EXIT.invalidInput;
          return;
        }
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
      timed(steps, "write", () => writeFileSync(target, text, { flag: "wx" }));
      const { bundles, odoo } = parsed.data;
      const appRepo = o.appRepo;
      // Generated files: the app repository's copies from the template are replaced by the tenant's.
      if (appRepo !== undefined)
        timed(steps, "app repo", () => {
          writeFileSync(join(appRepo, "oca_dependencies.txt"), ocaDependenciesTxt(bundles, odoo));
          writeFileSync(join(appRepo, ".gitmodules"), gitmodules(bundles, odoo));
        });
      const resolution = resolveBundles(bundles, odoo);
      // Modules the port data is too old to confirm are written in anyway, and said here (stderr).
      for (const m of resolution.unverified)
        context.io.err(
          `note: ${m.module} (${m.repo}) is not confirmed for Odoo ${odoo}: ${m.detail} in a mirror of ${m.asOf}; check the branch before the first build`,
        );
      const submodules = resolution.repos.map(
        (repo) =>
          `git submodule add -b ${odoo} https://github.com/${repo}.git oca/${repo.slice("OCA/".length)}`,
      );
      if (o.format === "json")
        context.io.out(
          JSON.stringify({ file: target, ...(appRepo ? { appRepo, submodules } : {}), steps }, null, 2),
        );
      else
        context.io.out(
          [
            `wrote ${target}`,
            ...(appRepo
              ? [`wrote ${join(appRepo, "oca_dependencies.txt")} and ${join(appRepo, ".gitmodules")}`]
              : []),
            ...steps.map((s) => `  ${s.step}: ${s.ms} ms`),
            `next: git switch -c tenant/${name} && git add ${target} && git commit -m "Tenant ${name}" && gh pr create --fill`,
            ...(appRepo && submodules.length > 0 ? [`in ${appRepo}: ${submodules.join(" && ")}`] : []),
          ].join("\n"),
        );
    });
}
