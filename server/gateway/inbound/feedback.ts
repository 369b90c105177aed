/**
 * `POST /v1/feedback`: quality feedback on an answer the gateway gave, with the same API keys.
 *   { "request_id"?: string, "trace_id"?: string, "score": 0..1 | true | false, "label"?: string }
 * The request is found by the x-helix-request-id or x-helix-trace-id header of its answer, in the
 * key's organization only (another organization's request is a 404 like an unknown one).
 * 201 { id, request_id, score }. Feedback again on the same request replaces the earlier one.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { feedbackBody, recordFeedback } from "@/server/analytics/feedback";
import { DomainError } from "@/server/errors/domain-error";
import type { GatewayCore } from "../core";
import { HttpError, parseJsonBody, readBody, sendJson } from "../http";

const MAX_BODY_BYTES = 16 * 1024;

export async function handleFeedback(core: GatewayCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "POST") {
    throw new HttpError(405, "Use POST for this endpoint.", "invalid_request_error", "method_not_allowed", null, { allow: "POST" });
  }
  const principal = core.authorize(req);
  const body = parseJsonBody(await readBody(req, MAX_BODY_BYTES));
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, "The request body must be a JSON object with score and request_id or trace_id.", "invalid_request_error", "invalid_body");
  }
  const parsed = feedbackBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = issue.path.join(".") || null;
    throw new HttpError(400, `Invalid request: ${param ? `'${param}': ` : ""}${issue.message}`, "invalid_request_error", "invalid_value", param);
  }
  const b = parsed.data;
  // A key scoped to some routes (or a console token for one) gives feedback on those routes' answers only.
  const routeIds = principal.consoleRouteId !== null ? [principal.consoleRouteId] : (principal.key?.routeIds ?? []);
  try {
    const saved = await recordFeedback({
      db: core.opts.db,
      orgId: principal.orgId,
      requestId: b.request_id,
      traceId: b.trace_id,
      score: b.score,
      label: b.label ?? null,
      routeIds: routeIds.length > 0 ? routeIds : null,
    });
    sendJson(res, 201, { id: saved.id, request_id: saved.requestId, score: saved.score });
  } catch (error) {
    if (error instanceof DomainError && error.kind === "NOT_FOUND") {
      throw new HttpError(404, error.message, "invalid_request_error", "request_not_found", error.field ?? null);
    }
    throw error;
  }
}
