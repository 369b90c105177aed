import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OpenAiAgentSpec } from "./catalog";
import type { Fleet } from "./index";
import { specOf, startTestFleet } from "./testing";

const keyed: OpenAiAgentSpec = { ...(specOf("atlas-chat") as OpenAiAgentSpec), id: "atlas-keyed", apiKey: "sk-fleet-test" };

let fleet: Fleet;
const client = (id: string, apiKey = "sk-unused") => new OpenAI({ baseURL: fleet.get(id).url, apiKey, maxRetries: 0, timeout: 10_000 });

beforeAll(async () => {
  fleet = await startTestFleet([specOf("atlas-chat"), specOf("nova-chat"), keyed]);
});
afterAll(() => fleet.stop());

describe("OpenAI-compatible agents (official openai client)", () => {
  it("registers with a base URL ending in /v1 and lists its models", async () => {
    expect(fleet.get("atlas-chat").url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const models = await client("atlas-chat").models.list();
    expect(models.data.map((m) => m.id)).toEqual(["atlas-small", "atlas-large"]);
    expect(models.data[0]).toMatchObject({ object: "model", owned_by: "helix-fleet" });
    const nova = await client("nova-chat").models.retrieve("nova-code");
    expect(nova.id).toBe("nova-code");
  });

  it("answers a chat completion deterministically, with usage", async () => {
    const request = {
      model: "atlas-small",
      messages: [
        { role: "system" as const, content: "You are terse." },
        { role: "user" as const, content: "hello   there" },
      ],
    };
    const first = await client("atlas-chat").chat.completions.create(request);
    const second = await client("atlas-chat").chat.completions.create(request);
    expect(first.choices[0]?.message.content).toBe("atlas-small: You said: hello there");
    expect(second.choices[0]?.message.content).toBe(first.choices[0]?.message.content);
    expect(first.choices[0]?.finish_reason).toBe("stop");
    expect(first.object).toBe("chat.completion");
    expect(first.usage).toEqual({ prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 });
  });

  it("summarizes and explains code", async () => {
    const summary = await client("atlas-chat").chat.completions.create({
      model: "atlas-large",
      messages: [{ role: "user", content: "summarize: The launch went well. Costs were lower than planned." }],
    });
    expect(summary.choices[0]?.message.content).toBe("atlas-large: Summary: The launch went well. (9 words)");

    const code = await client("nova-chat").chat.completions.create({
      model: "nova-code",
      messages: [{ role: "user", content: [{ type: "text", text: "explain: function add(a, b) {\n  return sum(a, b);\n}" }] }],
    });
    expect(code.choices[0]?.message.content).toBe(
      "nova-code: This looks like JavaScript: 3 lines. It defines add. It calls sum.",
    );
  });

  it("streams SSE chunks that add up to the JSON answer, with a final usage chunk", async () => {
    const request = { model: "atlas-small", messages: [{ role: "user" as const, content: "one two three four" }] };
    const whole = await client("atlas-chat").chat.completions.create(request);
    const stream = await client("atlas-chat").chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
    const deltas: string[] = [];
    const finishReasons: (string | null)[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      expect(chunk.object).toBe("chat.completion.chunk");
      for (const choice of chunk.choices) {
        if (choice.delta.content) deltas.push(choice.delta.content);
        finishReasons.push(choice.finish_reason);
      }
      if (chunk.usage) usage = chunk.usage;
    }
    expect(deltas.join("")).toBe(whole.choices[0]?.message.content);
    expect(deltas.length).toBe(whole.usage?.completion_tokens);
    expect(finishReasons.at(-1)).toBe("stop");
    expect(usage).toEqual(whole.usage);
    expect(chunks).toBe(deltas.length + 3); // role chunk, content chunks, finish chunk, usage chunk
  });

  it("streams without usage unless asked", async () => {
    const stream = await client("atlas-chat").chat.completions.create({
      model: "atlas-small",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    const usages: unknown[] = [];
    for await (const chunk of stream) usages.push(chunk.usage);
    expect(usages.every((u) => u === undefined)).toBe(true);
  });

  it("stops at max_tokens with finish_reason length", async () => {
    const res = await client("atlas-chat").chat.completions.create({
      model: "atlas-small",
      max_tokens: 3,
      messages: [{ role: "user", content: "a b c d e f g" }],
    });
    expect(res.choices[0]?.message.content).toBe("atlas-small: You said:");
    expect(res.choices[0]?.finish_reason).toBe("length");
    expect(res.usage?.completion_tokens).toBe(3);
  });

  it("answers errors in OpenAI's shape", async () => {
    const unknownModel = await client("atlas-chat")
      .chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(unknownModel).toBeInstanceOf(OpenAI.NotFoundError);
    expect((unknownModel as InstanceType<typeof OpenAI.NotFoundError>).code).toBe("model_not_found");

    const badRequest = await fetch(`${fleet.get("atlas-chat").url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "atlas-small", messages: [] }),
    });
    expect(badRequest.status).toBe(400);
    const body = (await badRequest.json()) as { error: { message: string; type: string; code: unknown; param: unknown } };
    expect(body.error).toMatchObject({ type: "invalid_request_error", param: "messages" });
    expect(body.error.message).toContain("messages");
  });

  it("requires the API key when the spec sets one", async () => {
    const missing = await fetch(`${fleet.get("atlas-keyed").url}/models`);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("invalid_api_key");

    const wrong = await client("atlas-keyed", "sk-wrong")
      .models.list()
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((wrong as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);

    const ok = await client("atlas-keyed", "sk-fleet-test").chat.completions.create({
      model: "atlas-small",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(ok.choices[0]?.message.content).toBe("atlas-small: You said: hi");
  });

  it("fails every request at errorRate 1 (HTTP 500) but keeps answering the models probe", async () => {
    fleet.configure("nova-chat", { errorRate: 1 });
    try {
      const error = await client("nova-chat")
        .chat.completions.create({ model: "nova-code", messages: [{ role: "user", content: "x" }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      expect((error as InstanceType<typeof OpenAI.InternalServerError>).error).toMatchObject({
        type: "server_error",
        code: "fleet_injected_failure",
      });
      const streamError = await client("nova-chat")
        .chat.completions.create({ model: "nova-code", messages: [{ role: "user", content: "x" }], stream: true })
        .catch((e: unknown) => e);
      expect(streamError).toBeInstanceOf(OpenAI.InternalServerError);
      expect((await client("nova-chat").models.list()).data).toHaveLength(1);

      fleet.configure("nova-chat", { affectsProbes: true });
      await expect(client("nova-chat").models.list()).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    } finally {
      fleet.configure("nova-chat", { errorRate: 0, affectsProbes: false });
    }
  });
});
