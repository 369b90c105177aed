/** The policies section of bench/results/latest.md. */
import type { MeasuredRounds, PoliciesReport } from "../policies.bench";

const ms = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? "–" : v.toFixed(3));
const plus = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? "–" : `${v >= 0 ? "+" : ""}${v.toFixed(3)}`);
const us = (v: number) => (Number.isNaN(v) ? "–" : v >= 100 ? v.toFixed(0) : v.toFixed(2));
const usPlus = (v: number) => `${v >= 0 ? "+" : ""}${us(v)}`;

function loadRow(label: string, c: { A: MeasuredRounds; B: MeasuredRounds; added: PoliciesReport["paced"]["added"]; addedCpuUsPerRequest: number }): string {
  const failed = c.A.non2xx + c.A.errors + c.B.non2xx + c.B.errors;
  return [
    label,
    `${ms(c.A.p50Ms)} / ${ms(c.A.p99Ms)}`,
    `${ms(c.B.p50Ms)} / ${ms(c.B.p99Ms)}`,
    `${plus(c.added.p50Ms)} / ${plus(c.added.p99Ms)}`,
    `${plus(c.added.p99PairedMedianMs)} (${plus(c.added.p99PairedMinMs)} … ${plus(c.added.p99PairedMaxMs)})`,
    `${us(c.A.gatewayCpuUsPerRequest)} / ${us(c.B.gatewayCpuUsPerRequest)} (${usPlus(c.addedCpuUsPerRequest)})`,
    `${c.A.rps.toFixed(0)} / ${c.B.rps.toFixed(0)}`,
    String(failed),
  ].join(" | ");
}

