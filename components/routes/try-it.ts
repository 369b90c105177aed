import { protocolName, type AgentProtocol } from "@/components/agents/labels";
import type { TryItAttempt } from "@/server/routes/schema";

/** What went wrong with an attempt, in words (the gateway's error classes). */
export const errorClassLabel: Record<string, string> = {
  connect: "Could not connect",
  timeout: "Timed out",
  http_5xx: "Server error",
  http_429: "Rate limited",
  http_4xx: "Rejected the request",
  protocol: "Protocol error",
  stream_broken: "Stream broke off",
  aborted: "Cancelled",
  breaker_open: "Circuit breaker open",
  no_candidates: "No eligible agent",
  client_error: "Client error",
};

/** "200 OK", "500 · Server error", "Could not connect" — an attempt's status and error class in one. */
export function attemptOutcome(attempt: Pick<TryItAttempt, "status" | "errorClass">): string {
  const error = attempt.errorClass ? (errorClassLabel[attempt.errorClass] ?? attempt.errorClass) : null;
  if (!error) return attempt.status > 0 ? `${attempt.status} OK` : "OK";
  return attempt.status > 0 ? `${attempt.status} · ${error}` : error;
}

/** The protocol's name as badges show it; unknown names as given. */
export function attemptProtocol(protocol: string | null): string {
  if (!protocol) return "—";
  const key = protocol.toUpperCase();
  return key in protocolName ? protocolName[key as AgentProtocol] : protocol;
}

/** The flags of an attempt, for the attempts table: made as a retry, and/or after a failover. */
export function attemptFlags(attempt: Pick<TryItAttempt, "retry" | "failover">): ("retry" | "failover")[] {
  return [...(attempt.retry ? (["retry"] as const) : []), ...(attempt.failover ? (["failover"] as const) : [])];
}
