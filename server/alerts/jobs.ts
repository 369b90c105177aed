import type PgBoss from "pg-boss";
import type { Db } from "@/server/db";
import { unsafeDispatchDueDeliveries } from "./deliveries";
import { unsafeEvaluateAllRules } from "./evaluate";

/** The alerting jobs: evaluation every minute, webhook deliveries whenever some are due. */
export const ALERT_QUEUES = {
  evaluate: "alerts.evaluate",
  deliver: "alerts.deliver",
} as const;

/** Seconds between checks for due webhook deliveries (retries are due at 30 s at the earliest). */
export const DELIVERY_TICK_SECONDS = 10;

export async function registerAlertQueues(boss: PgBoss): Promise<void> {
  // Singletons: a slow round is never stacked behind another, and one worker evaluates at a time.
  await boss.createQueue(ALERT_QUEUES.evaluate, { name: ALERT_QUEUES.evaluate, policy: "singleton", retryLimit: 0, expireInSeconds: 300 });
  await boss.createQueue(ALERT_QUEUES.deliver, { name: ALERT_QUEUES.deliver, policy: "singleton", retryLimit: 0, expireInSeconds: 120 });
}

export async function startAlertWorkers(opts: { boss: PgBoss; db: Db; log?: (line: string) => void }): Promise<void> {
  const { boss, db } = opts;
  const log = opts.log ?? (() => {});
  await boss.work(ALERT_QUEUES.evaluate, async () => {
    const { failed } = await unsafeEvaluateAllRules({ db, log });
    if (failed) log(`alerts: ${failed} rule(s) failed to evaluate`);
    // Deliveries the round queued go out now rather than at the next tick; evaluation never waits on them.
    await boss.send(ALERT_QUEUES.deliver, {}, { singletonSeconds: 1 }).catch(() => null);
  });
  await boss.work(ALERT_QUEUES.deliver, async () => {
    const { sent, delivered } = await unsafeDispatchDueDeliveries({ db });
    if (sent) log(`alerts: ${delivered}/${sent} webhook deliveries succeeded`);
  });
}

/** Schedules the evaluation every minute and ticks deliveries; returns a stop function for the tick. */
export async function scheduleAlertJobs(boss: PgBoss): Promise<() => void> {
  await boss.schedule(ALERT_QUEUES.evaluate, "* * * * *");
  const tick = () => boss.send(ALERT_QUEUES.deliver, {}, { singletonSeconds: DELIVERY_TICK_SECONDS }).catch(() => null);
  const timer = setInterval(tick, DELIVERY_TICK_SECONDS * 1000);
  return () => clearInterval(timer);
}
