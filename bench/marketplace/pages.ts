/**
 * Server response time of the marketplace's pages: the production build (`next start`, a child
 * process) against the benchmark's database, each page fetched until its last byte, one request at
 * a time, the pages taking turns so drift on the machine hits all of them alike. The baseline is
 * /api/health (the same server, a route handler with one database round trip, no rendering).
 *
 * Without a production build that has the marketplace pages, nothing is measured and the report
 * says why; `npm run bench -- --only marketplace --build` runs `next build` first.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import type { Latency } from "../analytics.bench";
import { percentile } from "../gateway/load";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const nextDir = new URL("../../.next/", import.meta.url);
const NEXT_BIN = fileURLToPath(new URL("../../node_modules/next/dist/bin/next", import.meta.url));

export interface PageTiming extends Latency {
  path: string;
  what: string;
  bytes: number;
  /** p50 / baseline p50 */
  ratio: number;
}

export type PagesReport =
  | { measured: true; buildId: string; builtAt: string; warmup: number; baseline: PageTiming; pages: PageTiming[] }
  | { measured: false; reason: string };

/** Why the build in .next cannot serve the marketplace pages, or null when it can. */
export function buildProblem(): string | null {
  const buildId = new URL("BUILD_ID", nextDir);
  if (!existsSync(buildId)) return "there is no production build (.next/BUILD_ID is missing)";
  const routes = new URL("app-path-routes-manifest.json", nextDir);
  const manifest = existsSync(routes) ? (JSON.parse(readFileSync(routes, "utf8")) as Record<string, string>) : {};
  const paths = new Set(Object.values(manifest));
  const missing = ["/marketplace", "/marketplace/[listingSlug]"].filter((p) => !paths.has(p));
  if (missing.length) return `the production build in .next (${statSync(buildId).mtime.toISOString()}) has no ${missing.join(" or ")} page: it predates the marketplace pages`;
  return null;
}

export function runNextBuild(log: (message: string) => void): void {
  log("next build (--build)");
  execFileSync(process.execPath, [NEXT_BIN, "build"], { cwd: repoRoot, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Polls `url` until it answers 2xx. */
export async function waitForOk(url: string, timeoutMs: number, what: string, exited?: () => string | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    const gone = exited?.();
    if (gone) throw new Error(`${what} ${gone}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
      last = `status ${res.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(200);
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms (${last})`);
}

/** SIGTERM, and SIGKILL if it is still there after 10 s. */
async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = once(proc, "exit");
  proc.kill("SIGTERM");
  const killed = sleep(10_000).then(() => proc.kill("SIGKILL"));
  await Promise.race([exited, killed]);
}

async function fetchPage(url: string): Promise<{ ms: number; status: number; body: string }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { accept: "text/html" } });
  const body = await res.text();
  return { ms: performance.now() - t0, status: res.status, body };
}

export async function measurePages(opts: {
  databaseUrl: string;
  pages: { path: string; what: string; expect: string }[];
  requests: number;
  warmup: number;
  log: (message: string) => void;
}): Promise<PagesReport> {
  const problem = buildProblem();
  if (problem) return { measured: false, reason: `${problem}; run \`npm run bench -- --only marketplace --build\` to build first` };
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const proc = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port), "-H", "localhost"], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: opts.databaseUrl, AUTH_URL: origin, PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  proc.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  try {
    await waitForOk(`${origin}/api/health`, 60_000, "next start", () => (proc.exitCode !== null ? `exited with code ${proc.exitCode}: ${stderr.trim()}` : null));
    const baseline = { path: "/api/health", what: "baseline: /api/health (route handler, one SELECT 1)", expect: '"ok"' };
    const all = [baseline, ...opts.pages];
    const samples = all.map(() => [] as number[]);
    const bytes = all.map(() => 0);
    // Warm-up: every page rendered (and its code loaded) before anything is recorded; the check
    // that each answers 200 with what it should show.
    for (const [i, page] of all.entries()) {
      for (let n = 0; n < opts.warmup; n++) {
        const res = await fetchPage(`${origin}${page.path}`);
        if (res.status !== 200 || !res.body.includes(page.expect)) {
          throw new Error(`GET ${page.path}: status ${res.status}${res.body.includes(page.expect) ? "" : `, without "${page.expect}"`}: ${res.body.slice(0, 300)}`);
        }
        bytes[i] = Buffer.byteLength(res.body);
      }
    }
    for (let n = 0; n < opts.requests; n++) {
      for (const [i, page] of all.entries()) {
        const res = await fetchPage(`${origin}${page.path}`);
        if (res.status !== 200) throw new Error(`GET ${page.path}: status ${res.status}`);
        samples[i]!.push(res.ms);
      }
    }
    const timing = (i: number, baseP50: number): PageTiming => {
      const sorted = Float64Array.from(samples[i]!).sort();
      const p50Ms = percentile(sorted, 0.5);
      return { path: all[i]!.path, what: all[i]!.what, bytes: bytes[i]!, p50Ms, p95Ms: percentile(sorted, 0.95), samples: sorted.length, ratio: p50Ms / baseP50 };
    };
    const base = timing(0, Number.NaN);
    const baselineTiming = { ...base, ratio: 1 };
    const pages = opts.pages.map((_, i) => timing(i + 1, base.p50Ms));
    for (const p of pages) opts.log(`page ${p.path}: p50 ${p.p50Ms.toFixed(1)} / p95 ${p.p95Ms.toFixed(1)} ms (${(p.bytes / 1024).toFixed(0)} KiB)`);
    const buildId = readFileSync(new URL("BUILD_ID", nextDir), "utf8").trim();
    return { measured: true, buildId, builtAt: statSync(new URL("BUILD_ID", nextDir)).mtime.toISOString(), warmup: opts.warmup, baseline: baselineTiming, pages };
  } finally {
    await stop(proc);
  }
}
