import { z } from "zod";

/**
 * The smoke tests every staging build runs after its clone and module update (seed 002: "smoke tests
 * must run on every staging build"), as a YAML file in the app repository: log in, load the main menus
 * (what the web client does: /web/webclient/load_menus, then /web/action/load for each app), then the
 * listed URLs and RPC calls; a clean log afterwards. The password never sits in the file: it names the
 * variable holding it.
 */
const path = z.string().regex(/^\/[^\s]*$/, { error: "must be a path on the server, e.g. /web/health" });

export const smokeConfigSchema = z.strictObject({
  login: z.strictObject({
    user: z.string().min(1).default("admin"),
    /** Absent when the platform runs the tests with a one-time login (every staging build does). */
    passwordEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, { error: "must name an environment variable" })
      .optional(),
  }),
  menus: z.boolean().default(true),
  urls: z
    .array(
      z.strictObject({
        path,
        status: z.number().int().min(100).max(599).default(200),
        contains: z.string().optional(),
      }),
    )
    .default([]),
  rpc: z
    .array(
      z.strictObject({
        model: z
          .string()
          .regex(/^[a-z][a-z0-9_.]*$/, { error: "must be an Odoo model name, e.g. res.partner" }),
        method: z.string().regex(/^[a-z][a-z0-9_]*$/, { error: "must be a public method name" }),
        args: z.array(z.unknown()).default([]),
        kwargs: z.record(z.string(), z.unknown()).default({}),
      }),
    )
    .default([]),
});
export type SmokeConfig = z.infer<typeof smokeConfigSchema>;

/**
 * Where a staging build finds the app repository's smoke tests: `.odooops/smoke.yaml` of the repository,
 * which the app image copies with the repository's modules (model/plan/app-image.ts APP_ADDONS_DIR).
 */
export const SMOKE_CONFIG_IN_REPO = ".odooops/smoke.yaml";

/** What a build whose repository has no smoke tests runs: log in as admin, every app's menu, health. */
export const DEFAULT_SMOKE_CONFIG = [
  "# odooops default smoke tests: the app repository has no .odooops/smoke.yaml",
  "login: { user: admin }",
  "menus: true",
  "urls:",
  "  - { path: /web/health }",
  "",
].join("\n");

export interface SmokeResult {
  name: string;
  ok: boolean;
  detail: string;
}

/** The G2 evidence candidate a smoke run leaves for the QA tester to attach. */
export function smokeEvidence(results: readonly SmokeResult[], url: string) {
  const failed = results.filter((r) => !r.ok);
  return {
    gate: "G2" as const,
    kind: "test_evidence" as const,
    url,
    ok: failed.length === 0,
    summary:
      failed.length === 0
        ? `smoke tests: ${results.length} passed`
        : `smoke tests: ${failed.length} of ${results.length} failed (${failed.map((f) => f.name).join(", ")})`.slice(
            0,
            2000,
          ),
    results,
  };
}
