import { stringify } from "yaml";
import { z } from "zod";
import { BUNDLE_NAMES } from "../bundles.ts";
import {
  domainName,
  githubRepo,
  githubUser,
  imageReference,
  projectName,
  uniqueList,
} from "./schema/primitives.ts";

/**
 * A new tenant's project file (`odooops tenant create`): the few facts only a person can give — name, app
 * repository, first image, bundles, domains and who holds which persona — and the platform's defaults for
 * everything else. The result is validated by the same loader as every project file before it is written.
 */
export const tenantInput = z.strictObject({
  name: projectName,
  repo: githubRepo,
  image: imageReference,
  odoo: z.enum(["16.0", "17.0", "18.0", "19.0"]).default("18.0"),
  bundles: uniqueList(z.enum(BUNDLE_NAMES)).default([]),
  domains: uniqueList(domainName).default([]),
  releaseManagers: uniqueList(githubUser).min(1, { error: "a tenant needs at least one release manager" }),
  qaTesters: uniqueList(githubUser).default([]),
  developers: uniqueList(githubUser).default([]),
});

export type TenantInput = z.output<typeof tenantInput>;

/** Finance PPM's journal entries feed the tenant's warehouse and its Superset dashboard. */
const FINANCE_WAREHOUSE_TABLES = ["account_move", "account_analytic_line", "project_project"];

export function tenantProjectYaml(t: TenantInput): string {
  const users = (list: readonly string[]) => (list.length > 0 ? { users: [...list] } : undefined);
  const project = {
    name: t.name,
    repo: t.repo,
    odoo: { version: t.odoo },
    ...(t.domains.length > 0 ? { domains: t.domains } : {}),
    ...(t.bundles.length > 0 ? { bundles: t.bundles } : {}),
    environments: { production: { image: t.image } },
    personas: Object.fromEntries(
      Object.entries({
        developer: users(t.developers),
        qa_tester: users(t.qaTesters),
        release_manager: users(t.releaseManagers),
      }).filter(([, members]) => members),
    ),
    ...(t.bundles.includes("finance_ppm") ? { warehouse: { tables: FINANCE_WAREHOUSE_TABLES } } : {}),
  };
  const header = [
    "# yaml-language-server: $schema=./schema.json",
    `# Tenant ${t.name}, written by odooops tenant create; edit it like any project file.`,
  ];
  return `${header.join("\n")}\n${stringify(project, { flowCollectionPadding: false })}`;
}
