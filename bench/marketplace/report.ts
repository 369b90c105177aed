/** The marketplace section of bench/results/latest.md. */
import type { Latency } from "../analytics.bench";
import type { MarketplaceReport } from "../marketplace.bench";

const n = (v: number) => Math.round(v).toLocaleString("en-US");
const ms = (v: number | null) => (v === null || Number.isNaN(v) ? "–" : v >= 100 ? v.toFixed(0) : v.toFixed(2));
const lat = (l: Latency) => `${ms(l.p50Ms)} / ${ms(l.p95Ms)}`;

export function marketplaceMarkdown(report: MarketplaceReport): string {
  const { data, search, listing, pages, plan } = report;
  const busy = Math.max(report.loadAverage.start, report.loadAverage.end) > report.loadAverage.cores;
  const worst = Math.max(...search.cases.map((c) => c.service.p95Ms));
  const lines = [
    "## Marketplace: search, listing pages and browse pages at 10,000 listings (`npm run bench -- --only marketplace`)",
    "",
    `Ran ${report.ranAt}. 1-minute load average ${report.loadAverage.start.toFixed(2)} at the start, ${report.loadAverage.end.toFixed(2)} at the end (${report.loadAverage.cores} cores)${busy ? "; **the machine was busy**, so the latencies say more about the machine than about the marketplace" : ""}.`,
    "",
    `${n(data.listings)} listings (${Object.entries(data.byKind)
      .map(([k, c]) => `${n(c)} ${k.toLowerCase().replace("_", " ")}s`)
      .join(", ")}) from ${n(data.publishers)} publishers (${n(data.verifiedPublishers)} verified), ${n(data.versions)} versions (signatures: ${data.versionsSigned}), ${n(data.reviews)} reviews by ${n(data.users)} users; listings, versions and reviews take ${data.tableMiB.toFixed(0)} MiB with their indexes. Written in bulk (INSERT … SELECT FROM unnest) and analyzed in ${data.seconds.total.toFixed(1)} s.`,
    "",
    `Search: the slowest case's p95 is ${ms(worst)} ms (service). Pages of ${plan.pageSize}, ${plan.samples} samples each after ${plan.warmup} warm-up calls:`,
    "",
    "| `marketplace.search` | matches | service p50 / p95 ms | through tRPC p50 / p95 ms | service / baseline (p50) |",
    "| --- | --- | --- | --- | --- |",
    `| baseline: ${search.baseline.task} | ${n(data.listings)} | ${lat(search.baseline.latency)} | – | 1.00× |`,
    ...search.cases.map((c) => `| ${c.name} | ${n(c.total)} | ${lat(c.service)} | ${lat(c.trpc)} | ${c.ratio.toFixed(2)}× |`),
    "",
    "| `marketplace.listing.get` | reviews | versions | README HTML | service p50 / p95 ms | through tRPC p50 / p95 ms | service / baseline (p50) |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    `| baseline: ${listing.baseline.task} | – | – | – | ${lat(listing.baseline.latency)} | – | 1.00× |`,
    ...listing.cases.map((c) => `| ${c.name} | ${n(c.reviews)} | ${c.versions} | ${(c.readmeBytes / 1024).toFixed(1)} KiB | ${lat(c.service)} | ${lat(c.trpc)} | ${c.ratio.toFixed(2)}× |`),
    "",
  ];
  if (pages.measured) {
    lines.push(
      `Server response time from the production build (\`next start\`, build ${pages.buildId} of ${pages.builtAt}), to the last byte, one request at a time, the pages taking turns; ${plan.pages.requests} requests each after ${pages.warmup} warm-up requests:`,
      "",
      "| page | size | p50 / p95 ms | page / baseline (p50) |",
      "| --- | --- | --- | --- |",
      ...[pages.baseline, ...pages.pages].map((p) => `| ${p.what} | ${(p.bytes / 1024).toFixed(0)} KiB | ${lat(p)} | ${p.ratio.toFixed(2)}× |`),
      "",
    );
  } else {
    lines.push(`Server response time of the pages: **not measured**: ${pages.reason}.`, "");
  }
  lines.push(...report.notes.map((note) => `- ${note}`), "");
  return lines.join("\n");
}
