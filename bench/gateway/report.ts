/** The gateway section of bench/results/latest.md. */
import type { GatewayReport, TargetName, ThroughputResult } from "../gateway.bench";
import type { LoadResult } from "./load";
import type { StreamResult } from "./streams";

const LABEL: Record<TargetName, string> = { direct: "direct to the upstream", proxy: "bare proxy", gateway: "gateway" };
const ORDER: TargetName[] = ["direct", "proxy", "gateway"];

const ms = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? "–" : v.toFixed(3));
const plus = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? "–" : `${v >= 0 ? "+" : ""}${v.toFixed(3)}`);
const pair = (a: string, b: string) => `${a} / ${b}`;

function loadCells(results: Partial<Record<TargetName, LoadResult>>): string[] {
  const d = results.direct;
  const cells = ORDER.map((t) => {
    const r = results[t];
    return r ? pair(ms(r.p50Ms), ms(r.p99Ms)) : "not measured";
  });
  for (const t of ["proxy", "gateway"] as const) {
    const r = results[t];
    cells.push(r && d ? pair(plus(r.p50Ms - d.p50Ms), plus(r.p99Ms - d.p99Ms)) : "–");
  }
  cells.push(ORDER.map((t) => (results[t] ? results[t]!.rps.toFixed(0) : "–")).join(" / "));
  const failures = ORDER.reduce((n, t) => n + (results[t] ? results[t]!.non2xx + results[t]!.errors : 0), 0);
  cells.push(String(failures));
  return cells;
}

const LOAD_HEADER = [
  "| load | direct p50 / p99 ms | bare proxy p50 / p99 ms | gateway p50 / p99 ms | proxy added p50 / p99 ms | gateway added p50 / p99 ms | achieved req/s (direct / proxy / gateway) | failed |",
  "| --- | --- | --- | --- | --- | --- | --- | --- |",
];

function throughputRow(t: TargetName, r: ThroughputResult | undefined, proxy: ThroughputResult | undefined, label = LABEL[t]): string {
  if (!r) return `| ${label} | not measured | | | |`;
  const step = (s: ThroughputResult["max"] | null) => (s ? `${s.rps.toFixed(0)} req/s (${s.connections} conn., p99 ${ms(s.p99Ms)} ms)` : "none");
  const cpu = r.underLimit ?? r.max;
  const vs = t !== "gateway" || !proxy?.underLimit ? "–" : `${((100 * (r.underLimit?.rps ?? 0)) / proxy.underLimit.rps).toFixed(0)}%`;
  return `| ${label} | ${step(r.underLimit)} | ${step(r.max)} | ${cpu.frontCpuUsPerRequest.toFixed(0)} | ${vs} |`;
}

function streamRows(results: Partial<Record<TargetName, StreamResult>>): string[] {
  const d = results.direct;
  return ORDER.map((t) => {
    const r = results[t];
    if (!r) return `| ${LABEL[t]} | not measured | | | | |`;
    const addedTtft = t === "direct" || !d ? "–" : pair(plus(r.ttftP50Ms - d.ttftP50Ms), plus(r.ttftP99Ms - d.ttftP99Ms));
    const addedGap = t === "direct" || !d ? "–" : pair(plus(r.gapP50Ms - d.gapP50Ms), plus(r.gapP99Ms - d.gapP99Ms));
    return `| ${LABEL[t]} | ${pair(ms(r.ttftP50Ms), ms(r.ttftP99Ms))} | ${addedTtft} | ${pair(ms(r.gapP50Ms), ms(r.gapP99Ms))} | ${addedGap} | ${Number.isNaN(r.chunksPerStream) ? "–" : r.chunksPerStream} | ${r.failed}${r.firstError ? ` (${r.firstError})` : ""} |`;
  });
}

const verdict = (ok: boolean | null) => (ok === null ? "not measured" : ok ? "met" : "not met");

