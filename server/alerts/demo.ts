import type { Db } from "@/server/db";
import { recordAudit } from "@/server/audit/record";

const DEMO_RULES = [
  { name: "Latency anomaly (p95, all traffic)", kind: "ANOMALY", metric: "p95", sensitivity: 0.6, severity: "HIGH", minRequests: 3 },
  { name: "Agent health", kind: "AGENT_HEALTH", metric: "p95", sensitivity: 0.5, severity: "CRITICAL", minRequests: 0 },
  // Fires from the first minutes of a demo (the anomaly rule needs an hour of history first).
  { name: "Slow answers (p95 over 1 s for 2 minutes)", kind: "THRESHOLD", metric: "p95", thresholdOp: "gt", thresholdValue: 1000, forMinutes: 2, sensitivity: 0.5, severity: "MEDIUM", minRequests: 3 },
] as const;

/**
 * The demo organization's alert rules: an anomaly rule on p95 latency (what `npm run demo:incident`
 * trips once it has learnt an hour of traffic), a threshold on p95 that trips at once, and an
 * agent-health rule. Idempotent: rules already there (by name) are left alone.
 */
export async function ensureDemoAlertRules(opts: { db: Db; orgId: string }): Promise<{ created: number }> {
  const { db, orgId } = opts;
  let created = 0;
  for (const rule of DEMO_RULES) {
    await db.$transaction(async (tx) => {
      if (await tx.alertRule.findFirst({ where: { orgId, name: rule.name }, select: { id: true } })) return;
      const made = await tx.alertRule.create({ data: { orgId, ...rule }, select: { id: true } });
      await recordAudit(tx, { orgId, actor: null, action: "alert_rule.created", targetType: "alert_rule", targetId: made.id, after: { ...rule } });
      created++;
    });
  }
  return { created };
}
