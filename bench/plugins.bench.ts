/**
 * What an installed gateway plugin adds to a gateway request. One gateway process, one upstream (the
 * gateway benchmark's), one plugin service (the demo fleet's control server, serving the keyword
 * blocker of fleet/plugins.ts), each a child process. Three organizations configured identically
 * (bench/plugins/seed.ts) but for the plugin: A has none, B has the keyword blocker at
 * before_request on its route, C at before_request and after_response. The same request bytes go to
 * each in turn (paced at a fixed rate, and at concurrency 1), as in the policies benchmark, whose
 * load runners this uses; what a plugin adds is B − A and C − A. Every hook call answers allow (the
 * request mentions none of the blocked words), so this is the price of asking, not of refusing.
 */
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { db } from "@/server/db";
import { startChild, type Child } from "./gateway/child";
import { combineRounds, pacedPool, percentile, type LoadResult } from "./gateway/load";
import { CHAT_PATH, chatHeaders, ROUTE_ALIAS } from "./gateway/requests";
import type { Added, MeasuredRounds } from "./policies.bench";
import { runClosedLoop, runPacedWith, type Send } from "./policies/load";
import { MAX_TOKENS, policiesChatBody, USER_MESSAGE } from "./policies/requests";
import { waitForOk } from "./marketplace/pages";
import { BLOCKED_KEYWORDS, ORG_HOOKS, PLUGIN_PATH, PLUGIN_TIMEOUT_MS, seedPluginOrgs, type OrgName } from "./plugins/seed";

export const PLUGINS_PLAN = {
  /** below the policies benchmark's 1,000 req/s: each plugin call is one more HTTP exchange and process on the same 2 cores */
  rate: 500,
  /** paced rounds, the three organizations taking turns (the order rotates every round) */
  rounds: 6,
  roundS: 2,
  concurrencyOneRounds: 6,
  concurrencyOneRoundS: 1.2,
  pacedConnections: 64,
};

const ORGS = ["A", "B", "C"] as const;

export type PluginMeasured = MeasuredRounds & { pluginServiceCpuUsPerRequest: number };

export interface PluginLoad {
  A: PluginMeasured;
  B: PluginMeasured;
  C: PluginMeasured;
  addedB: Added & { cpuUsPerRequest: number };
  addedC: Added & { cpuUsPerRequest: number };
}

export interface PluginsReport {
  ranAt: string;
  plan: typeof PLUGINS_PLAN;
  notes: string[];
  loadAverage: { start: number; end: number; cores: number };
  setup: { hooks: Record<OrgName, string[]>; plugin: string; keywords: string; timeoutMs: number; messageChars: number; maxTokens: number };
  checks: { name: string; org: OrgName; expected: number; status: number }[];
  paced: PluginLoad;
  concurrencyOne: PluginLoad;
  /** From the gateway's telemetry rows: what it recorded of the hook calls (their own time, as the gateway measured it). */
  telemetry: { org: OrgName; rows: number; rowsWithCalls: number; hook: string; calls: number; allow: number; callP50Ms: number; callP99Ms: number }[];
}

const NOTES = [
  "Child processes: the gateway (telemetry on), the upstream (answers at once) and the plugin service (the fleet's control server: node:http + zod, the keyword blocker's code); the load generator runs in the benchmark process. All four share the machine's cores.",
  "Installed through `marketplace.install.create` (signature checked, configuration validated), on the route `bench`, fail open, time budget as below; the gateway loads the installs into its snapshot at start.",
  "Added = B − A (one hook call a request) and C − A (two). Each percentile is the median of the rounds' percentiles; the paired figures are the differences within each round, whose range shows how much a p99 moves between neighbouring rounds on this machine.",
  "CPU µs/request: CPU time (user + system) of the gateway process and of the plugin service over a round, per request.",
];

function log(message: string) {
  console.error(`plugins bench: ${message}`);
}

const fmt = (r: LoadResult) => `p50 ${r.p50Ms.toFixed(3)} ms, p99 ${r.p99Ms.toFixed(3)} ms, ${r.rps.toFixed(0)} req/s${r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ""}`;