export function policiesMarkdown(report: PoliciesReport): string {
  const p = report.plan;
  const m = report.micro;
  const goal = report.goal;
  const noise = report.paced.added;
  // The rounds disagree on whether B's p99 is above A's: the end-to-end p99 cannot resolve the difference here.
  const signUnsettled = noise.p99PairedMinMs < 0 && noise.p99PairedMaxMs > 0;
  const busy = Math.max(report.loadAverage.start, report.loadAverage.end) > report.loadAverage.cores;
  const off = report.concurrencyOneWithoutTelemetry;
  const roundP99s = (r: MeasuredRounds) => r.rounds.map((x) => ms(x.p99Ms)).join(", ");
  const lines = [
    "## Policies: what 20 active policies add to a gateway request",
    "",
    `Ran ${report.ranAt}. 1-minute load average ${report.loadAverage.start.toFixed(2)} at the start, ${report.loadAverage.end.toFixed(2)} at the end (${report.loadAverage.cores} cores). The upstream answers at once (delay ${p.upstream.delayMs} ms) and streams ${p.upstream.chunks} chunks ${p.upstream.chunkGapMs} ms apart.`,
    "",
    ...report.notes.map((n) => `- ${n}`),
    `- The request: a ${report.request.messageChars}-character user message holding ${report.request.pii}; header \`x-helix-data-labels: ${report.request.dataLabels}\`; max_tokens ${report.request.maxTokens}. The route's labels: ${report.request.routeLabels.join(", ")}; the agent's region: ${report.request.agentRegion}.`,
    `- Checks before measuring: ${report.checks.map((c) => `${c.name} → ${c.org} ${c.status}`).join("; ")}.`,
    `- Telemetry: ${report.telemetry.rowsBWithDecisions} of B's ${report.telemetry.rowsB} request rows carry policy decisions, ${report.telemetry.decisionsPerRow.toFixed(1)} decisions a row (policies whose condition held).`,
    "",
    `Goal: p99 added by 20 active policies at ${p.rate.toLocaleString("en-US")} req/s ≤ ${goal.limitMs} ms: **${plus(goal.addedP99Ms)} ms (${goal.met ? "met" : "not met"})**${signUnsettled ? `; the rounds disagree on its sign (paired B − A from ${plus(noise.p99PairedMinMs)} to ${plus(noise.p99PairedMaxMs)} ms), so the end-to-end p99 does not resolve the difference on this machine` : ""}${busy ? `; **the machine was busy** (load average above its ${report.loadAverage.cores} cores), so the latencies say more about the machine than about the policies` : ""}. p99 of each round: A ${roundP99s(report.paced.A)} ms; B ${roundP99s(report.paced.B)} ms. CPU side (micro-benchmark): the policy code adds ${us(m.addedPerJsonRequestUs)} µs per JSON request and ${us(m.addedPerStreamRequestUs)} µs per streamed request of this size (applyPolicies + masking a ${m.answerChars}-character answer), ${((100 * m.addedPerJsonRequestUs) / (goal.limitMs * 1000)).toFixed(0)}% of the ${goal.limitMs * 1000} µs budget; the gateway process spent ${usPlus(report.paced.addedCpuUsPerRequest)} µs more CPU per request for B at ${p.rate.toLocaleString("en-US")} req/s, ${usPlus(report.concurrencyOne.addedCpuUsPerRequest)} µs at concurrency 1${off ? ` and ${usPlus(off.addedCpuUsPerRequest)} µs at concurrency 1 with telemetry off` : ""}.`,
    "",
    "| load | A (no policies) p50 / p99 ms | B (20 policies) p50 / p99 ms | added p50 / p99 ms | added p99 paired: median (min … max) ms | gateway CPU µs/request A / B (added) | req/s A / B | failed |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    `| ${loadRow(`paced, ${p.rate.toLocaleString("en-US")} req/s, ${p.rounds} × ${p.roundS} s`, report.paced)} |`,
    `| ${loadRow(`concurrency 1 (closed loop), ${p.concurrencyOneRounds} × ${p.concurrencyOneRoundS} s`, report.concurrencyOne)} |`,
    ...(report.concurrencyOneWithoutTelemetry
      ? [`| ${loadRow(`diagnostic: concurrency 1, a gateway with telemetry off, ${p.telemetryOffRounds} × ${p.concurrencyOneRoundS} s`, report.concurrencyOneWithoutTelemetry)} |`]
      : []),
    "",
    `Streaming, ${p.streamRounds} rounds × ${p.streamsPerRound} streams one after another (TTFT: to the first content event; whole stream: to [DONE], including what the masker holds back to the end):`,
    "",
    "| organization | TTFT p50 / p99 ms | whole stream p50 / p99 ms | content chunks | failed |",
    "| --- | --- | --- | --- | --- |",
    `| A (no policies) | ${ms(report.streams.A.ttftP50Ms)} / ${ms(report.streams.A.ttftP99Ms)} | ${ms(report.streams.A.totalP50Ms)} / ${ms(report.streams.A.totalP99Ms)} | ${report.streams.A.chunksPerStream} | ${report.streams.A.failed} |`,
    `| B (20 policies) | ${ms(report.streams.B.ttftP50Ms)} / ${ms(report.streams.B.ttftP99Ms)} | ${ms(report.streams.B.totalP50Ms)} / ${ms(report.streams.B.totalP99Ms)} | ${report.streams.B.chunksPerStream} | ${report.streams.B.failed}${report.streams.B.firstError ? ` (${report.streams.B.firstError})` : ""} |`,
    `| added | ${plus(report.streams.addedTtftP50Ms)} / ${plus(report.streams.addedTtftP99Ms)} | ${plus(report.streams.addedTotalP50Ms)} / ${plus(report.streams.addedTotalP99Ms)} | | |`,
    "",
    "Micro-benchmark (the gateway's code in-process, median of batches):",
    "",
    "| what | µs per call (min … max batch) |",
    "| --- | --- |",
    ...m.results.map((r) => `| ${r.name} | ${us(r.usPerCall)} (${us(r.minUs)} … ${us(r.maxUs)}) |`),
    "",
    "The 20 policies:",
    "",
    "| policy | scope | mode | effect | condition |",
    "| --- | --- | --- | --- | --- |",
    ...report.policies.map((x) => `| ${x.name} | ${x.scope} | ${x.mode} | ${x.effect} | \`${x.condition.replaceAll("|", "\\|")}\` |`),
    "",
  ];
  return lines.join("\n");
}
