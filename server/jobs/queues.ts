import PgBoss from "pg-boss";
import type { Db } from "@/server/db";
import { unsafeRunHealthRound } from "@/server/agents/health";
import { unsafeRediscoverAgent } from "@/server/agents/service";
import { runRollup } from "@/server/analytics/rollup";
import { runRetention } from "@/server/analytics/retention";
import { registerAlertQueues, startAlertWorkers } from "@/server/alerts/jobs";
import { registerComplianceQueues, startComplianceWorkers } from "@/server/compliance/jobs";
import { registerPrivacyQueues, startPrivacyWorkers } from "@/server/privacy/jobs";

/**
 * Background jobs, kept in Postgres by pg-boss (schema "pgboss"), so any number of workers can run
 * and a job survives a restart. Queue names are the product's words.
 */
export const QUEUES = {
  /** One health round over all enabled agents; at most one per interval across all workers. */
  healthRound: "agents.health-round",
  /** Fans out one rediscovery job per agent. */
  rediscoverAll: "agents.rediscover-all",
  rediscoverAgent: "agents.rediscover",
  /** Brings the telemetry rollups up to date; at most one per interval across all workers. */
  analyticsRollup: "analytics.rollup",
  /** Drops raw telemetry past each organization's retention. */
  analyticsRetention: "analytics.retention",
} as const;

/** How often the rollups catch up (seconds): what the dashboards lag behind at most, plus a run's time. */
export const ROLLUP_INTERVAL_SECONDS = 20;
/** Retention at 17 minutes past every hour. */
export const RETENTION_CRON = "17 * * * *";

/** A cron expression for "every `minutes` minutes", rounded to whole hours past 59 minutes. */
export function cronEvery(minutes: number): string {
  if (minutes < 60) return `*/${minutes} * * * *`;
  const hours = Math.round(minutes / 60);
  return hours >= 24 ? "0 0 * * *" : `0 */${hours} * * *`;
}

export function createBoss(connectionString: string): PgBoss {
  return new PgBoss({ connectionString, schema: "pgboss", max: 4 });
}

export async function registerQueues(boss: PgBoss): Promise<void> {
  // "singleton" queues hold at most one queued job: a slow round is never stacked behind another.
  await boss.createQueue(QUEUES.healthRound, { name: QUEUES.healthRound, policy: "singleton", retryLimit: 0, expireInSeconds: 300 });
  await boss.createQueue(QUEUES.rediscoverAll, { name: QUEUES.rediscoverAll, policy: "singleton", retryLimit: 0 });
  await boss.createQueue(QUEUES.analyticsRollup, { name: QUEUES.analyticsRollup, policy: "singleton", retryLimit: 0, expireInSeconds: 900 });
  await boss.createQueue(QUEUES.analyticsRetention, { name: QUEUES.analyticsRetention, policy: "singleton", retryLimit: 1, retryDelay: 300, expireInSeconds: 3_000 });
  await boss.createQueue(QUEUES.rediscoverAgent, { name: QUEUES.rediscoverAgent, retryLimit: 2, retryDelay: 30, expireInSeconds: 120 });
  await registerAlertQueues(boss);
  await registerComplianceQueues(boss);
  await registerPrivacyQueues(boss);
}

export async function startWorkers(opts: { boss: PgBoss; db: Db; log?: (line: string) => void }) {
  const { boss, db } = opts;
  const log = opts.log ?? (() => {});
  await startAlertWorkers({ boss, db, log });
  await startComplianceWorkers({ boss, db, log });
  await startPrivacyWorkers({ boss, db, log });
  await boss.work(QUEUES.healthRound, async () => {
    const transitions = await unsafeRunHealthRound({ db });
    for (const t of transitions) log(`agent ${t.agentId}: ${t.from} → ${t.to}`);
  });
  await boss.work(QUEUES.rediscoverAll, async () => {
    const agents = await db.agent.findMany({ where: { status: { not: "DISABLED" } }, select: { id: true } });
    await boss.insert(agents.map((a) => ({ name: QUEUES.rediscoverAgent, data: { agentId: a.id }, singletonKey: a.id })));
  });
  await boss.work(QUEUES.analyticsRollup, async () => {
    const r = await runRollup({ db });
    if (!r.requests.caughtUp) log(`rollups: ${r.requests.rows} rows in ${r.requests.chunks} chunks, not caught up yet`);
  });
  await boss.work(QUEUES.analyticsRetention, async () => {
    const r = await runRetention({ db });
    if (r.droppedPartitions.length || r.deletedRows) log(`retention: dropped ${r.droppedPartitions.join(", ") || "no partitions"}, deleted ${r.deletedRows} rows`);
  });
  // Rediscoveries of a batch run side by side: each mostly waits on an agent over the network.
  await boss.work<{ agentId: string }>(QUEUES.rediscoverAgent, { batchSize: 8 }, async (jobs) => {
    await Promise.all(
      jobs.map(async (job) => {
        const exists = await db.agent.findUnique({ where: { id: job.data.agentId }, select: { id: true } });
        if (!exists) return; // deleted since the job was queued
        const result = await unsafeRediscoverAgent({ db, agentId: job.data.agentId, trigger: "schedule", actor: null });
        if (result.ok && (result.added.length || result.removed.length)) {
          log(`agent ${job.data.agentId}: skills +${result.added.length} −${result.removed.length}`);
        }
      }),
    );
  });
}
