/**
 * Streaming latency seen by a client: N chat completions with `stream: true`, each read as SSE as it
 * arrives. Time to first token is from dispatch to the first event carrying content; the gaps are
 * between consecutive content events of one stream.
 */
import { createParser } from "eventsource-parser";
import { Pool } from "undici";
import { percentile } from "./load";
import { CHAT_PATH, chatHeaders, streamBody } from "./requests";

export interface StreamResult {
  streams: number;
  concurrency: number;
  failed: number;
  /** why the first failed stream failed */
  firstError: string | null;
  /** content chunks per stream (median), to show every target delivered the whole answer */
  chunksPerStream: number;
  ttftP50Ms: number;
  ttftP99Ms: number;
  gapP50Ms: number;
  gapP99Ms: number;
}

interface OneStream {
  ttftMs: number;
  gapsMs: number[];
  chunks: number;
}

async function oneStream(pool: Pool, apiKey: string): Promise<OneStream> {
  const t0 = performance.now();
  const res = await pool.request({ path: CHAT_PATH, method: "POST", headers: chatHeaders(apiKey), body: streamBody });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new Error(`status ${res.statusCode}`);
  }
  const contentAt: number[] = [];
  let done = false;
  const parser = createParser({
    onEvent(event) {
      if (event.data === "[DONE]") {
        done = true;
        return;
      }
      const chunk = JSON.parse(event.data) as { choices?: { delta?: { content?: string } }[] };
      if (chunk.choices?.[0]?.delta?.content) contentAt.push(performance.now());
    },
  });
  const decoder = new TextDecoder();
  for await (const bytes of res.body) parser.feed(decoder.decode(bytes as Buffer, { stream: true }));
  if (!done || contentAt.length === 0) throw new Error("stream ended without content or [DONE]");
  return {
    ttftMs: contentAt[0]! - t0,
    gapsMs: contentAt.slice(1).map((at, i) => at - contentAt[i]!),
    chunks: contentAt.length,
  };
}

/** `streams` streaming requests, `concurrency` at a time. */
export async function runStreams(opts: { baseUrl: string; apiKey: string; streams: number; concurrency: number }): Promise<StreamResult> {
  const pool = new Pool(opts.baseUrl, { connections: opts.concurrency, keepAliveTimeout: 60_000 });
  const results: OneStream[] = [];
  let failed = 0;
  let firstError: string | null = null;
  let started = 0;
  const worker = async () => {
    while (started < opts.streams) {
      started++;
      try {
        results.push(await oneStream(pool, opts.apiKey));
      } catch (error) {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
  } finally {
    await pool.close();
  }
  const ttft = Float64Array.from(results.map((r) => r.ttftMs)).sort();
  const gaps = Float64Array.from(results.flatMap((r) => r.gapsMs)).sort();
  const chunks = Float64Array.from(results.map((r) => r.chunks)).sort();
  return {
    streams: opts.streams,
    concurrency: opts.concurrency,
    failed,
    firstError,
    chunksPerStream: percentile(chunks, 0.5),
    ttftP50Ms: percentile(ttft, 0.5),
    ttftP99Ms: percentile(ttft, 0.99),
    gapP50Ms: percentile(gaps, 0.5),
    gapP99Ms: percentile(gaps, 0.99),
  };
}
