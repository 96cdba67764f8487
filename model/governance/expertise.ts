import type { PersonaCode } from "./personas.ts";

/** The ten canonical expertise domains (seed 001 FR-2). Personas need domains; agents map to domains. */
export const EXPERTISE_CODES = [
  "odoo.devx.ci_cd",
  "odoo.devx.debugging",
  "odoo.qa.automation",
  "odoo.qa.staging_validation",
  "odoo.release.orchestration",
  "odoo.release.governance",
  "odoo.sre.backup_recovery",
  "odoo.sre.monitoring_performance",
  "odoo.sre.network_dns_mail",
  "odoo.platform.environment_governance",
] as const;
export type ExpertiseCode = (typeof EXPERTISE_CODES)[number];

export interface ExpertiseDomain {
  code: ExpertiseCode;
  scope: string;
  skills: string[];
  typicalTasks: string[];
  risks: string[];
  requiredEvidence: string[];
  personas: PersonaCode[];
}

export const EXPERTISE: readonly ExpertiseDomain[] = [
  {
    code: "odoo.devx.ci_cd",
    scope: "CI/CD pipeline operation, build debugging",
    skills: ["GitHub Actions workflows", "container image builds", "OCA submodule pinning"],
    typicalTasks: ["fix a failing branch build", "pin an OCA dependency", "speed up the module test job"],
    risks: ["unpinned images reach production", "checks skipped on protected branches"],
    requiredEvidence: ["build log", "required checks status"],
    personas: ["developer", "release_manager"],
  },
  {
    code: "odoo.devx.debugging",
    scope: "Runtime debugging, trace analysis",
    skills: ["Odoo server logs", "Python tracebacks", "SQL query analysis"],
    typicalTasks: ["reproduce a defect on a preview", "read a staging traceback"],
    risks: ["debug access used on production data", "secrets copied into tickets"],
    requiredEvidence: ["audited shell/log session"],
    personas: ["developer", "sre"],
  },
  {
    code: "odoo.qa.automation",
    scope: "Automated test authoring and maintenance",
    skills: ["Odoo test framework", "tours", "test data builders"],
    typicalTasks: ["add a regression test", "stabilise a flaky tour"],
    risks: ["flaky tests hide regressions", "tests depend on production data"],
    requiredEvidence: ["test evidence"],
    personas: ["developer", "qa_tester"],
  },
  {
    code: "odoo.qa.staging_validation",
    scope: "UAT execution, acceptance criteria validation",
    skills: ["acceptance criteria mapping", "defect triage", "UAT scripts"],
    typicalTasks: ["validate a release on staging", "record G2 evidence"],
    risks: ["signoff on unverified criteria", "validation on stale data"],
    requiredEvidence: ["acceptance criteria map", "defect register", "test evidence"],
    personas: ["qa_tester"],
  },
  {
    code: "odoo.release.orchestration",
    scope: "Promotion sequencing, scheduling",
    skills: ["release calendars", "promotion PRs", "rollback runbooks"],
    typicalTasks: ["schedule a promotion", "prepare a rollback"],
    risks: ["promotion without a rollback path", "overlapping releases"],
    requiredEvidence: ["rollback criteria/path", "release notes"],
    personas: ["release_manager"],
  },
  {
    code: "odoo.release.governance",
    scope: "Gate enforcement, go/no-go decisions",
    skills: ["G1–G4 gate model", "exception handling", "segregation of duties"],
    typicalTasks: ["sign G3", "approve or refuse an exception"],
    risks: ["failed gates ignored", "one person signs G2 and G3"],
    requiredEvidence: ["evidence package", "accountable signoff"],
    personas: ["release_manager"],
  },
  {
    code: "odoo.sre.backup_recovery",
    scope: "Backup validation, restore drills",
    skills: ["pg_dump/pg_restore", "filestore handling", "GFS retention"],
    typicalTasks: ["run the monthly restore drill", "restore a database after an incident"],
    risks: ["backups never restored", "retention below 7/4/3"],
    requiredEvidence: ["drill log", "restore result", "success criteria met"],
    personas: ["sre"],
  },
  {
    code: "odoo.sre.monitoring_performance",
    scope: "Alerting, performance profiling",
    skills: ["health checks", "worker sizing", "PostgreSQL tuning"],
    typicalTasks: ["confirm post-deploy health (G4)", "size workers for load"],
    risks: ["alerts disabled without exception", "no baseline after deploy"],
    requiredEvidence: ["health checks", "monitoring baseline"],
    personas: ["sre", "release_manager"],
  },
  {
    code: "odoo.sre.network_dns_mail",
    scope: "DNS, mail routing, network ops",
    skills: ["DNS records", "TLS certificates", "SMTP relays and catchers"],
    typicalTasks: ["add a custom domain", "verify non-prod mail is captured"],
    risks: ["staging sends real mail", "SSH open to the world"],
    requiredEvidence: ["DNS/TLS check", "mail capture check"],
    personas: ["sre"],
  },
  {
    code: "odoo.platform.environment_governance",
    scope: "Environment lifecycle, safety controls",
    skills: ["TTL policies", "data masking", "least-privilege access"],
    typicalTasks: ["keep a preview past its TTL", "review masking profiles"],
    risks: ["unmasked production data in staging", "previews never expire"],
    requiredEvidence: ["masking post-check", "neutralization record"],
    personas: ["sre", "release_manager", "developer", "qa_tester"],
  },
];