export function gatewayMarkdown(report: GatewayReport): string {
  const p = report.plan;
  const t = report.targets;
  const addedPaced = t.p99AddedAt1000Ms.paced;
  const addedBursts = t.p99AddedAt1000Ms.autocannon;
  const ratio = t.throughputVsProxy.ratio;
  const maxRatio = t.throughputVsProxy.maxRatio;
  const at1000 = report.rates.find((r) => r.rate === 1000)?.paced;
  const roundP99s = (t: TargetName) => at1000?.[t]?.rounds.map((r) => ms(r.p99Ms)).join(", ") ?? "–";
  const lines = [
    "## Gateway: what it adds to a request",
    "",
    `Ran ${report.ranAt}. The upstream answers a chat completion at once (delay ${p.upstream.delayMs} ms) and streams ${p.upstream.chunks} content chunks ${p.upstream.chunkGapMs} ms apart. The gateway route: strategy LATENCY, one target, API key check, telemetry on. 1-minute load average ${report.loadAverage.start.toFixed(2)} at the start, ${report.loadAverage.end.toFixed(2)} at the end.`,
    "",
    ...(report.gatewayError ? [`**The gateway was not measured:** ${report.gatewayError}`, ""] : []),
    ...report.notes.map((n) => `- ${n}`),
    "",
    "Targets:",
    "",
    `- p99 added by the gateway at 1,000 req/s ≤ ${t.p99AddedAt1000Ms.limitMs} ms: paced ${plus(addedPaced)} ms (${verdict(addedPaced === null ? null : addedPaced <= t.p99AddedAt1000Ms.limitMs)}; p99 of each round: direct ${roundP99s("direct")} ms, gateway ${roundP99s("gateway")} ms); autocannon bursts ${plus(addedBursts)} ms (${verdict(addedBursts === null ? null : addedBursts <= t.p99AddedAt1000Ms.limitMs)}).`,
    `- gateway throughput ≥ ${(100 * t.throughputVsProxy.limit).toFixed(0)}% of the bare proxy (${t.throughputVsProxy.basis}): ${ratio === null ? "–" : `${(100 * ratio).toFixed(0)}%`} (${verdict(ratio === null ? null : ratio >= t.throughputVsProxy.limit)}); at the max of each, whatever the p99: ${maxRatio === null ? "–" : `${(100 * maxRatio).toFixed(0)}%`}.`,
    "",
    "### Concurrency 1 (one connection, unlimited rate)",
    "",
    ...LOAD_HEADER,
    `| autocannon, 1 connection, ${p.rounds} × ${p.roundS} s | ${loadCells(report.concurrencyOne).join(" | ")} |`,
    "",
  ];
  for (const r of report.rates) {
    lines.push(
      `### ${r.rate.toLocaleString("en-US")} req/s`,
      "",
      ...LOAD_HEADER,
      `| autocannon overallRate, ${p.rateConnections} connections (bursts), ${p.rounds} × ${p.roundS} s | ${loadCells(r.autocannon).join(" | ")} |`,
      `| paced, one request every ${(1000 / r.rate).toFixed(1)} ms, ${p.rounds} × ${p.roundS} s | ${loadCells(r.paced).join(" | ")} |`,
      "",
    );
  }
  lines.push(
    `### Throughput at p99 < ${p.p99LimitMs} ms`,
    "",
    `autocannon, unlimited rate, connections 1 (the run above) → ${p.throughputConnections.join(" → ")} (${p.throughputStepS} s each, stopping after two steps in a row with p99 ≥ ${p.p99LimitMs} ms). Front CPU: CPU time (user + system) of the process answering the client, per request, at the best step under the limit (else at the max step).`,
    "",
    `| target | best req/s with p99 < ${p.p99LimitMs} ms | max req/s (its p99) | front CPU µs/request | vs bare proxy |`,
    "| --- | --- | --- | --- | --- |",
    ...ORDER.map((name) => throughputRow(name, report.throughput[name], report.throughput.proxy)),
    ...(report.gatewayWithoutTelemetry
      ? [throughputRow("gateway", report.gatewayWithoutTelemetry, report.throughput.proxy, "gateway, telemetry off (diagnostic: what the telemetry rows cost on these shared cores)")]
      : []),
    "",
    "### Streaming",
    "",
    "Time to first token: from sending the request to the first SSE event with content. Gap: between consecutive content events of one stream.",
    "",
  );
  for (const [title, results] of [
    [`${p.streamsSequential} streams one after another`, report.streams.sequential],
    [`${p.streamsConcurrent} streams, ${p.streamConcurrency} at a time`, report.streams.concurrent],
  ] as const) {
    lines.push(
      `${title}:`,
      "",
      "| target | TTFT p50 / p99 ms | added TTFT p50 / p99 ms | gap p50 / p99 ms | added gap p50 / p99 ms | content chunks | failed |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      ...streamRows(results),
      "",
    );
  }
  return lines.join("\n");
}
