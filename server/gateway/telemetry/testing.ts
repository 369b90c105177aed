import { randomUUID } from "node:crypto";
import type { TelemetryRecord } from "../types";

/** A complete request record for tests; every call a new id. */
export function sampleRecord(overrides: Partial<TelemetryRecord> = {}): TelemetryRecord {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    kind: "request",
    requestId: id,
    at: Date.now(),
    orgId: "org-test",
    apiKeyId: "key-1",
    routeId: "route-1",
    agentId: "agent-1",
    protocol: "openai",
    model: "chat-default",
    stream: false,
    status: 200,
    errorClass: null,
    latencyMs: 120,
    ttftMs: 40,
    tokensIn: 12,
    tokensOut: 34,
    costUsd: 0.000123,
    attempt: 1,
    retry: false,
    failover: false,
    traceId: "0af7651916cd43dd8448eb211c80319c",
    subject: null,
    policyDecisions: null,
    pluginCalls: null,
    ...overrides,
  } as TelemetryRecord;
}
