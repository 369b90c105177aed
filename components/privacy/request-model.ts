import type { RequestKind, RequestResult, RequestStatus, RequestView } from "@/server/privacy/schema";

/** How often the list refreshes while a request is waiting or running (ms). */
export const POLL_MS = 2_000;

export const kindLabel: Record<RequestKind, string> = { EXPORT: "Export", ERASE: "Erase" };

export const statusLabel: Record<RequestStatus, string> = {
  PENDING: "Queued",
  RUNNING: "Running",
  COMPLETED: "Completed",
  FAILED: "Failed",
};

export const statusDescription: Record<RequestStatus, string> = {
  PENDING: "Waiting for a worker to pick it up",
  RUNNING: "A worker is carrying it out",
  COMPLETED: "Done",
  FAILED: "Stopped after retries; see the error, then create a new request",
};

export const isOpen = (status: RequestStatus) => status === "PENDING" || status === "RUNNING";

/** Poll while any request is open; stop once all have finished. */
export function pollInterval(requests: readonly Pick<RequestView, "status">[] | undefined): number | false {
  return requests?.some((r) => isOpen(r.status)) ? POLL_MS : false;
}

const count = new Intl.NumberFormat("en");
const plural = (n: number, one: string, many: string) => `${count.format(n)} ${n === 1 ? one : many}`;

/** Records a result counts; zero means nothing was stored about the subject. */
export function recordsIn(result: RequestResult | null): number {
  if (!result) return 0;
  return result.requests + result.attempts + result.feedback + (result.priorRequests ?? 0);
}

/**
 * One line about what a finished request found or erased. Earlier requests are not counted as
 * "something stored": an export after an erasure finds only them, and that still reads as nothing.
 */
export function describeResult(kind: RequestKind, result: RequestResult | null): string {
  if (!result) return "";
  const parts = [
    result.requests ? plural(result.requests, "request", "requests") : null,
    result.attempts ? plural(result.attempts, "agent attempt", "agent attempts") : null,
    result.feedback ? plural(result.feedback, "feedback", "feedback") : null,
  ].filter((p): p is string => p !== null);
  const prior = result.priorRequests ? `; ${plural(result.priorRequests, "earlier request", "earlier requests")}` : "";
  if (parts.length === 0) {
    return kind === "ERASE" ? "Nothing stored about this subject: nothing to erase" : `Nothing stored about this subject${prior}`;
  }
  return kind === "ERASE" ? `Erased: ${parts.join(", ")}` : `Found: ${parts.join(", ")}${prior}`;
}

/** Where a completed export is downloaded (app/api/orgs/[orgSlug]/privacy/requests/[requestId]/export). */
export const exportUrl = (orgSlug: string, requestId: string) =>
  `/api/orgs/${encodeURIComponent(orgSlug)}/privacy/requests/${encodeURIComponent(requestId)}/export`;

/** The erase dialog's button unlocks only when the subject is typed again exactly. */
export const confirmsSubject = (subject: string, typed: string) => subject.length > 0 && typed === subject;
