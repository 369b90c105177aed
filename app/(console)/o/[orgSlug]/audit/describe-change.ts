type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

interface Change {
  targetType: string;
  before: Json;
  after: Json;
}

const isRecord = (v: Json): v is { [k: string]: Json } => typeof v === "object" && v !== null && !Array.isArray(v);
const show = (v: Json | undefined) => (v === undefined || v === null ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));

/** "role: ADMIN → VIEWER" for updates; "email: x, role: y" for creations and removals. */
export function describeChange(e: Change): string {
  const before = isRecord(e.before) ? e.before : {};
  const after = isRecord(e.after) ? e.after : {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  if (keys.length === 0) return e.targetType;
  if (Object.keys(before).length && Object.keys(after).length) {
    const changed = keys.filter((k) => show(before[k]) !== show(after[k]));
    const same = keys.filter((k) => !changed.includes(k)).map((k) => `${k}: ${show(after[k])}`);
    return [...same, ...changed.map((k) => `${k}: ${show(before[k])} → ${show(after[k])}`)].join(", ");
  }
  const side = Object.keys(after).length ? after : before;
  return Object.entries(side)
    .map(([k, v]) => `${k}: ${show(v)}`)
    .join(", ");
}
