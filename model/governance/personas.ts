/**
 * The four canonical personas (seed 000 "Canonical Personas", seed 001 FR-1 and "Persona KPIs and
 * Failure Modes"), plus the read-only auditor from seed 004. Decision rights here are prose; the
 * enforceable table is `DECISION_RIGHTS` in decision-rights.ts, keyed by the same persona codes.
 */
export const PERSONA_CODES = ["developer", "qa_tester", "release_manager", "sre"] as const;
export type PersonaCode = (typeof PERSONA_CODES)[number];

/** Members of a project may also be auditors: read-only, outside the four operating personas. */
export const MEMBER_ROLES = [...PERSONA_CODES, "auditor"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export interface Persona {
  code: PersonaCode;
  title: string;
  mission: string;
  primarySurface: string;
  outcomes: string[];
  decisionRights: string[];
  prohibited: string[];
  kpis: string[];
  failureModes: string[];
}

export const PERSONAS: readonly Persona[] = [
  {
    code: "developer",
    title: "Odoo Platform Developer",
    mission: "Ship code and configuration changes safely with rapid feedback loops.",
    primarySurface: "Feature branches, dev environment",
    outcomes: [
      "Merge-ready changes with passing checks",
      "Deterministic dependency updates",
      "Debuggable builds and deployments",
      "Migration-safe module changes",
    ],
    decisionRights: [
      "Feature branch implementation changes",
      "Non-prod debug actions within approved scope",
      "Dependency proposals and compatibility fixes",
    ],
    prohibited: [
      "Promote to production without release governance",
      "Bypass evidence requirements",
      "Alter environment safety policies unilaterally",
    ],
    kpis: [
      "Merge-ready PR rate (passes all G1 checks)",
      "Time to first passing build on feature branch",
      "Dependency update cycle time",
    ],
    failureModes: [
      "Bypassing CI checks via --no-verify or equivalent",
      "Using non-prod credentials in development work",
      "Promoting to staging without meeting G1 criteria",
    ],
  },
  {
    code: "qa_tester",
    title: "Odoo QA / Release Tester",
    mission: "Validate readiness of feature/staging builds under production-like conditions.",
    primarySurface: "Staging, UAT",
    outcomes: [
      "Verified acceptance criteria",
      "Regression risk visibility",
      "Reproducible defect reports",
      "UAT evidence and signoff recommendations",
    ],
    decisionRights: [
      "Test pass/fail recommendations",
      "Defect severity classification (per policy)",
      "UAT readiness recommendation for release gate",
    ],
    prohibited: [
      "Override release approvals",
      "Modify production data policies",
      "Convert unverified observations into signoff",
    ],
    kpis: [
      "Defect detection rate before production promotion",
      "UAT completion rate per release cycle",
      "Evidence artifact completeness (G2)",
    ],
    failureModes: [
      "Signing off on unverified acceptance criteria",
      "Classifying defects below their actual severity",
      "Initiating UAT without G1 passing first",
    ],
  },
  {
    code: "release_manager",
    title: "Odoo Release Manager",
    mission: "Orchestrate safe promotion across environments and enforce release discipline.",
    primarySurface: "Promotion, go/no-go",
    outcomes: [
      "Controlled dev → staging → production promotion",
      "Clear go/no-go decisions",
      "Rollback readiness",
      "Stakeholder communication and release traceability",
    ],
    decisionRights: [
      "Promotion sequencing",
      "Release scheduling",
      "Go/no-go recommendations (or decisions, per org policy)",
      "Rollback initiation per approved criteria",
    ],
    prohibited: [
      "Ignore failed mandatory gates",
      "Promote without evidence package",
      "Collapse role separation where policy requires independence",
    ],
    kpis: [
      "Promotion cycle time (dev → staging → prod)",
      "Rate of releases with complete G3 evidence packages",
      "Rollback execution time when triggered",
    ],
    failureModes: [
      "Promoting with failed mandatory gates",
      "Scheduling promotions without confirmed rollback criteria",
      "Collapsing role independence (e.g., approving own UAT signoff)",
    ],
  },
  {
    code: "sre",
    title: "Odoo Platform SRE / System Administrator",
    mission: "Maintain platform availability, performance, recoverability, and operational safety.",
    primarySurface: "Runtime, infra, monitoring",
    outcomes: [
      "Healthy runtime and infrastructure posture",
      "Verified backups and restores",
      "Monitoring/alerting coverage",
      "Recovery and incident response readiness",
    ],
    decisionRights: [
      "Runtime operational changes under ops policy",
      "Backup/restore drills",
      "Performance tuning actions",
      "Incident mitigation actions",
    ],
    prohibited: [
      "Deploy application changes outside release governance",
      "Skip recovery validation",
      "Disable controls without documented exception",
    ],
    kpis: [
      "Platform uptime and MTTR (mean time to recovery)",
      "Backup/restore drill frequency and success rate",
      "Monitoring alert coverage vs. coverage target",
    ],
    failureModes: [
      "Deploying application changes outside release governance",
      "Accepting unvalidated backups as good",
      "Disabling monitoring/alerting without documented exception",
    ],
  },
];