/** Rounds of one load against A, B and C; round r starts with the r-th of them (mod 3). */
async function inRounds(rounds: number, gateway: Child, service: Child, run: (org: OrgName) => Promise<LoadResult>): Promise<PluginLoad> {
  const results: Record<OrgName, { load: LoadResult; gatewayCpuMs: number; serviceCpuMs: number }[]> = { A: [], B: [], C: [] };
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < ORGS.length; i++) {
      const org = ORGS[(round + i) % ORGS.length]!;
      const [g0, s0] = await Promise.all([gateway.cpuTime(), service.cpuTime()]);
      const load = await run(org);
      const [g1, s1] = await Promise.all([gateway.cpuTime(), service.cpuTime()]);
      results[org].push({ load, gatewayCpuMs: g1.cpuMs - g0.cpuMs, serviceCpuMs: s1.cpuMs - s0.cpuMs });
      await sleep(150);
    }
  }
  const combine = (org: OrgName): PluginMeasured => {
    const r = results[org];
    const requests = Math.max(1, r.reduce((n, x) => n + x.load.ok + x.load.non2xx, 0));
    const perRequest = (f: (x: (typeof r)[number]) => number) => (r.reduce((n, x) => n + f(x), 0) * 1000) / requests;
    return { ...combineRounds(r.map((x) => x.load)), gatewayCpuUsPerRequest: perRequest((x) => x.gatewayCpuMs), pluginServiceCpuUsPerRequest: perRequest((x) => x.serviceCpuMs) };
  };
  const m = { A: combine("A"), B: combine("B"), C: combine("C") };
  return { ...m, addedB: added(m.A, m.B), addedC: added(m.A, m.C) };
}

function added(base: PluginMeasured, with_: PluginMeasured): Added & { cpuUsPerRequest: number } {
  const paired = with_.rounds.map((r, i) => r.p99Ms - base.rounds[i]!.p99Ms);
  return {
    p50Ms: with_.p50Ms - base.p50Ms,
    p99Ms: with_.p99Ms - base.p99Ms,
    p99PairedMedianMs: percentile(Float64Array.from(paired).sort(), 0.5),
    p99PairedMinMs: Math.min(...paired),
    p99PairedMaxMs: Math.max(...paired),
    cpuUsPerRequest: with_.gatewayCpuUsPerRequest - base.gatewayCpuUsPerRequest,
  };
}

/** A request that mentions a blocked word: B and C must refuse it, A must not. */
const blockedBody = JSON.stringify({ model: ROUTE_ALIAS, messages: [{ role: "user", content: `${USER_MESSAGE} Also, where are we with ${BLOCKED_KEYWORDS.split(",")[0]}?` }], max_tokens: MAX_TOKENS });

