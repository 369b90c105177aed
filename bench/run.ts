/**
 * `npm run bench`: benchmarks against a throwaway database on the PostgreSQL in DATABASE_URL (default
 * the local server). Every benchmark compares against a baseline measured in the same run, so the
 * figures that matter are ratios; results and the machine they ran on go to bench/results/.
 */
import os from "node:os";
import { writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createDatabase, dropDatabase, migrateDatabase, withDatabaseName } from "../scripts/lib/database.mjs";

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
  await createDatabase(serverUrl, dbName);
  try {
    await migrateDatabase(benchUrl);
    process.env.DATABASE_URL = benchUrl;
    process.env.AUTH_SECRET ??= "bench-only-secret-0123456789abcdef";
    const { runOrgBenchmarks } = await import("./org-scope.bench");
    const { runSearchBenchmarks } = await import("./agent-search.bench");
    const comparisons: Comparison[] = [...(await runOrgBenchmarks()), ...(await runSearchBenchmarks())];
    const { db } = await import("../server/db");
    const [row] = await db().$queryRaw<{ version: string }[]>`SELECT version()`;
    await db().$disconnect();

    const result = { ranAt: new Date().toISOString(), machine: { ...machine(), postgresServer: row?.version ?? "unknown" }, comparisons };
    writeFileSync(new URL("./results/latest.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(new URL("./results/latest.md", import.meta.url), toMarkdown(result));
    console.log(toMarkdown(result));
  } finally {
    await dropDatabase(serverUrl, dbName);
  }
}

function toMarkdown(result: { ranAt: string; machine: Record<string, unknown>; comparisons: Comparison[] }): string {
  const m = result.machine;
  const lines = [
    "# Benchmark results (`npm run bench`)",
    "",
    `Ran ${result.ranAt} on ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB), ${m.os}, Node ${m.node}, ${m.postgresServer}.`,
    "",
    "| benchmark | baseline (median / p95 ms) | candidate (median / p95 ms) | ratio | expected |",
    "| --- | --- | --- | --- | --- |",
    ...result.comparisons.map(
      (c) =>
        `| ${c.name}: ${c.question} | ${c.baseline.task}: ${c.baseline.medianMs.toFixed(3)} / ${c.baseline.p95Ms.toFixed(3)} | ${c.candidate.task}: ${c.candidate.medianMs.toFixed(3)} / ${c.candidate.p95Ms.toFixed(3)} | ${c.ratio.toFixed(2)}× | ${c.expectation} |`,
    ),
    "",
  ];
  return lines.join("\n");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
