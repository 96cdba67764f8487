import type { ExpertiseCode } from "./expertise.ts";

/**
 * The automated actors of odooops. Each maps to expertise domains first (seed 001 FR-2: "agent
 * capabilities MUST map to expertise domains before mapping to persona contracts"); the personas an
 * agent acts for follow from those domains.
 */
export interface AgentCapability {
  id: string;
  description: string;
  domains: ExpertiseCode[];
}

export const AGENTS: readonly AgentCapability[] = [
  {
    id: "app-build",
    description: "App-repo workflow: builds the image, runs the G1 checks, records the build",
    domains: ["odoo.devx.ci_cd", "odoo.qa.automation"],
  },
  {
    id: "plan",
    description: "Offline plan and policy evaluation on pull requests",
    domains: ["odoo.platform.environment_governance", "odoo.release.governance"],
  },
  {
    id: "reconciler",
    description: "pulumi up of the staging and prod stacks",
    domains: ["odoo.release.orchestration", "odoo.sre.network_dns_mail"],
  },
  {
    id: "data-agent",
    description: "Clone, neutralize, mask, backup, prune, restore and drill on environment hosts",
    domains: ["odoo.sre.backup_recovery", "odoo.platform.environment_governance"],
  },
  {
    id: "drift-check",
    description: "Scheduled refresh preview that reports drift",
    domains: ["odoo.sre.monitoring_performance"],
  },
  {
    id: "ttl-reaper",
    description: "Removes development environments past their TTL",
    domains: ["odoo.platform.environment_governance"],
  },
];
