/** The analytics section of bench/results/latest.md. */
import type { AnalyticsReport } from "../analytics.bench";

const n = (v: number) => Math.round(v).toLocaleString("en");
const ms = (v: number | null) => (v === null ? "–" : v.toFixed(1));
const verdict = (ok: boolean) => (ok ? "met" : "not met");

export function analyticsMarkdown(report: AnalyticsReport): string {
  const { data, ingest, rollup, targets, plan } = report;
  const lines = [
    "## Analytics: rollups against raw rows (`npm run bench -- --only analytics`)",
    "",
    `Ran ${report.ranAt}; 1-minute load average ${report.loadAverage.start.toFixed(2)} at the start, ${report.loadAverage.end.toFixed(2)} at the end.`,
    "",
  ];
  if (!targets.atFullSize) {
    lines.push(
      `**Not at full size:** this run wrote ${n(data.events)} events (\`--events ${plan.events}\`), not the ${n(plan.targets.eventsAt)} the targets are stated for.`,
      "",
    );
  }
  lines.push(
    `${n(data.events)} events (${n(data.requests)} request rows, ${n(data.attempts)} attempt rows; ${(100 * data.errorShare).toFixed(2)} % of requests 5xx, ${(100 * data.streamShare).toFixed(1)} % streamed) over ${plan.world.days} days; raw table with indexes ${n(data.rawTableMiB)} MiB; ${n(data.rollupMinuteRows)} minute and ${n(data.rollupHourRows)} hour rollup rows. Queries for the largest organization: ${n(data.measuredOrg.requests)} requests (${(100 * data.measuredOrg.share).toFixed(1)} %).`,
    "",
    "| | result | target |",
    "| --- | --- | --- |",
    `| ingest (${ingest.method}) | ${n(ingest.eventsPerSecond)} events/s (${ingest.seconds.toFixed(1)} s; ${ingest.generateSeconds.toFixed(1)} s of it generating records) | ≥ ${n(targets.ingestLimit)} events/s: ${verdict(targets.ingestMet)} |`,
    `| rollup catch-up (\`runRollup\` until caught up) | ${rollup.seconds.toFixed(1)} s for ${n(rollup.rows)} request rows (${n(rollup.rowsPerSecond)} rows/s; ${rollup.chunks} chunks, ${n(rollup.minutes)} org-minutes, ${n(rollup.hours)} org-hours) | – |`,
    `| slowest dashboard query p95 (rollups) | ${ms(targets.worstRollupP95Ms)} ms | ≤ ${targets.queryP95LimitMs} ms: ${verdict(targets.queryMet)}${targets.atFullSize ? "" : " (at this size)"} |`,
    "",
    "| query | range | rollups p50 / p95 ms (samples) | raw rows p50 / p95 ms (samples) | raw / rollups (p50) |",
    "| --- | --- | --- | --- | --- |",
    ...report.queries.map(
      (q) =>
        `| ${q.question} | ${q.range} | ${ms(q.rollup.p50Ms)} / ${ms(q.rollup.p95Ms)} (${q.rollup.samples}) | ${ms(q.raw.p50Ms)} / ${ms(q.raw.p95Ms)} (${q.raw.samples}) | ${q.ratio.toFixed(0)}× |`,
    ),
    "",
    "Both sides agree (requests exact; latency p95 from the histogram within its ~9 % bucket error):",
    "",
    "| range | requests (rollups / raw) | latency p95 ms (rollups / raw) |",
    "| --- | --- | --- |",
    ...report.agreement.map((a) => `| ${a.range} | ${n(a.rollupRequests)} / ${n(a.rawRequests)} | ${ms(a.rollupP95Ms)} / ${ms(a.rawP95Ms)} |`),
    "",
    ...report.notes.map((note) => `- ${note}`),
    "",
  );
  return lines.join("\n");
}
