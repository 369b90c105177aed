// Summarizes a V8 .cpuprofile: self time per function and per file, biggest first.
// Usage: node bench/gateway/top-frames.mjs <file.cpuprofile> [rows]
import { readFileSync } from 'node:fs';

const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/gateway/top-frames.mjs <file.cpuprofile> [rows]');
  process.exit(1);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const rows = Number(rowsArg ?? 40);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfTicks = new Map();
for (const id of profile.samples) selfTicks.set(id, (selfTicks.get(id) ?? 0) + 1);
const total = profile.samples.length;
const fn = new Map();
const files = new Map();
for (const [id, ticks] of selfTicks) {
  const { callFrame } = byId.get(id);
  const where = callFrame.url.replace(/^file:\/\//, '').replace(process.cwd(), '.');
  const key = `${callFrame.functionName || '(anonymous)'}  ${where}:${callFrame.lineNumber + 1}`;
  fn.set(key, (fn.get(key) ?? 0) + ticks);
  const f = where.includes('node_modules') ? where.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, '$1') : where || callFrame.functionName;
  files.set(f, (files.get(f) ?? 0) + ticks);
}
const show = (title, map) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
};
show('self time by file / package', files);
show('self time by function', fn);
