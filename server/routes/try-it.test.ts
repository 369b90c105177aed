import { describe, expect, it } from "vitest";
import { readGatewayResponse, tryItTimeoutMs } from "./try-it";

const report = {
  requestId: "req-1",
  traceId: "0af7651916cd43dd8448eb211c80319c",
  routeId: "r1",
  agentId: "a2",
  agentName: "Atlas Chat",
  failover: true,
  totalMs: 41,
  attempts: [
    { agentId: "a1", agentName: "Down Chat", protocol: "OPENAI", status: 0, errorClass: "connect", latencyMs: 2, ttftMs: null, retry: false, failover: false },
    { agentId: "a2", agentName: "Atlas Chat", protocol: "OPENAI", status: 200, errorClass: null, latencyMs: 38, ttftMs: 38, retry: false, failover: true },
  ],
};

describe("readGatewayResponse", () => {
  it("takes the answer and the debug report from a completion", () => {
    const body = { id: "c1", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: "Hi!" }, finish_reason: "stop" }], helix: report };
    expect(readGatewayResponse(200, JSON.stringify(body))).toEqual({ ok: true, status: 200, answer: "Hi!", error: null, helix: report });
  });

  it("takes the message of an OpenAI-shaped error, with the report when there is one", () => {
    const body = { error: { message: "No agent could answer", type: "server_error", code: "upstream_failed", param: null }, helix: report };
    expect(readGatewayResponse(502, JSON.stringify(body))).toEqual({ ok: false, status: 502, answer: null, error: "No agent could answer", helix: report });
  });

  it("reads absent optional report fields as null and keeps only the documented ones", () => {
    const { ttftMs: _ttft, ...attempt } = report.attempts[0]!;
    const body = { error: { message: "Unknown model" }, helix: { ...report, agentId: undefined, agentName: undefined, extra: "x", attempts: [{ ...attempt, secret: "s" }] } };
    const result = readGatewayResponse(404, JSON.stringify(body));
    expect(result.helix).toEqual({ ...report, agentId: null, agentName: null, attempts: [{ ...attempt, ttftMs: null }] });
  });

  it("explains a body that is not JSON, or a completion without a message", () => {
    expect(readGatewayResponse(502, "<html>Bad gateway</html>")).toMatchObject({ ok: false, answer: null, error: expect.stringContaining("not a chat completion"), helix: null });
    expect(readGatewayResponse(200, JSON.stringify({ choices: [] }))).toMatchObject({ ok: false, error: "The gateway answered without a message" });
  });

  it("ignores a malformed report instead of failing the answer", () => {
    const body = { choices: [{ message: { content: "Hi" } }], helix: { requestId: 7 } };
    expect(readGatewayResponse(200, JSON.stringify(body))).toMatchObject({ ok: true, answer: "Hi", helix: null });
  });
});

describe("tryItTimeoutMs", () => {
  it("waits the route's deadline plus two seconds, at most 70 seconds", () => {
    expect(tryItTimeoutMs(5_000)).toBe(7_000);
    expect(tryItTimeoutMs(60_000)).toBe(62_000);
    expect(tryItTimeoutMs(3_600_000)).toBe(70_000);
  });
});
