import type { ControlStatus, FrameworkView } from "@/server/compliance/schema";

/** The order statuses are explained in. */
export const CONTROL_STATUS_ORDER: ControlStatus[] = ["PASS", "FAIL", "NOT_APPLICABLE", "MANUAL", "NOT_RUN"];

export const STATUS_LABEL: Record<ControlStatus, string> = {
  PASS: "Pass",
  FAIL: "Fail",
  NOT_APPLICABLE: "Not applicable",
  NOT_RUN: "Not run yet",
  MANUAL: "Manual",
};

export const STATUS_VARIANT: Record<ControlStatus, "success" | "destructive" | "outline" | "secondary"> = {
  PASS: "success",
  FAIL: "destructive",
  NOT_APPLICABLE: "outline",
  NOT_RUN: "secondary",
  MANUAL: "secondary",
};

/** What a status means, for a tooltip or the report's legend. */
export const STATUS_MEANING: Record<ControlStatus, string> = {
  PASS: "Every automated check behind the control passed (checks that do not apply are left out).",
  FAIL: "At least one automated check behind the control failed.",
  NOT_APPLICABLE: "None of the control's checks applies to this organization's configuration.",
  NOT_RUN: "The checks have not run for this organization yet.",
  MANUAL: "No automated check gives evidence for this control: assess it by hand.",
};

/** "7 of 9 applicable controls pass · 1 fails" — a framework's line under its name. */
export function frameworkSummary(counts: FrameworkView["counts"]): string {
  const judged = counts.PASS + counts.FAIL;
  const parts = [judged ? `${counts.PASS} of ${judged} applicable control${judged === 1 ? "" : "s"} pass` : "No control could be judged yet"];
  if (counts.FAIL) parts.push(`${counts.FAIL} fail${counts.FAIL === 1 ? "s" : ""}`);
  if (counts.NOT_APPLICABLE) parts.push(`${counts.NOT_APPLICABLE} not applicable`);
  if (counts.MANUAL) parts.push(`${counts.MANUAL} manual`);
  if (counts.NOT_RUN) parts.push(`${counts.NOT_RUN} not run yet`);
  return parts.join(" · ");
}

/** A fact's value as text. */
export function factValue(value: string | number | boolean | null): string {
  if (value === null) return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return value.toLocaleString("en");
  return value;
}
