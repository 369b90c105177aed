import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db";
import { callerFor, createMember, createOrg, createUser, expectTRPCError, rand } from "@/server/test/fixtures";
import { insertRollupHour, type RollupRowInput } from "./testing";

const HOUR = 3_600_000;
const hourOfDay = (t: number) => new Date(t).getUTCHours();
/** Requests in an hour of the day: 20 at midnight UTC, 180 at noon. */
const dailyShape = (t: number) => Math.round(100 - 80 * Math.cos((2 * Math.PI * hourOfDay(t)) / 24));

/** An organization with two agents behind one route, made for real. */
async function world(label: string) {
  const owner = await createUser();
  const org = await createOrg({ owner });
  const caller = callerFor(owner);
  const agent = (name: string) =>
    db().agent.create({
      data: { orgId: org.id, name, slug: `${name.toLowerCase()}-${rand(3)}`, protocol: "OPENAI", sourceUrl: "http://127.0.0.1:9/v1", endpointUrl: "http://127.0.0.1:9/v1" },
      select: { id: true },
    });
  const alpha = await agent(`Alpha ${label}`);
  const beta = await agent(`Beta ${label}`);
  const route = await caller.route.create({ orgSlug: org.slug, name: `Support ${label}`, slug: `r-${rand(3)}`, alias: `alias-${rand(3)}`, targets: [{ agentId: alpha.id }, { agentId: beta.id }] });
  return { owner, org, caller, alpha, beta, route, base: { orgSlug: org.slug } };
}

type World = Awaited<ReturnType<typeof world>>;

/**
 * Ten days of hourly rows up to the current hour, the daily shape split across both agents and
 * two status classes (the forecast sums them), with some hours left out (no traffic at all).
 */
async function seedTenDays(w: World, currentHour: number, skip: (t: number) => boolean = () => false) {
  const rows: RollupRowInput[] = [];
  for (let t = currentHour - 240 * HOUR; t < currentHour; t += HOUR) {
    if (skip(t)) continue;
    const n = dailyShape(t);
    const errors = Math.floor(n / 10);
    rows.push({ orgId: w.org.id, bucket: new Date(t), routeId: w.route.id, agentId: w.alpha.id, requests: Math.ceil(n / 2) - errors });
    rows.push({ orgId: w.org.id, bucket: new Date(t), routeId: w.route.id, agentId: w.alpha.id, statusClass: 5, requests: errors });
    rows.push({ orgId: w.org.id, bucket: new Date(t), routeId: w.route.id, agentId: w.beta.id, requests: Math.floor(n / 2) });
  }
  // The current hour is still filling: never history, always forecast.
  rows.push({ orgId: w.org.id, bucket: new Date(currentHour), routeId: w.route.id, agentId: w.alpha.id, requests: 5 });
  await insertRollupHour(rows);
}

