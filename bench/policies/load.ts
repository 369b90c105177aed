/**
 * Load for the policies benchmark. The gateway benchmark's runners send its fixed short prompt; these
 * send any body and headers (here the ~500-character prompt with data labels), with the same
 * measurement: paced open-loop requests timed from dispatch to the last byte, a closed loop on one
 * connection, and SSE streams read as they arrive. Percentiles come from the raw samples
 * (microsecond resolution) with the gateway benchmark's `percentile`.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { createParser } from "eventsource-parser";
import type { Pool } from "undici";
import { percentile, type LoadResult } from "../gateway/load";
import { CHAT_PATH } from "../gateway/requests";

export interface Send {
  pool: Pool;
  headers: Record<string, string>;
  body: string;
}

function summarize(samples: number[], non2xx: number, errors: number, elapsedS: number, base: Pick<LoadResult, "connections" | "rate" | "durationS">): LoadResult {
  const sorted = Float64Array.from(samples).sort();
  return {
    ...base,
    rps: sorted.length / elapsedS,
    ok: sorted.length,
    non2xx,
    errors,
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

/** One request every 1/rate seconds, whatever the answers do (as bench/gateway/load.ts runPaced). */
export async function runPacedWith(opts: Send & { rate: number; durationS: number }): Promise<LoadResult> {
  const { pool, headers, body } = opts;
  const samples: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const inFlight = new Set<Promise<void>>();
  const send = () => {
    const t0 = performance.now();
    const done = pool
      .request({ path: CHAT_PATH, method: "POST", headers, body })
      .then(async (res) => {
        await res.body.dump();
        if (res.statusCode >= 200 && res.statusCode < 300) samples.push(performance.now() - t0);
        else non2xx++;
      })
      .catch(() => {
        errors++;
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };
  const total = Math.round(opts.rate * opts.durationS);
  const intervalMs = 1000 / opts.rate;
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
    while (sent < due) {
      send();
      sent++;
    }
    const next = start + sent * intervalMs - performance.now();
    if (next > 0) await sleep(next);
  }
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - start) / 1000;
  return summarize(samples, non2xx, errors, elapsedS, { connections: pool.stats.connected, rate: opts.rate, durationS: opts.durationS });
}

/** Concurrency 1: the next request leaves when the previous answer's last byte is in. */
export async function runClosedLoop(opts: Send & { durationS: number }): Promise<LoadResult> {
  const { pool, headers, body } = opts;
  const samples: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const start = performance.now();
  const end = start + opts.durationS * 1000;
  while (performance.now() < end) {
    const t0 = performance.now();
    try {
      const res = await pool.request({ path: CHAT_PATH, method: "POST", headers, body });
      await res.body.dump();
      if (res.statusCode >= 200 && res.statusCode < 300) samples.push(performance.now() - t0);
      else non2xx++;
    } catch {
      errors++;
    }
  }
  const elapsedS = (performance.now() - start) / 1000;
  return summarize(samples, non2xx, errors, elapsedS, { connections: 1, rate: null, durationS: opts.durationS });
}

export interface StreamRound {
  streams: number;
  failed: number;
  firstError: string | null;
  /** content events per stream (median) */
  chunksPerStream: number;
  /** dispatch → first event with content */
  ttftP50Ms: number;
  ttftP99Ms: number;
  /** dispatch → end of the stream ([DONE]): includes what a masker holds back until the end */
  totalP50Ms: number;
  totalP99Ms: number;
}

async function oneStream(opts: Send): Promise<{ ttftMs: number; totalMs: number; chunks: number }> {
  const t0 = performance.now();
  const res = await opts.pool.request({ path: CHAT_PATH, method: "POST", headers: opts.headers, body: opts.body });
  if (res.statusCode !== 200) {
    const text = await res.body.text();
    throw new Error(`status ${res.statusCode}: ${text.slice(0, 200)}`);
  }
  let firstAt = 0;
  let chunks = 0;
  let done = false;
  const parser = createParser({
    onEvent(event) {
      if (event.data === "[DONE]") {
        done = true;
        return;
      }
      const chunk = JSON.parse(event.data) as { choices?: { delta?: { content?: string } }[] };
      if (chunk.choices?.[0]?.delta?.content) {
        chunks++;
        firstAt ||= performance.now();
      }
    },
  });
  const decoder = new TextDecoder();
  for await (const bytes of res.body) parser.feed(decoder.decode(bytes as Buffer, { stream: true }));
  if (!done || chunks === 0) throw new Error("stream ended without content or [DONE]");
  return { ttftMs: firstAt - t0, totalMs: performance.now() - t0, chunks };
}

/** `streams` streaming requests one after another. */
export async function runStreamsWith(opts: Send & { streams: number }): Promise<StreamRound> {
  const ttft: number[] = [];
  const total: number[] = [];
  const chunks: number[] = [];
  let failed = 0;
  let firstError: string | null = null;
  for (let i = 0; i < opts.streams; i++) {
    try {
      const s = await oneStream(opts);
      ttft.push(s.ttftMs);
      total.push(s.totalMs);
      chunks.push(s.chunks);
    } catch (error) {
      failed++;
      firstError ??= error instanceof Error ? error.message : String(error);
    }
  }
  const sorted = (v: number[]) => Float64Array.from(v).sort();
  const t = sorted(ttft);
  const d = sorted(total);
  return {
    streams: opts.streams,
    failed,
    firstError,
    chunksPerStream: percentile(sorted(chunks), 0.5),
    ttftP50Ms: percentile(t, 0.5),
    ttftP99Ms: percentile(t, 0.99),
    totalP50Ms: percentile(d, 0.5),
    totalP99Ms: percentile(d, 0.99),
  };
}
