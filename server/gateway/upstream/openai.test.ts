import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OpenAiAgentSpec } from "@/fleet/catalog";
import type { Fleet } from "@/fleet/index";
import { specOf, startTestFleet } from "@/fleet/testing";
import { callOptions, failureOf, snapshotAgent, streamed } from "./fixtures";
import { callOpenAi, callUpstream, closeUpstreams } from "./index";

const keyed: OpenAiAgentSpec = { ...(specOf("atlas-chat") as OpenAiAgentSpec), id: "atlas-keyed", apiKey: "sk-fleet-secret" };

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startTestFleet([specOf("atlas-chat"), specOf("nova-chat"), keyed]);
});
afterAll(async () => {
  await closeUpstreams();
  await fleet.stop();
});

const atlas = () =>
  snapshotAgent({ protocol: "OPENAI", name: "Atlas Chat", endpointUrl: fleet.get("atlas-chat").url, models: ["atlas-small", "atlas-large"] });

describe("callOpenAi against the fleet", () => {
  it("answers JSON: text, finish reason, usage and the completion id", async () => {
    const result = await callOpenAi(callOptions(atlas(), "hello there"));
    expect(result.text).toBe("atlas-small: You said: hello there");
    expect(result.finishReason).toBe("stop");
    expect(result.usage).toEqual({ promptTokens: 2, completionTokens: 5 });
    expect(result.upstreamId).toMatch(/^chatcmpl-atlas-chat-/);
    expect(result.ttftMs).toBeGreaterThan(0);
  });

  it("streams deltas that add up to the JSON answer, with usage and a time to first token", async () => {
    const json = await callOpenAi(callOptions(atlas(), "stream me a sentence please"));
    const { result, deltas } = await streamed(callOpenAi, callOptions(atlas(), "stream me a sentence please"));
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join("")).toBe(json.text);
    expect(result.text).toBe(json.text);
    expect(result.usage).toEqual(json.usage);
    expect(result.finishReason).toBe("stop");
    expect(result.upstreamId).toMatch(/^chatcmpl-atlas-chat-/);
    expect(result.ttftMs).toBeGreaterThan(0);
  });

  it("asks for the target's model, tolerates a trailing slash and forwards max_tokens", async () => {
    const agent = { ...atlas(), endpointUrl: `${fleet.get("atlas-chat").url}/` };
    const result = await callOpenAi({ ...callOptions(agent, "one two three four five"), model: "atlas-large" });
    expect(result.text).toBe("atlas-large: You said: one two three four five");
    const opts = callOptions(agent, "one two three four five");
    const cut = await callOpenAi({ ...opts, request: { ...opts.request, maxTokens: 2 } });
    expect(cut).toMatchObject({ text: "atlas-small: You", finishReason: "length" });
  });

  it("sends the agent's credential: without it the agent answers 401 (http_4xx, not retryable)", async () => {
    const base = { protocol: "OPENAI" as const, name: "Atlas Keyed", endpointUrl: fleet.get("atlas-keyed").url, models: ["atlas-small"] };
    const error = await failureOf(callOpenAi(callOptions(snapshotAgent(base), "hi")));
    expect(error).toMatchObject({ errorClass: "http_4xx", status: 401, retryable: false });
    expect(error.message).toContain("didn't provide an API key");

    const agent = snapshotAgent({ ...base, credential: { header: "authorization", value: "Bearer sk-fleet-secret" } });
    expect((await callOpenAi(callOptions(agent, "hi"))).text).toBe("atlas-small: You said: hi");
    const { deltas } = await streamed(callOpenAi, callOptions(agent, "hi again"));
    expect(deltas.join("")).toBe("atlas-small: You said: hi again");
  });

  it("maps an unknown model to http_4xx with the agent's message", async () => {
    const error = await failureOf(callOpenAi({ ...callOptions(atlas(), "hi"), model: "gpt-nothing" }));
    expect(error).toMatchObject({ errorClass: "http_4xx", status: 404, retryable: false });
    expect(error.message).toContain("The model 'gpt-nothing' does not exist");
  });

  it("maps injected failures to http_5xx, retryable, for JSON and streams", async () => {
    fleet.configure("nova-chat", { errorRate: 1 });
    try {
      const agent = snapshotAgent({ protocol: "OPENAI", name: "Nova", endpointUrl: fleet.get("nova-chat").url, models: ["nova-code"] });
      const json = await failureOf(callOpenAi(callOptions(agent, "explain: x()")));
      expect(json).toMatchObject({ errorClass: "http_5xx", status: 500, retryable: true });
      expect(json.message).toContain("injected by the demo fleet");
      const stream = await failureOf(streamed(callOpenAi, callOptions(agent, "explain: x()")));
      expect(stream).toMatchObject({ errorClass: "http_5xx", status: 500, retryable: true });
    } finally {
      fleet.configure("nova-chat", { errorRate: 0 });
    }
  });

  it("classifies our own timeout as timeout and a client abort as aborted", async () => {
    fleet.configure("nova-chat", { latencyMedianMs: 2_000, latencyP99Ms: 3_000 });
    try {
      const agent = snapshotAgent({ protocol: "OPENAI", name: "Nova", endpointUrl: fleet.get("nova-chat").url, models: ["nova-code"] });
      const started = performance.now();
      const timeout = await failureOf(callOpenAi({ ...callOptions(agent, "explain: x()"), signal: AbortSignal.timeout(100) }));
      expect(timeout).toMatchObject({ errorClass: "timeout", retryable: true });
      expect(performance.now() - started).toBeLessThan(1_000);

      const client = new AbortController();
      const call = callOpenAi({ ...callOptions(agent, "explain: x()"), signal: client.signal });
      setTimeout(() => client.abort(), 50);
      expect(await failureOf(call)).toMatchObject({ errorClass: "aborted", retryable: false });

      const already = await failureOf(callOpenAi({ ...callOptions(agent, "x"), signal: AbortSignal.abort() }));
      expect(already.errorClass).toBe("aborted");
    } finally {
      fleet.configure("nova-chat", { latencyMedianMs: 0, latencyP99Ms: 0 });
    }
  });

  it("times out a stream whose events stop coming (idle limit)", async () => {
    fleet.configure("nova-chat", { ttftMs: 2_000 });
    try {
      const agent = snapshotAgent({ protocol: "OPENAI", name: "Nova", endpointUrl: fleet.get("nova-chat").url, models: ["nova-code"] });
      const started = performance.now();
      const error = await failureOf(streamed(callOpenAi, { ...callOptions(agent, "explain: x()"), idleTimeoutMs: 100 }));
      expect(error).toMatchObject({ errorClass: "timeout", retryable: true, status: 200 });
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      fleet.configure("nova-chat", { ttftMs: 0 });
    }
  });

  it("reports a stopped agent as connect, and a stream cut mid-answer as stream_broken", async () => {
    const agent = snapshotAgent({ protocol: "OPENAI", name: "Nova", endpointUrl: fleet.get("nova-chat").url, models: ["nova-code"] });
    fleet.configure("nova-chat", { tokensPerSecond: 20 });
    try {
      const deltas: string[] = [];
      const opts = callOptions(agent, "explain: function add(a, b) { return a + b; }", { stream: true });
      let stopping: Promise<void> | undefined;
      const error = await failureOf(
        callOpenAi({
          ...opts,
          onDelta: (d) => {
            deltas.push(d);
            stopping ??= fleet.stopAgent("nova-chat");
          },
        }),
      );
      expect(error).toMatchObject({ errorClass: "stream_broken", retryable: true });
      expect(deltas.length).toBeGreaterThan(0);
      await stopping;

      const refused = await failureOf(callOpenAi(callOptions(agent, "explain: x()")));
      expect(refused).toMatchObject({ errorClass: "connect", retryable: true });
      expect(refused.message).toContain("ECONNREFUSED");
    } finally {
      await fleet.startAgent("nova-chat");
      fleet.configure("nova-chat", { tokensPerSecond: 0 });
    }
    expect((await callOpenAi(callOptions(agent, "explain: x()"))).text).toContain("nova-code");
  });

  it("is what callUpstream uses for OPENAI agents; MCP agents are refused", async () => {
    expect((await callUpstream(callOptions(atlas(), "route me"))).text).toBe("atlas-small: You said: route me");
    const mcp = snapshotAgent({ protocol: "MCP", name: "Calc", endpointUrl: "http://127.0.0.1:9/mcp" });
    const error = await failureOf(callUpstream(callOptions(mcp, "1+1")));
    expect(error).toMatchObject({ errorClass: "protocol", retryable: false });
    expect(error.message).toContain("MCP agents cannot answer chat requests");
  });
});
