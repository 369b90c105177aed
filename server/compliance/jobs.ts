import type PgBoss from "pg-boss";
import type { Db } from "@/server/db";
import { unsafeRunChecksForAllOrgs } from "./service";

export const COMPLIANCE_QUEUES = {
  /** Runs every organization's compliance checks and stores the results. */
  runChecks: "compliance.run-checks",
} as const;

/** Every 15 minutes: how stale the compliance page's results can get. */
export const COMPLIANCE_CHECKS_CRON = "*/15 * * * *";

/**
 * Creates the queue and its schedule. pg-boss keeps one schedule per queue (scheduling again
 * replaces it), so this is safe on every worker start; cron jobs are then sent by whichever worker
 * holds the cron lock.
 */
export async function registerComplianceQueues(boss: PgBoss): Promise<void> {
  // A singleton: a slow round is never stacked behind another.
  await boss.createQueue(COMPLIANCE_QUEUES.runChecks, { name: COMPLIANCE_QUEUES.runChecks, policy: "singleton", retryLimit: 0, expireInSeconds: 900 });
  await boss.schedule(COMPLIANCE_QUEUES.runChecks, COMPLIANCE_CHECKS_CRON);
}

export async function startComplianceWorkers(opts: { boss: PgBoss; db: Db; log?: (line: string) => void }): Promise<void> {
  const { boss, db } = opts;
  const log = opts.log ?? (() => {});
  await boss.work(COMPLIANCE_QUEUES.runChecks, async () => {
    const { orgs, failed } = await unsafeRunChecksForAllOrgs({ db, log });
    if (failed) log(`compliance: checks failed for ${failed} of ${orgs} organizations`);
  });
}
