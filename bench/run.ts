/**
 * `npm run bench`: benchmarks against a throwaway database on the PostgreSQL in DATABASE_URL (default
 * the local server). Every benchmark compares against a baseline measured in the same run, so the
 * figures that matter are ratios or differences; results and the machine they ran on go to
 * bench/results/.
 *
 * `npm run bench -- --only gateway` (or `--only org-scope,agent-search`) runs some of them: the
 * sections that did not run keep what the previous results file had. The comparisons (org-scope and
 * agent-search) share one section, so running either replaces it.
 *
 * `npm run bench -- --only analytics --events 1000000`: the analytics benchmark writes `--events`
 * synthetic telemetry events (default 10 million) before it measures.
 *
 * `npm run bench -- --only policies`: what 20 active policies add to a gateway request (bench/policies.bench.ts).
 *
 * `npm run bench -- --only marketplace`: search, listing data and page response times over 10,000
 * listings and 100,000 reviews (bench/marketplace.bench.ts); `--build` runs `next build` first so the
 * pages can be measured. `npm run bench -- --only plugins`: what an installed gateway plugin's hooks
 * add to a gateway request (bench/plugins.bench.ts).
 */
import os from "node:os";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { createDatabase, dropDatabase, migrateDatabase, withDatabaseName } from "../scripts/lib/database.mjs";
import type { GatewayReport } from "./gateway.bench";
import type { AnalyticsReport } from "./analytics.bench";
import type { PoliciesReport } from "./policies.bench";
import type { MarketplaceReport } from "./marketplace.bench";
import type { PluginsReport } from "./plugins.bench";

const serverUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const dbName = `helix_bench_${Date.now()}`;
const benchUrl = withDatabaseName(serverUrl, dbName);

export interface Comparison {
  name: string;
  question: string;
  baseline: { task: string; medianMs: number; p95Ms: number; samples: number };
  candidate: { task: string; medianMs: number; p95Ms: number; samples: number };
  /** candidate median / baseline median */
  ratio: number;
  expectation: string;
}

const SUITES = ["org-scope", "agent-search", "gateway", "analytics", "policies", "marketplace", "plugins"] as const;
type Suite = (typeof SUITES)[number];

function parsedArgs(argv = process.argv.slice(2)) {
  return parseArgs({ args: argv, options: { only: { type: "string", multiple: true }, events: { type: "string" }, build: { type: "boolean" } } }).values;
}

function selectedSuites(): Set<Suite> {
  const values = parsedArgs();
  if (!values.only) return new Set(SUITES);
  const names = values.only.flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(SUITES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) throw new Error(`--only takes ${SUITES.join(", ")} (comma-separated); got ${values.only.join(",")}`);
  return new Set(names as Suite[]);
}

interface Results {
  /** when the comparisons ran */
  ranAt: string;
  machine: Record<string, unknown>;
  comparisons: Comparison[];
  gateway?: GatewayReport;
  analytics?: AnalyticsReport;
  policies?: PoliciesReport;
  marketplace?: MarketplaceReport;
  plugins?: PluginsReport;
}

const RESULTS_JSON = new URL("./results/latest.json", import.meta.url);
const RESULTS_MD = new URL("./results/latest.md", import.meta.url);

function previousResults(): Partial<Results> {
  if (!existsSync(RESULTS_JSON)) return {};
  try {
    return JSON.parse(readFileSync(RESULTS_JSON, "utf8")) as Partial<Results>;
  } catch {
    return {};
  }
}

function machine() {
  const cpu = os.cpus()[0]?.model ?? "unknown";
  let postgres = "unknown";
  try {
    postgres = execFileSync("psql", ["--version"], { encoding: "utf8" }).trim();
  } catch {
    /* psql is only used to name the client version */
  }
  return {
    cpu,
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgresClient: postgres,
  };
}

