import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { A2aAgentSpec } from "@/fleet/catalog";
import type { Fleet } from "@/fleet/index";
import { specOf, startTestFleet } from "@/fleet/testing";
import type { SnapshotAgent } from "../types";
import { callOptions, failureOf, snapshotAgent, streamed } from "./fixtures";
import { a2aPrompt, callA2a, callUpstream, closeUpstreams } from "./index";

const keyed: A2aAgentSpec = { ...(specOf("translator") as A2aAgentSpec), id: "translator-keyed", apiKey: "a2a-secret" };

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startTestFleet([specOf("translator"), specOf("doc-summarizer"), specOf("travel-planner"), keyed]);
});
afterAll(async () => {
  await closeUpstreams();
  await fleet.stop();
});

function a2aAgent(id: string, protocolVersion: string, fields: Partial<SnapshotAgent> = {}): SnapshotAgent {
  return snapshotAgent({ protocol: "A2A", name: id, endpointUrl: `${fleet.get(id).url}/a2a/jsonrpc`, protocolVersion, ...fields });
}

describe.each(["1.0", "0.3"])("callA2a, A2A v%s, against the fleet", (version) => {
  it("answers JSON with the task's artifact text and the task id", async () => {
    const result = await callA2a(callOptions(a2aAgent("translator", version), "translate to french: good morning"));
    expect(result.text).toBe("French: bon matin");
    expect(result.finishReason).toBe("stop");
    expect(result.usage).toBeNull();
    expect(result.upstreamId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.ttftMs).toBeGreaterThan(0);
  });

  it("streams artifact chunks that add up to the JSON answer", async () => {
    const agent = a2aAgent("doc-summarizer", version);
    const text = "summarize: The board approved the budget. Hiring resumes in May.";
    const json = await callA2a(callOptions(agent, text));
    expect(json.text).toBe("Summary: The board approved the budget. (9 words)");
    const { result, deltas } = await streamed(callA2a, callOptions(agent, text));
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join("")).toBe(json.text);
    expect(result).toMatchObject({ text: json.text, finishReason: "stop", usage: null });
    expect(result.upstreamId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.ttftMs).toBeGreaterThan(0);
  });

  it("maps injected failures (HTTP 500, JSON-RPC -32603) to http_5xx, retryable", async () => {
    fleet.configure("travel-planner", { errorRate: 1 });
    try {
      const agent = a2aAgent("travel-planner", version);
      const json = await failureOf(callA2a(callOptions(agent, "Plan a 2 day trip to Rome")));
      expect(json).toMatchObject({ errorClass: "http_5xx", status: 500, retryable: true });
      expect(json.message).toContain("injected by the demo fleet");
      const stream = await failureOf(streamed(callA2a, callOptions(agent, "Plan a 2 day trip to Rome")));
      expect(stream).toMatchObject({ errorClass: "http_5xx", retryable: true });
    } finally {
      fleet.configure("travel-planner", { errorRate: 0 });
    }
  });

  it("sends the credential: without it 401 is http_4xx; with it the agent answers", async () => {
    const bare = a2aAgent("translator-keyed", version);
    const error = await failureOf(callA2a(callOptions(bare, "translate: hello")));
    expect(error).toMatchObject({ errorClass: "http_4xx", status: 401, retryable: false });
    expect(error.message).toContain("Unauthorized");
    const agent = { ...bare, credential: { header: "authorization", value: "Bearer a2a-secret" } };
    expect((await callA2a(callOptions(agent, "translate: hello"))).text).toBe("Spanish: hola");
    expect((await streamed(callA2a, callOptions(agent, "translate: hello friend"))).deltas.join("")).toBe("Spanish: hola amigo");
  });
});

describe("callA2a failures against the fleet", () => {
  it("reports a stream cut mid-answer as stream_broken and a stopped agent as connect", async () => {
    const agent = a2aAgent("travel-planner", "1.0");
    fleet.configure("travel-planner", { tokensPerSecond: 20 });
    try {
      const deltas: string[] = [];
      let stopping: Promise<void> | undefined;
      const opts = callOptions(agent, "Plan a 3 day trip to Rome", { stream: true });
      const error = await failureOf(
        callA2a({
          ...opts,
          onDelta: (d) => {
            deltas.push(d);
            stopping ??= fleet.stopAgent("travel-planner");
          },
        }),
      );
      expect(error).toMatchObject({ errorClass: "stream_broken", retryable: true });
      expect(deltas.length).toBeGreaterThan(0);
      await stopping;
      const refused = await failureOf(callA2a(callOptions(agent, "Plan a 3 day trip to Rome")));
      expect(refused).toMatchObject({ errorClass: "connect", retryable: true });
    } finally {
      await fleet.startAgent("travel-planner");
      fleet.configure("travel-planner", { tokensPerSecond: 0 });
    }
  });

  it("times out via the call's signal", async () => {
    fleet.configure("translator", { latencyMedianMs: 2_000, latencyP99Ms: 3_000 });
    try {
      const opts = { ...callOptions(a2aAgent("translator", "0.3"), "translate: hello"), signal: AbortSignal.timeout(100) };
      expect(await failureOf(callA2a(opts))).toMatchObject({ errorClass: "timeout", retryable: true });
    } finally {
      fleet.configure("translator", { latencyMedianMs: 0, latencyP99Ms: 0 });
    }
  });

  it("is what callUpstream uses for A2A agents", async () => {
    const result = await callUpstream(callOptions(a2aAgent("translator", "1.0"), "translate to german: thank you"));
    expect(result.text).toBe("German: danke du");
  });

  it("sends a conversation as a transcript the agent sees in one message", async () => {
    const agent = a2aAgent("doc-summarizer", "1.0");
    const result = await callA2a(
      callOptions(agent, [
        { role: "user", content: "summarize: Sales grew." },
        { role: "assistant", content: "Summary: Sales grew." },
        { role: "user", content: "again" },
      ]),
    );
    // The summarizer answers the transcript's first sentence and its word count.
    expect(result.text).toBe("Summary: user: summarize: Sales grew. (10 words)");
  });
});

describe("a2aPrompt", () => {
  it("keeps a lone user message as is", () => {
    expect(a2aPrompt([{ role: "user", content: "translate: hello" }])).toBe("translate: hello");
  });

  it("writes a conversation as a transcript", () => {
    expect(
      a2aPrompt([
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi", name: "ana" },
        { role: "assistant", content: "Hello!" },
        { role: "user", content: "Plan a trip" },
      ]),
    ).toBe("system: Be brief.\nuser (ana): Hi\nassistant: Hello!\nuser: Plan a trip");
  });

  it("asks to continue a trailing assistant message", () => {
    expect(
      a2aPrompt([
        { role: "user", content: "Count to five" },
        { role: "assistant", content: "1, 2, 3" },
      ]),
    ).toBe("user: Count to five\n\nContinue the assistant's answer exactly where it stops: 1, 2, 3");
    expect(a2aPrompt([{ role: "assistant", content: "Once upon" }])).toBe("Continue the assistant's answer exactly where it stops: Once upon");
  });
});
