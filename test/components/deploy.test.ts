import { describe, expect, it } from "vitest";
import { ADDONS_PATH } from "../../model/plan/app-image.ts";
import { ODOO_CONF_ENV } from "../../model/plan/odoo-run.ts";
import { catalog, DIGEST, input, plan, projectYaml, run } from "./support.ts";

const byName = (graph: Awaited<ReturnType<typeof run>>, suffix: string) => {
  const found = graph.resources.find((r) => r.name.endsWith(suffix));
  if (!found) throw new Error(`no resource ending in ${suffix}`);
  return found;
};
const live = catalog("acme", [
  ["release/v2", "b-2"],
  ["feature/login", "b-3"],
]);
const yaml = projectYaml("acme", "  staging: { clone: { strategy: dump } }\n");

describe("a deploy of a new image", () => {
  it("in production: pulls it, takes the pre-deploy backup and updates changed modules, then replaces Odoo", async () => {
    const graph = await run(plan(yaml, live, "prod"));
    const image = byName(graph, "-production-odoo-image");
    const init = byName(graph, "-production-init-command");
    const update = byName(graph, "-production-update-command");
    const odoo = byName(graph, "-production-odoo-container");
    expect(image.inputs.name).toBe(`ghcr.io/acme/acme@${DIGEST(1)}`);
    expect(graph.prerequisites(init)).toContain(image.urn);
    expect([...graph.prerequisites(update)]).toEqual(expect.arrayContaining([image.urn, init.urn]));
    expect(graph.prerequisites(odoo)).toContain(update.urn);
    expect(odoo.inputs.image).toBe(image.inputs.name);
    // The database init just installed with this image: the first run updates nothing.
    expect(String(update.inputs.create)).toMatch(/^echo /);
    const script = String(update.inputs.update);
    const backup = script.indexOf(
      "odooops agent backup --db-url-env ODOOOPS_DB_URL --pre-deploy --release r-1",
    );
    const shell = script.indexOf("odooops-odoo shell -c");
    const updateRun = script.indexOf('-u "$modules"');
    expect(backup).toBeGreaterThanOrEqual(0);
    expect(shell).toBeGreaterThan(backup);
    expect(updateRun).toBeGreaterThan(shell);
    expect(update.secretPaths).toContain("environment");
  });

  it("in staging: updates all modules of each fresh copy on its first run, after it is prepared", async () => {
    const graph = await run(plan(yaml, live, "staging"));
    const update = byName(graph, "-release--v2-update-command");
    expect(String(update.inputs.create)).toContain("modules=all");
    expect(String(update.inputs.create)).not.toContain("odooops agent backup");
    expect(graph.prerequisites(update)).toContain(byName(graph, "-release--v2-clone-prepare").urn);
    expect(graph.prerequisites(byName(graph, "-release--v2-odoo-container"))).toContain(update.urn);
  });

  it("gives init and update the environment's odoo.conf as a secret, without the master password", async () => {
    const graph = await run(plan(yaml, live, "staging"));
    for (const suffix of ["-feature--login-init-command", "-feature--login-update-command"]) {
      const step = byName(graph, suffix);
      expect(step.secretPaths, suffix).toContain("environment");
      const conf = String(input(step, `environment.${ODOO_CONF_ENV}`));
      expect(conf).toContain(`addons_path = ${ADDONS_PATH}`);
      expect(conf).toContain("db_name = ");
      expect(conf).not.toContain("admin_passwd");
    }
    const running = String(input(byName(graph, "-feature--login-odoo-container"), "uploads[0].content"));
    expect(running).toContain("admin_passwd");
    expect(running).toContain(`addons_path = ${ADDONS_PATH}`);
  });
});
