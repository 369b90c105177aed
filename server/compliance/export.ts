import type { CsvCell } from "./csv";
import type { ComplianceOverview } from "./schema";

export const CSV_HEADER = ["Framework", "Framework key", "Control ID", "Control", "Status", "Checks", "Evidence", "Offending objects", "Checked at"] as const;

/** One row per control of every framework: its status, each check's outcome and what failed. */
export function overviewCsvRows(overview: ComplianceOverview): CsvCell[][] {
  const checks = new Map(overview.checks.map((c) => [c.key, c]));
  const rows: CsvCell[][] = [[...CSV_HEADER]];
  for (const framework of overview.frameworks) {
    for (const control of framework.controls) {
      const results = control.checks.map((c) => checks.get(c.key)!);
      rows.push([
        framework.name,
        framework.key,
        control.controlId,
        control.title,
        control.status,
        control.checks.map((c) => `${c.key}: ${c.status}`).join("\n"),
        results.map((r) => `${r.title}: ${r.evidence?.summary ?? "not run yet"}`).join("\n"),
        results
          .flatMap((r) => (r.evidence?.offenders ?? []).map((o) => `${o.kind} ${o.name} (${o.id}): ${o.reason}`))
          .join("\n"),
        control.checkedAt,
      ]);
    }
  }
  return rows;
}
