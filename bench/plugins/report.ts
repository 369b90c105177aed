/** The plugins section of bench/results/latest.md. */
import type { PluginLoad, PluginsReport } from "../plugins.bench";

const ms = (v: number | null) => (v === null || Number.isNaN(v) ? "–" : v.toFixed(3));
const plus = (v: number | null) => (v === null || Number.isNaN(v) ? "–" : `${v >= 0 ? "+" : ""}${v.toFixed(3)}`);
const us = (v: number | null) => (v === null || Number.isNaN(v) ? "–" : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const usPlus = (v: number | null) => (v === null || Number.isNaN(v) ? "–" : `${v >= 0 ? "+" : ""}${us(v)}`);

function rows(label: string, load: PluginLoad): string[] {
  const failed = (["A", "B", "C"] as const).reduce((n, o) => n + load[o].non2xx + load[o].errors, 0);
  const row = (what: string, org: "B" | "C", a: PluginLoad["addedB"]) =>
    `| ${label}, ${what} | ${ms(load.A.p50Ms)} / ${ms(load.A.p99Ms)} | ${ms(load[org].p50Ms)} / ${ms(load[org].p99Ms)} | **${plus(a.p50Ms)} / ${plus(a.p99Ms)}** | ${plus(a.p99PairedMedianMs)} (${plus(a.p99PairedMinMs)} … ${plus(a.p99PairedMaxMs)}) | ${us(load.A.gatewayCpuUsPerRequest)} / ${us(load[org].gatewayCpuUsPerRequest)} (**${usPlus(a.cpuUsPerRequest)}**) | ${us(load[org].pluginServiceCpuUsPerRequest)} | ${load.A.rps.toFixed(0)} / ${load[org].rps.toFixed(0)} | ${failed} |`;
  return [row("B: before_request", "B", load.addedB), row("C: before_request + after_response", "C", load.addedC)];
}

export function pluginsMarkdown(report: PluginsReport): string {
  const p = report.plan;
  const busy = Math.max(report.loadAverage.start, report.loadAverage.end) > report.loadAverage.cores;
  const c1 = report.concurrencyOne;
  const lines = [
    "## Plugins: what an installed gateway plugin's hooks add to a gateway request (`npm run bench -- --only plugins`)",
    "",
    `Ran ${report.ranAt}. 1-minute load average ${report.loadAverage.start.toFixed(2)} at the start, ${report.loadAverage.end.toFixed(2)} at the end (${report.loadAverage.cores} cores)${busy ? "; **the machine was busy**, so the latencies say more about the machine than about the plugin" : ""}. The plugin: ${report.setup.plugin}, time budget ${report.setup.timeoutMs} ms, configured to block "${report.setup.keywords}"; the request (a ${report.setup.messageChars}-character user message, max_tokens ${report.setup.maxTokens}) mentions none of them, so every call answers allow.`,
    "",
    `At concurrency 1, one before_request call adds **${plus(c1.addedB.p50Ms)} ms** at p50 and ${usPlus(c1.addedB.cpuUsPerRequest)} µs of gateway CPU per request; before_request + after_response add ${plus(c1.addedC.p50Ms)} ms and ${usPlus(c1.addedC.cpuUsPerRequest)} µs.`,
    "",
    ...report.notes.map((n) => `- ${n}`),
    `- Checks before measuring: ${report.checks.map((c) => `${c.name} → ${c.org} ${c.status}`).join("; ")}.`,
    "",
    "| load, organization | A (no plugin) p50 / p99 ms | with the plugin p50 / p99 ms | added p50 / p99 ms | added p99 paired: median (min … max) ms | gateway CPU µs/request A / with (added) | plugin service CPU µs/request | req/s A / with | failed (all three) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows(`paced ${p.rate.toLocaleString("en-US")} req/s, ${p.rounds} × ${p.roundS} s`, report.paced),
    ...rows(`concurrency 1, ${p.concurrencyOneRounds} × ${p.concurrencyOneRoundS} s`, report.concurrencyOne),
    "",
    "What the gateway's telemetry recorded of the hook calls over the whole run (per request and hook: the time of the call as the gateway measured it, from sending the hook call to the parsed verdict):",
    "",
    "| organization | request rows | rows with plugin calls | hook | calls | allow | call time p50 / p99 ms |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...report.telemetry.map((t) => `| ${t.org} | ${t.rows} | ${t.rowsWithCalls} | ${t.hook} | ${t.calls} | ${t.allow} | ${ms(t.callP50Ms)} / ${ms(t.callP99Ms)} |`),
    "",
  ];
  return lines.join("\n");
}
