/** Test helpers for the outbound adapters: snapshot agents and call options built by hand. */
import { expect } from "vitest";
import type { ChatMessage, SnapshotAgent, UpstreamCallOptions, UpstreamError, UpstreamResult } from "../types";

export function snapshotAgent(fields: Partial<SnapshotAgent> & Pick<SnapshotAgent, "protocol" | "endpointUrl">): SnapshotAgent {
  return {
    id: `agent-${fields.protocol.toLowerCase()}`,
    orgId: "org-test",
    name: "Test agent",
    slug: "test-agent",
    status: "ACTIVE",
    region: null,
    provider: null,
    tags: [],
    credential: null,
    protocolVersion: null,
    models: [],
    inputPricePerMTok: null,
    outputPricePerMTok: null,
    ...fields,
  };
}

export const TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

export function callOptions(
  agent: SnapshotAgent,
  messages: ChatMessage[] | string,
  extra: Partial<UpstreamCallOptions> = {},
): UpstreamCallOptions {
  const list = typeof messages === "string" ? [{ role: "user" as const, content: messages }] : messages;
  const stream = extra.stream ?? false;
  return {
    agent,
    model: null,
    request: { model: "alias", messages: list, stream, includeUsage: false, extra: {} },
    stream,
    signal: AbortSignal.timeout(5_000),
    idleTimeoutMs: 5_000,
    traceparent: TRACEPARENT,
    ...extra,
  };
}

/** Runs a streaming call and keeps every delta. */
export async function streamed(
  call: (opts: UpstreamCallOptions) => Promise<UpstreamResult>,
  opts: UpstreamCallOptions,
): Promise<{ result: UpstreamResult; deltas: string[] }> {
  const deltas: string[] = [];
  const result = await call({ ...opts, stream: true, request: { ...opts.request, stream: true }, onDelta: (d) => deltas.push(d) });
  return { result, deltas };
}

/** The UpstreamError a call failed with (fails the test when it succeeded or threw something else). */
export async function failureOf(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeDefined();
  expect((error as Error).name).toBe("UpstreamError");
  return error as UpstreamError;
}
