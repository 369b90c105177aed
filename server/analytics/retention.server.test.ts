import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { db } from "@/server/db";
import { DomainError } from "@/server/errors/domain-error";
import { newTestOrg } from "@/server/gateway/testing";
import { ensurePartitions, insertEvents } from "@/server/gateway/telemetry/sql";
import { sampleRecord } from "@/server/gateway/telemetry/testing";
import { DAY_MS, utcDay } from "@/server/gateway/telemetry/record";
import { getRawRetention, runRetention, setRawRetention } from "./retention";

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
});
afterAll(async () => {
  await pool?.end();
});

async function ages(orgId: string): Promise<number[]> {
  const { rows } = await pool.query<{ days: number }>(
    `SELECT floor(extract(epoch FROM now() - at) / 86400)::int AS days FROM telemetry.gateway_events WHERE org_id = $1 ORDER BY 1`,
    [orgId],
  );
  return rows.map((r) => r.days);
}

describe("raw retention", () => {
  it("is 30 days by default, can be set from 1 to 3650 days, and refuses anything else", async () => {
    const org = await newTestOrg();
    expect(await getRawRetention({ db: db(), orgId: org.id })).toEqual({ days: 30, isDefault: true });
    expect(await setRawRetention({ db: db(), orgId: org.id, days: 7 })).toEqual({ before: { days: 30, isDefault: true }, after: { days: 7, isDefault: false } });
    expect(await getRawRetention({ db: pool, orgId: org.id })).toEqual({ days: 7, isDefault: false });
    for (const days of [0, 3651, 2.5, Number.NaN]) {
      await expect(setRawRetention({ db: db(), orgId: org.id, days })).rejects.toSatisfy((e) => e instanceof DomainError && e.kind === "BAD_REQUEST");
    }
    expect((await getRawRetention({ db: db(), orgId: org.id })).days).toBe(7);
  });

  it("deletes each organization's rows past its own retention, and nothing of anyone else", async () => {
    const short = await newTestOrg(); // 7 days
    const standard = await newTestOrg(); // default 30
    const long = await newTestOrg(); // 90
    await setRawRetention({ db: db(), orgId: short.id, days: 7 });
    await setRawRetention({ db: db(), orgId: long.id, days: 90 });
    const now = Date.now();
    const daysAgo = [1, 5, 10, 20, 40, 60];
    for (const org of [short, standard, long]) {
      await insertEvents(
        pool,
        daysAgo.flatMap((d) => [sampleRecord({ orgId: org.id, at: now - d * DAY_MS - 3_600_000 }), sampleRecord({ orgId: org.id, at: now - d * DAY_MS - 7_200_000 })]),
      );
    }
    const result = await runRetention({ db: db(), batchSize: 3 });
    expect(result.maxDays).toBeGreaterThanOrEqual(90);
    expect(await ages(short.id)).toEqual([1, 1, 5, 5]);
    expect(await ages(standard.id)).toEqual([1, 1, 5, 5, 10, 10, 20, 20]);
    expect(await ages(long.id)).toEqual([1, 1, 5, 5, 10, 10, 20, 20, 40, 40, 60, 60]);
    expect(result.deletedRows).toBeGreaterThanOrEqual(8 + 4);

    // Nothing more to do on a second run.
    await runRetention({ db: pool });
    expect(await ages(short.id)).toEqual([1, 1, 5, 5]);
  });

  it("drops whole daily partitions older than every organization's retention", async () => {
    const org = await newTestOrg();
    // Older than the longest retention anyone can set (3650 days), so whatever other tests set.
    const oldDay = utcDay(Date.now()) - 3_700;
    await ensurePartitions(pool, oldDay, 2);
    const part = `gateway_events_p${new Date(oldDay * DAY_MS).toISOString().slice(0, 10).replaceAll("-", "")}`;
    await insertEvents(pool, [sampleRecord({ orgId: org.id, at: oldDay * DAY_MS + 1_000 }), sampleRecord({ orgId: org.id, at: Date.now() - 1_000 })]);
    const exists = async (name: string) => (await pool.query(`SELECT to_regclass($1) AS r`, [`telemetry.${name}`])).rows[0].r !== null;
    expect(await exists(part)).toBe(true);

    const result = await runRetention({ db: db() });
    expect(result.droppedPartitions).toContain(part);
    expect(await exists(part)).toBe(false);
    // Today's partition and row stay.
    expect(await ages(org.id)).toEqual([0]);
    const today = `gateway_events_p${new Date().toISOString().slice(0, 10).replaceAll("-", "")}`;
    expect(await exists(today)).toBe(true);
  });
});
