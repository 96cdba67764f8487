import { z } from "zod";

/**
 * The app build's security gate (seed 002: "security gates: SAST + dependency audit"): pip-audit's
 * findings on the Python requirements and bandit's on the modules' code, judged together. Blocking:
 * every known vulnerability pip-audit reports (it has no severity; each has an advisory and usually a
 * fixed version) and bandit findings of HIGH severity with at least MEDIUM confidence. The way past a
 * blocking finding is an exception in the app repository's `.odooops/security-exceptions.yaml`, each
 * with a reason, its approver and an expiry of at most 90 days: an expired one blocks again. The result
 * is the `odooops/security` G1 check; a build that fails it reaches production only through an approved
 * G1 exception in the control plane.
 */
export const pipAuditSchema = z.looseObject({
  dependencies: z.array(
    z.looseObject({
      name: z.string(),
      version: z.string().optional(),
      vulns: z
        .array(
          z.looseObject({
            id: z.string(),
            fix_versions: z.array(z.string()).default([]),
            aliases: z.array(z.string()).default([]),
          }),
        )
        .default([]),
    }),
  ),
});
export const banditSchema = z.looseObject({
  results: z.array(
    z.looseObject({
      filename: z.string(),
      line_number: z.number(),
      test_id: z.string(),
      test_name: z.string().optional(),
      issue_severity: z.enum(["LOW", "MEDIUM", "HIGH", "UNDEFINED"]),
      issue_confidence: z.enum(["LOW", "MEDIUM", "HIGH", "UNDEFINED"]),
      issue_text: z.string(),
    }),
  ),
});
export const MAX_EXCEPTION_DAYS = 90;
export const securityExceptionsSchema = z.strictObject({
  exceptions: z
    .array(
      z.strictObject({
        id: z
          .string()
          .min(1)
          .describe(
            "advisory id (GHSA-…, PYSEC-…, CVE-…) or bandit test id with file (B602:addons/x/models.py)",
          ),
        reason: z.string().min(10, { error: "say why the finding is acceptable (at least 10 characters)" }),
        approvedBy: z.string().min(1),
        expires: z.iso.date({ error: "must be a date, YYYY-MM-DD" }),
      }),
    )
    .default([]),
});
export type SecurityExceptions = z.infer<typeof securityExceptionsSchema>;

export interface SecurityFinding {
  tool: "pip-audit" | "bandit";
  id: string;
  where: string;
  what: string;
  blocking: boolean;
  excepted: boolean;
}

function excepted(ids: string[], active: Set<string>): boolean {
  return ids.some((id) => active.has(id));
}

export function judgeSecurity(
  input: {
    pipAudit?: z.infer<typeof pipAuditSchema>;
    bandit?: z.infer<typeof banditSchema>;
    exceptions: SecurityExceptions;
  },
  now: Date,
) {
  const today = now.toISOString().slice(0, 10);
  const limit = new Date(now.getTime() + MAX_EXCEPTION_DAYS * 86_400_000).toISOString().slice(0, 10);
  const problems = input.exceptions.exceptions.flatMap((e) =>
    e.expires < today
      ? [`exception ${e.id} expired on ${e.expires}`]
      : e.expires > limit
        ? [
            `exception ${e.id} runs past ${MAX_EXCEPTION_DAYS} days (${e.expires}); renew it closer to its end`,
          ]
        : [],
  );
  const active = new Set(
    input.exceptions.exceptions.filter((e) => e.expires >= today && e.expires <= limit).map((e) => e.id),
  );
  const findings: SecurityFinding[] = [];
  for (const d of input.pipAudit?.dependencies ?? [])
    for (const v of d.vulns)
      findings.push({
        tool: "pip-audit",
        id: v.id,
        where: `${d.name} ${d.version ?? ""}`.trim(),
        what: v.fix_versions.length > 0 ? `fixed in ${v.fix_versions.join(", ")}` : "no fixed version yet",
        blocking: true,
        excepted: excepted([v.id, ...v.aliases], active),
      });
  for (const r of input.bandit?.results ?? []) {
    const blocking =
      r.issue_severity === "HIGH" && (r.issue_confidence === "HIGH" || r.issue_confidence === "MEDIUM");
    findings.push({
      tool: "bandit",
      id: r.test_id,
      where: `${r.filename}:${r.line_number}`,
      what: r.issue_text,
      blocking,
      excepted: excepted([`${r.test_id}:${r.filename}`], active),
    });
  }
  const blocking = findings.filter((f) => f.blocking && !f.excepted);
  return {
    passed: blocking.length === 0,
    findings,
    blocking,
    problems,
    summary: `${blocking.length} blocking, ${findings.filter((f) => f.excepted).length} excepted, ${findings.filter((f) => !f.blocking).length} advisory finding(s)`,
  };
}