async function main() {
  const suites = selectedSuites();
  await createDatabase(serverUrl, dbName);
  try {
    await migrateDatabase(benchUrl);
    process.env.DATABASE_URL = benchUrl;
    process.env.AUTH_SECRET ??= "bench-only-secret-0123456789abcdef";
    const previous = previousResults();
    const comparisons: Comparison[] = [];
    if (suites.has("org-scope")) {
      const { runOrgBenchmarks } = await import("./org-scope.bench");
      comparisons.push(...(await runOrgBenchmarks()));
    }
    if (suites.has("agent-search")) {
      const { runSearchBenchmarks } = await import("./agent-search.bench");
      comparisons.push(...(await runSearchBenchmarks()));
    }
    const comparisonsRan = suites.has("org-scope") || suites.has("agent-search");
    let gateway = previous.gateway;
    if (suites.has("gateway")) {
      const { runGatewayBenchmarks } = await import("./gateway.bench");
      gateway = await runGatewayBenchmarks();
    }
    let analytics = previous.analytics;
    if (suites.has("analytics")) {
      const { runAnalyticsBenchmarks } = await import("./analytics.bench");
      const events = parsedArgs().events;
      if (events !== undefined && !(Number.isInteger(Number(events)) && Number(events) > 0)) throw new Error(`--events takes a positive whole number; got ${events}`);
      analytics = await runAnalyticsBenchmarks({ events: events === undefined ? undefined : Number(events) });
    }
    let policies = previous.policies;
    if (suites.has("policies")) {
      const { runPoliciesBenchmarks } = await import("./policies.bench");
      policies = await runPoliciesBenchmarks();
    }
    let marketplace = previous.marketplace;
    if (suites.has("marketplace")) {
      const { runMarketplaceBenchmarks } = await import("./marketplace.bench");
      marketplace = await runMarketplaceBenchmarks({ build: parsedArgs().build });
    }
    let plugins = previous.plugins;
    if (suites.has("plugins")) {
      const { runPluginsBenchmarks } = await import("./plugins.bench");
      plugins = await runPluginsBenchmarks();
    }
    const { db } = await import("../server/db");
    const [row] = await db().$queryRaw<{ version: string }[]>`SELECT version()`;
    await db().$disconnect();

    const result: Results = {
      ranAt: comparisonsRan ? new Date().toISOString() : (previous.ranAt ?? new Date().toISOString()),
      machine: { ...machine(), postgresServer: row?.version ?? "unknown" },
      comparisons: comparisonsRan ? comparisons : (previous.comparisons ?? []),
      ...(gateway ? { gateway } : {}),
      ...(analytics ? { analytics } : {}),
      ...(policies ? { policies } : {}),
      ...(marketplace ? { marketplace } : {}),
      ...(plugins ? { plugins } : {}),
    };
    const { gatewayMarkdown } = await import("./gateway/report");
    const { analyticsMarkdown } = await import("./analytics/report");
    const { policiesMarkdown } = await import("./policies/report");
    const { marketplaceMarkdown } = await import("./marketplace/report");
    const { pluginsMarkdown } = await import("./plugins/report");
    const markdown = toMarkdown(result, { gatewayMarkdown, analyticsMarkdown, policiesMarkdown, marketplaceMarkdown, pluginsMarkdown });
    writeFileSync(RESULTS_JSON, `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(RESULTS_MD, markdown);
    console.log(markdown);
  } finally {
    await dropDatabase(serverUrl, dbName);
  }
}

interface SectionWriters {
  gatewayMarkdown: (report: GatewayReport) => string;
  analyticsMarkdown: (report: AnalyticsReport) => string;
  policiesMarkdown: (report: PoliciesReport) => string;
  marketplaceMarkdown: (report: MarketplaceReport) => string;
  pluginsMarkdown: (report: PluginsReport) => string;
}

function toMarkdown(result: Results, w: SectionWriters): string {
  const m = result.machine;
  const lines = [
    "# Benchmark results (`npm run bench`)",
    "",
    `Ran ${result.ranAt} on ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB), ${m.os}, Node ${m.node}, ${m.postgresServer}.`,
    "",
  ];
  if (result.comparisons.length > 0) {
    lines.push(
      "| benchmark | baseline (median / p95 ms) | candidate (median / p95 ms) | ratio | expected |",
      "| --- | --- | --- | --- | --- |",
      ...result.comparisons.map(
        (c) =>
          `| ${c.name}: ${c.question} | ${c.baseline.task}: ${c.baseline.medianMs.toFixed(3)} / ${c.baseline.p95Ms.toFixed(3)} | ${c.candidate.task}: ${c.candidate.medianMs.toFixed(3)} / ${c.candidate.p95Ms.toFixed(3)} | ${c.ratio.toFixed(2)}× | ${c.expectation} |`,
      ),
      "",
    );
  }
  if (result.gateway) lines.push(w.gatewayMarkdown(result.gateway));
  if (result.analytics) lines.push(w.analyticsMarkdown(result.analytics));
  if (result.policies) lines.push(w.policiesMarkdown(result.policies));
  if (result.marketplace) lines.push(w.marketplaceMarkdown(result.marketplace));
  if (result.plugins) lines.push(w.pluginsMarkdown(result.plugins));
  return lines.join("\n");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
