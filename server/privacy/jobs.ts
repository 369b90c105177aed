import PgBoss from "pg-boss";
import type { Db, Tx } from "@/server/db";
import { unsafeRunDataSubjectRequest } from "./run";

/** One job per data-subject request; the request's id is the job's singleton key. */
export const PRIVACY_QUEUES = { request: "privacy.data-subject-request" } as const;

/** The schema pg-boss keeps its tables in (server/jobs/queues.ts createBoss). */
const BOSS_SCHEMA = "pgboss";

interface RequestJob {
  requestId: string;
}

export async function registerPrivacyQueues(boss: PgBoss): Promise<void> {
  // "stately": at most one queued and one running job per request. A run that dies or outlives its
  // expiry is retried, and a retry finishes where the last run stopped (./run is resumable).
  await boss.createQueue(PRIVACY_QUEUES.request, {
    name: PRIVACY_QUEUES.request,
    policy: "stately",
    retryLimit: 4,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 3_600,
  });
}

export async function startPrivacyWorkers(opts: { boss: PgBoss; db: Db; log?: (line: string) => void }): Promise<void> {
  const { boss, db } = opts;
  const log = opts.log ?? (() => {});
  // A few requests side by side (each touches only its own subject's rows). A failed one is failed
  // on its own, so pg-boss retries it alone; the handler's return completes the others.
  await boss.work<RequestJob>(PRIVACY_QUEUES.request, { includeMetadata: true, batchSize: 4, pollingIntervalSeconds: 1 }, async (jobs) => {
    await Promise.all(
      jobs.map(async (job) => {
        try {
          const outcome = await unsafeRunDataSubjectRequest({ db, requestId: job.data.requestId, finalAttempt: job.retryCount >= job.retryLimit });
          if (outcome.ran) log(`data-subject request ${job.data.requestId}: ${outcome.status.toLowerCase()}`);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          log(`data-subject request ${job.data.requestId} failed, will be retried: ${message}`);
          await boss.fail(PRIVACY_QUEUES.request, job.id, { message });
        }
      }),
    );
  });
  // Requests whose job never made it into the queue (created before any worker had made the queue)
  // or was lost: queue them again. The singleton key keeps this from doubling queued jobs.
  const unfinished = await db.dataSubjectRequest.findMany({ where: { status: { in: ["PENDING", "RUNNING"] } }, select: { id: true } });
  for (const r of unfinished) await boss.send(PRIVACY_QUEUES.request, { requestId: r.id } satisfies RequestJob, { singletonKey: r.id });
}

/** pg-boss over a Prisma transaction, so a job is queued if and only if its request is committed. */
function prismaExecutor(tx: Tx): PgBoss.Db {
  return {
    executeSql: async (text, values) => ({ rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values.map((v: unknown) => (v === undefined ? null : v))) }),
  };
}

let sender: PgBoss | undefined;

/**
 * Queues the request's job in the caller's transaction. Returns false when no worker has set up the
 * job queue yet; the request stays PENDING and the first worker to start queues it.
 */
export async function enqueueDataSubjectRequest(tx: Tx, requestId: string): Promise<boolean> {
  const [queue] = await tx.$queryRawUnsafe<{ ready: boolean }[]>(
    `SELECT to_regclass('${BOSS_SCHEMA}.queue') IS NOT NULL AND to_regclass('${BOSS_SCHEMA}.job') IS NOT NULL AS ready`,
  );
  if (!queue?.ready) return false;
  const [known] = await tx.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${BOSS_SCHEMA}.queue WHERE name = $1`, PRIVACY_QUEUES.request);
  if (!known?.n) return false;
  // Never started: it only builds the INSERT and runs it through the executor it is given.
  sender ??= new PgBoss({
    schema: BOSS_SCHEMA,
    db: { executeSql: () => Promise.reject(new Error("pg-boss sender: pass the transaction's executor")) },
  });
  const jobId = await sender.send(PRIVACY_QUEUES.request, { requestId } satisfies RequestJob, { singletonKey: requestId, db: prismaExecutor(tx) });
  return jobId !== null;
}
