import type { Bench } from "tinybench";

/** Median and p95 of a task's samples, in milliseconds. */
export function sampleStats(bench: Bench, name: string) {
  const task = bench.getTask(name);
  const latency = task?.result && "latency" in task.result ? task.result.latency : undefined;
  const samples = [...(latency?.samples ?? [])].sort((a, b) => a - b);
  if (samples.length === 0) throw new Error(`benchmark task "${name}" produced no samples`);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { task: name, medianMs: at(0.5), p95Ms: at(0.95), samples: samples.length };
}