export async function runPluginsBenchmarks(): Promise<PluginsReport> {
  const ranAt = new Date().toISOString();
  const loadAtStart = os.loadavg()[0]!;
  const children: Child[] = [];
  try {
    // The upstream's defaults: it answers at once (no streams are sent here).
    const upstream = await startChild("upstream", "./upstream.ts", { NODE_ENV: "production" });
    children.push(upstream);
    const service = await startChild("plugin-service", "../plugins/service.ts", { NODE_ENV: "production" });
    children.push(service);
    const orgs = await seedPluginOrgs(upstream.url, service.url);
    log(`seeded organizations A (no plugin), B (${ORG_HOOKS.B.join(" + ")}), C (${ORG_HOOKS.C.join(" + ")})`);

    const gateway = await startChild("gateway", "./gateway.ts", { NODE_ENV: "production" });
    children.push(gateway);
    await waitForOk(`${gateway.url}/readyz`, 30_000, "gateway");

    const checks: PluginsReport["checks"] = [];
    const check = async (name: string, org: OrgName, expected: number, body: string, code?: string) => {
      const res = await fetch(`${gateway.url}${CHAT_PATH}`, { method: "POST", headers: chatHeaders(orgs[org].apiKey), body });
      const text = await res.text();
      checks.push({ name, org, expected, status: res.status });
      if (res.status !== expected || (code && !text.includes(code))) throw new Error(`${name} (organization ${org}): expected ${expected}${code ? ` ${code}` : ""}, got ${res.status}: ${text.slice(0, 300)}`);
    };
    for (const org of ORGS) await check("the benchmark request", org, 200, policiesChatBody);
    await check("mentioning a blocked word", "A", 200, blockedBody);
    await check("mentioning a blocked word", "B", 403, blockedBody, "plugin_denied");
    await check("mentioning a blocked word", "C", 403, blockedBody, "plugin_denied");

    const pools = { A: pacedPool(gateway.url, PLUGINS_PLAN.pacedConnections), B: pacedPool(gateway.url, PLUGINS_PLAN.pacedConnections), C: pacedPool(gateway.url, PLUGINS_PLAN.pacedConnections) };
    const one = { A: pacedPool(gateway.url, 1), B: pacedPool(gateway.url, 1), C: pacedPool(gateway.url, 1) };
    const send = (org: OrgName, pool = pools[org]): Send => ({ pool, headers: chatHeaders(orgs[org].apiKey), body: policiesChatBody });
    try {
      for (const org of ORGS) {
        await runClosedLoop({ ...send(org, one[org]), durationS: 1 });
        await runPacedWith({ ...send(org), rate: PLUGINS_PLAN.rate, durationS: 1.5 });
      }
      const paced = await inRounds(PLUGINS_PLAN.rounds, gateway, service, async (org) => {
        // A moment first, unrecorded, so connections the server closed while idle are open again.
        await runPacedWith({ ...send(org), rate: PLUGINS_PLAN.rate, durationS: 0.2 });
        const r = await runPacedWith({ ...send(org), rate: PLUGINS_PLAN.rate, durationS: PLUGINS_PLAN.roundS });
        log(`paced ${PLUGINS_PLAN.rate} req/s, organization ${org}: ${fmt(r)}`);
        return r;
      });
      const concurrencyOne = await inRounds(PLUGINS_PLAN.concurrencyOneRounds, gateway, service, async (org) => {
        const r = await runClosedLoop({ ...send(org, one[org]), durationS: PLUGINS_PLAN.concurrencyOneRoundS });
        log(`concurrency 1, organization ${org}: ${fmt(r)}`);
        return r;
      });

      // Stop the gateway so its telemetry is flushed, then read what it recorded of the hook calls.
      await gateway.stop();
      const ids = ORGS.map((o) => orgs[o].orgId);
      const rows = await db().$queryRaw<{ org_id: string; rows: number; with_calls: number }[]>`
        SELECT org_id, count(*)::int AS rows, count(*) FILTER (WHERE plugin_calls IS NOT NULL AND jsonb_array_length(plugin_calls) > 0)::int AS with_calls
        FROM telemetry.gateway_events WHERE org_id = ANY(${ids}) AND kind = 'request' GROUP BY org_id`;
      const hooks = await db().$queryRaw<{ org_id: string; hook: string; calls: number; allow: number; p50: number; p99: number }[]>`
        SELECT e.org_id, c->>'hook' AS hook, sum((c->>'calls')::int)::int AS calls, sum(coalesce((c->'results'->>'allow')::int, 0))::int AS allow,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY (c->>'totalMs')::float8) AS p50,
               percentile_cont(0.99) WITHIN GROUP (ORDER BY (c->>'totalMs')::float8) AS p99
        FROM telemetry.gateway_events e, jsonb_array_elements(e.plugin_calls) c
        WHERE e.org_id = ANY(${ids}) AND e.kind = 'request' AND e.plugin_calls IS NOT NULL
        GROUP BY e.org_id, c->>'hook' ORDER BY e.org_id, hook`;
      const nameOf = (orgId: string) => ORGS.find((o) => orgs[o].orgId === orgId)!;
      const telemetry: PluginsReport["telemetry"] = ORGS.flatMap((org) => {
        const row = rows.find((r) => nameOf(r.org_id) === org);
        const base = { org, rows: row?.rows ?? 0, rowsWithCalls: row?.with_calls ?? 0 };
        const mine = hooks.filter((h) => nameOf(h.org_id) === org);
        if (mine.length === 0) return [{ ...base, hook: "–", calls: 0, allow: 0, callP50Ms: Number.NaN, callP99Ms: Number.NaN }];
        return mine.map((h) => ({ ...base, hook: h.hook, calls: h.calls, allow: h.allow, callP50Ms: h.p50, callP99Ms: h.p99 }));
      });
      return {
        ranAt,
        plan: PLUGINS_PLAN,
        notes: NOTES,
        loadAverage: { start: loadAtStart, end: os.loadavg()[0]!, cores: os.cpus().length },
        setup: {
          hooks: ORG_HOOKS,
          plugin: `the demo fleet's keyword blocker (fleet/plugins.ts) at ${PLUGIN_PATH}`,
          keywords: BLOCKED_KEYWORDS,
          timeoutMs: PLUGIN_TIMEOUT_MS,
          messageChars: USER_MESSAGE.length,
          maxTokens: MAX_TOKENS,
        },
        checks,
        paced,
        concurrencyOne,
        telemetry,
      };
    } finally {
      await Promise.all([...Object.values(pools), ...Object.values(one)].map((p) => p.close()));
    }
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}
