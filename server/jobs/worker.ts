/**
 * The background worker: health probes, scheduled rediscovery of agents, telemetry rollups and
 * retention. Run it with `npm run worker` (the main command starts one). Any number can run; pg-boss shares the work.
 */
import { db } from "@/server/db";
import { env } from "@/server/env";
import { createBoss, cronEvery, QUEUES, registerQueues, RETENTION_CRON, ROLLUP_INTERVAL_SECONDS, startWorkers } from "./queues";
import { scheduleAlertJobs } from "@/server/alerts/jobs";
import { chainUnchainedEvents } from "@/server/audit/chain";
import { COMPLIANCE_QUEUES } from "@/server/compliance/jobs";

async function main() {
  const e = env();
  const boss = createBoss(e.DATABASE_URL);
  boss.on("error", (error) => console.error("job queue error:", error.message));
  await boss.start();
  // Audit events written before the hash chain existed join it (oldest first) before anything else runs.
  const { sealed } = await chainUnchainedEvents({ db: db() });
  if (sealed > 0) console.log(`audit log: ${sealed} earlier event(s) added to the hash chain`);
  await registerQueues(boss);
  await startWorkers({ boss, db: db(), log: (line) => console.log(line) });
  await boss.schedule(QUEUES.rediscoverAll, cronEvery(e.HELIX_REDISCOVERY_MINUTES));
  await boss.schedule(QUEUES.analyticsRetention, RETENTION_CRON);
  const stopAlertTicks = await scheduleAlertJobs(boss);
  // Compliance results from the start, not only after the first quarter hour.
  await boss.send(COMPLIANCE_QUEUES.runChecks, {}).catch(() => null);

  // Cron has minute resolution; health rounds are more frequent. Every worker ticks, the singleton
  // slot lets one round per interval through.
  const interval = e.HELIX_HEALTH_INTERVAL_SECONDS;
  const tick = () => boss.send(QUEUES.healthRound, {}, { singletonSeconds: interval }).catch(() => null);
  await tick();
  const timer = setInterval(tick, interval * 1000);
  // Rollups the same way: one run per interval whichever worker's tick gets through.
  const rollupTick = () => boss.send(QUEUES.analyticsRollup, {}, { singletonSeconds: ROLLUP_INTERVAL_SECONDS }).catch(() => null);
  await rollupTick();
  const rollupTimer = setInterval(rollupTick, ROLLUP_INTERVAL_SECONDS * 1000);
  console.log(`running: health every ${interval}s, rediscovery every ${e.HELIX_REDISCOVERY_MINUTES} min, rollups every ${ROLLUP_INTERVAL_SECONDS}s, retention hourly`);

  const stop = async () => {
    clearInterval(timer);
    clearInterval(rollupTimer);
    stopAlertTicks();
    await boss.stop({ graceful: true, timeout: 5000 });
    await db().$disconnect();
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error("worker failed to start:", error);
  process.exit(1);
});
