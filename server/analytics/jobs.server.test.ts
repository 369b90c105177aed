import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import pg from "pg";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { createBoss, QUEUES, registerQueues, startWorkers } from "@/server/jobs/queues";
import { newTestOrg } from "@/server/gateway/testing";
import { insertEvents } from "@/server/gateway/telemetry/sql";
import { sampleRecord } from "@/server/gateway/telemetry/testing";
import { DAY_MS } from "@/server/gateway/telemetry/record";
import { rand } from "@/server/test/fixtures";
import { setRawRetention } from "./retention";

// The analytics jobs through the real queue: pg-boss tables in this run's database, a worker that
// picks the jobs up, the rollup and retention they run.

let boss: PgBoss;
let pool: pg.Pool;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  boss = createBoss(env().DATABASE_URL);
  await boss.start();
  await registerQueues(boss);
  await startWorkers({ boss, db: db() });
});
afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
  await pool?.end();
});

const count = async (sql: string, params: unknown[]) => (await pool.query<{ n: number }>(sql, params)).rows[0]!.n;

describe("analytics jobs", () => {
  it("a queued rollup job rolls up the rows ingested before it", async () => {
    const orgId = `org-job-${rand()}`;
    await insertEvents(pool, [sampleRecord({ orgId }), sampleRecord({ orgId, status: 502, errorClass: "http_5xx" })]);
    // The job keeps a few seconds behind now, so rows are rolled by a job sent some seconds later;
    // queued the way the worker's timer does (a singleton queue takes one at a time).
    await expect
      .poll(
        async () => {
          await boss.send(QUEUES.analyticsRollup, {});
          return count(`SELECT coalesce(sum(requests), 0)::int AS n FROM telemetry.rollup_hour WHERE org_id = $1`, [orgId]);
        },
        { timeout: 25_000, interval: 500 },
      )
      .toBe(2);
    expect(await count(`SELECT sum(errors)::int AS n FROM telemetry.rollup_minute WHERE org_id = $1`, [orgId])).toBe(1);
  });

  it("a queued retention job deletes an organization's rows past its retention", async () => {
    const org = await newTestOrg();
    await setRawRetention({ db: db(), orgId: org.id, days: 2 });
    await insertEvents(pool, [sampleRecord({ orgId: org.id, at: Date.now() - 3 * DAY_MS }), sampleRecord({ orgId: org.id })]);
    await boss.send(QUEUES.analyticsRetention, {});
    await expect
      .poll(() => count(`SELECT count(*)::int AS n FROM telemetry.gateway_events WHERE org_id = $1`, [org.id]), { timeout: 20_000, interval: 250 })
      .toBe(1);
  });
});
