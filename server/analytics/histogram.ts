/**
 * Latency distributions that merge: a fixed log-scale histogram. Bucket i holds values in
 * (2^((i-1)/4), 2^(i/4)] milliseconds (bucket 0: up to 1 ms), so four buckets per doubling, 80 in
 * all (the last also takes everything above ~14.5 minutes). Two histograms merge by adding their
 * counts, which is what lets per-minute rollups answer p50/p95/p99 over any range without raw rows.
 * A percentile read back is the bucket's geometric midpoint: at most 2^(1/8) − 1 ≈ 9.1% from any
 * value in the bucket (the error bound the rollup tests check against).
 */
export const HIST_BUCKETS = 80;
export const BUCKETS_PER_DOUBLING = 4;
/** Relative error bound of a percentile read from the histogram (values ≥ 1 ms). */
export const HIST_RELATIVE_ERROR = 2 ** (1 / (2 * BUCKETS_PER_DOUBLING)) - 1;

/** The bucket of a value in milliseconds. The SQL twin is HIST_BUCKET_SQL. */
export function bucketOf(ms: number): number {
  if (!(ms > 1)) return 0;
  return Math.min(HIST_BUCKETS - 1, Math.ceil(BUCKETS_PER_DOUBLING * Math.log2(ms)));
}

/** The same bucket as bucketOf, as a SQL expression over an integer/double column of milliseconds. */
export function histBucketSql(column: string): string {
  return `least(${HIST_BUCKETS - 1}, greatest(0, ceil(${BUCKETS_PER_DOUBLING} * log(2, greatest(${column}, 1)::numeric))))::int`;
}

/** Upper bound of bucket i in ms. */
export function bucketUpperMs(i: number): number {
  return 2 ** (i / BUCKETS_PER_DOUBLING);
}

/** The value a bucket stands for: its geometric midpoint (bucket 0: 1 ms). */
export function bucketValueMs(i: number): number {
  return i === 0 ? 1 : 2 ** ((i - 0.5) / BUCKETS_PER_DOUBLING);
}

export function emptyHistogram(): number[] {
  return new Array<number>(HIST_BUCKETS).fill(0);
}

/** Adds b into a (in place) and returns a. Shorter arrays count as zeros. */
export function mergeInto(a: number[], b: readonly number[]): number[] {
  for (let i = 0; i < HIST_BUCKETS; i++) a[i] = (a[i] ?? 0) + (b[i] ?? 0);
  return a;
}

export function totalCount(h: readonly number[]): number {
  let n = 0;
  for (const c of h) n += c;
  return n;
}

/** The q-quantile (0..1) of a histogram, or null when it is empty. */
export function quantile(h: readonly number[], q: number): number | null {
  const n = totalCount(h);
  if (n === 0) return null;
  // The smallest bucket whose cumulative count reaches rank ceil(q·n) (nearest-rank definition).
  const rank = Math.max(1, Math.ceil(Math.min(1, Math.max(0, q)) * n));
  let seen = 0;
  for (let i = 0; i < h.length; i++) {
    seen += h[i] ?? 0;
    if (seen >= rank) return bucketValueMs(i);
  }
  return bucketValueMs(h.length - 1);
}
