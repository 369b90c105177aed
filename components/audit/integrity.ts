/** What the audit page says about a verification of the organization's hash chain. */

export interface VerificationView {
  ok: boolean;
  checked: number;
  firstBroken: null | { id: string; seq: number | null; at: Date; reason: string };
}

const plural = (n: number, word: string) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;

export function verificationHeadline(result: VerificationView): string {
  if (result.ok) return `Chain intact (${plural(result.checked, "event")})`;
  const broken = result.firstBroken;
  if (!broken) return "The chain could not be verified";
  return broken.seq === null ? "An event is outside the chain" : `The chain breaks at event #${broken.seq}`;
}

/** yyyy-mm-dd in UTC: the audit log's date filters are UTC days. */
const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/** The audit log filtered to the broken event's day, with that event highlighted. */
export function brokenEventHref(orgSlug: string, broken: { id: string; at: Date }): string {
  const day = utcDay(broken.at);
  const params = new URLSearchParams({ from: day, to: day, event: broken.id });
  return `/o/${encodeURIComponent(orgSlug)}/audit?${params}`;
}

export const auditExportHref = (orgSlug: string) => `/api/orgs/${encodeURIComponent(orgSlug)}/audit/export`;