/** Thursday 12 March 2026, 10:20 UTC: the forecast reads the clock, so the tests fix it. */
const NOW = Date.UTC(2026, 2, 12, 10, 20);
const currentHourNow = () => Math.floor(Date.now() / HOUR) * HOUR;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("analytics.forecast", () => {
  it("follows the daily shape, with a band around the expected value that never goes below zero", async () => {
    const a = await world("a");
    const currentHour = currentHourNow();
    await seedTenDays(a, currentHour);
    const viewer = await createMember(a.org, "VIEWER");
    const result = await callerFor(viewer.user).analytics.forecast({ ...a.base, horizonHours: 24 });

    expect(result.stepMs).toBe(HOUR);
    expect(result.history).toHaveLength(48);
    expect(result.history.at(-1)).toEqual({ t: currentHour - HOUR, value: dailyShape(currentHour - HOUR) });
    expect(result.history.every((p) => p.value === dailyShape(p.t))).toBe(true);

    expect(result.points.map((p) => p.t)).toEqual(Array.from({ length: 24 }, (_, i) => currentHour + i * HOUR));
    const at = (hour: number) => result.points.find((p) => hourOfDay(p.t) === hour)!;
    expect(at(12).expected).toBeGreaterThan(at(0).expected);
    // Ten days teach most of the swing (20 → 180), not all of it: profiles keep learning for weeks.
    expect(at(12).expected - at(0).expected).toBeGreaterThan(60);
    expect(at(12).expected).toBeGreaterThan(at(18).expected);
    expect(at(18).expected).toBeGreaterThan(at(0).expected);
    for (const p of result.points) {
      expect(p.lower).toBeGreaterThanOrEqual(0);
      expect(p.lower).toBeLessThanOrEqual(p.expected);
      expect(p.upper).toBeGreaterThanOrEqual(p.expected);
    }

    // A week ahead: the same shape, the band at least as wide far out as a day ahead.
    const week = await a.caller.analytics.forecast({ ...a.base, horizonHours: 168 });
    expect(week.points).toHaveLength(168);
    const width = (p: { lower: number; upper: number }) => p.upper - p.lower;
    expect(width(week.points[167]!)).toBeGreaterThanOrEqual(width(week.points[23]!));
    expect(week.points.every((p) => p.lower >= 0)).toBe(true);
  });

  it("feeds hours without traffic as zero and narrows to a route or an agent", async () => {
    const a = await world("b");
    const currentHour = currentHourNow();
    // No traffic at 03:00 UTC on any day.
    await seedTenDays(a, currentHour, (t) => hourOfDay(t) === 3);
    const all = await a.caller.analytics.forecast({ ...a.base, routeId: a.route.id });
    const beta = await a.caller.analytics.forecast({ ...a.base, agentId: a.beta.id });

    const quiet = all.history.filter((p) => hourOfDay(p.t) === 3);
    expect(quiet).toHaveLength(2);
    expect(quiet.every((p) => p.value === 0)).toBe(true);
    expect(all.points.find((p) => hourOfDay(p.t) === 3)!.expected).toBeLessThan(all.points.find((p) => hourOfDay(p.t) === 12)!.expected);

    expect(beta.history.filter((p) => hourOfDay(p.t) === 12).map((p) => p.value)).toEqual([90, 90]);
    expect(beta.points.find((p) => hourOfDay(p.t) === 12)!.expected).toBeLessThan(all.points.find((p) => hourOfDay(p.t) === 12)!.expected);
  });

  it("has nothing to forecast without traffic", async () => {
    const a = await world("c");
    expect(await a.caller.analytics.forecast({ ...a.base })).toEqual({ stepMs: HOUR, history: [], points: [] });
  });

  it("keeps organizations apart: another organization's route or agent is not found, its traffic never counted", async () => {
    const a = await world("d");
    const b = await world("e");
    await seedTenDays(a, currentHourNow());
    await expectTRPCError(b.caller.analytics.forecast({ ...b.base, routeId: a.route.id }), "NOT_FOUND", "Route not found");
    await expectTRPCError(b.caller.analytics.forecast({ ...b.base, agentId: a.alpha.id }), "NOT_FOUND", "Agent not found");
    expect(await b.caller.analytics.forecast({ ...b.base })).toEqual({ stepMs: HOUR, history: [], points: [] });
    // Not a member of A: A's slug is not found either.
    await expectTRPCError(b.caller.analytics.forecast({ orgSlug: a.org.slug }), "NOT_FOUND");
  });

  it("takes 1–168 hours of requests only", async () => {
    const a = await world("f");
    await expectTRPCError(a.caller.analytics.forecast({ ...a.base, horizonHours: 0 }), "BAD_REQUEST");
    await expectTRPCError(a.caller.analytics.forecast({ ...a.base, horizonHours: 169 }), "BAD_REQUEST");
    // @ts-expect-error only requests can be forecast
    await expectTRPCError(a.caller.analytics.forecast({ ...a.base, metric: "errors" }), "BAD_REQUEST");
  });
});
