import { randomUUID } from "node:crypto";
import { Role, TaskState, type Message, type SendMessageRequest, type StreamResponse, type Task } from "@a2a-js/sdk";
import { Client, ClientFactory } from "@a2a-js/sdk/client";
import { LegacyJsonRpcTransport } from "@a2a-js/sdk/compat/v0_3/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { A2aAgentSpec } from "./catalog";
import type { Fleet } from "./index";
import { specOf, startTestFleet } from "./testing";

const keyed: A2aAgentSpec = { ...(specOf("translator") as A2aAgentSpec), id: "translator-keyed", apiKey: "a2a-secret" };

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startTestFleet([specOf("travel-planner"), specOf("translator"), specOf("doc-summarizer"), keyed]);
});
afterAll(() => fleet.stop());

function request(text: string): SendMessageRequest {
  const message: Message = {
    messageId: randomUUID(),
    contextId: "",
    taskId: "",
    role: Role.ROLE_USER,
    parts: [{ content: { $case: "text", value: text }, metadata: undefined, filename: "", mediaType: "text/plain" }],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
  return { tenant: "", message, configuration: undefined, metadata: undefined };
}

function asTask(result: Message | Task): Task {
  if (!("status" in result)) throw new Error("expected a task, got a message");
  return result;
}

function artifactText(task: Task): string {
  return task.artifacts
    .flatMap((a) => a.parts)
    .map((p) => (p.content?.$case === "text" ? p.content.value : ""))
    .join("");
}

async function collect(stream: AsyncGenerator<StreamResponse>): Promise<StreamResponse[]> {
  const events: StreamResponse[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function streamedText(events: StreamResponse[]): string {
  return events
    .map((e) => (e.payload?.$case === "artifactUpdate" ? (e.payload.value.artifact?.parts ?? []) : []))
    .flat()
    .map((p) => (p.content?.$case === "text" ? p.content.value : ""))
    .join("");
}

const rpc = async (url: string, method: string, params: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${url}/a2a/jsonrpc`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ jsonrpc: "2.0", id: 7, method, params }),
  });
  return { status: res.status, body: (await res.json()) as { result?: Record<string, unknown>; error?: { code: number; message: string } } };
};

describe("A2A agents (official @a2a-js/sdk client)", () => {
  it("serves a v1.0 agent card with skills, provider and streaming", async () => {
    const client = await new ClientFactory().createFromUrl(fleet.get("travel-planner").url);
    const card = await client.getAgentCard();
    expect(card.name).toBe("Travel Planner");
    expect(card.version).toBe("1.0.0");
    expect(card.provider?.organization).toBe("HelixAgent demo fleet");
    expect(card.capabilities?.streaming).toBe(true);
    expect(card.skills.map((s) => s.id)).toEqual(["flight-search", "hotel-booking", "itinerary-planning"]);
    for (const skill of card.skills) {
      expect(skill.description).not.toBe("");
      expect(skill.tags.length).toBeGreaterThan(0);
      expect(skill.examples.length).toBeGreaterThan(0);
      expect(skill.inputModes).toEqual(["text/plain"]);
      expect(skill.outputModes).toEqual(["text/plain"]);
    }
    expect(card.supportedInterfaces.map((i) => [i.protocolBinding, i.protocolVersion])).toEqual([
      ["JSONRPC", "1.0"],
      ["JSONRPC", "0.3"],
    ]);
    expect(client.protocolVersion).toBe("1.0");
  });

  it("serves the v0.3 card without an A2A-Version header, at both well-known paths", async () => {
    const base = fleet.get("translator").url;
    for (const path of ["/.well-known/agent-card.json", "/.well-known/agent.json"]) {
      const res = await fetch(base + path);
      expect(res.status).toBe(200);
      const card = (await res.json()) as Record<string, unknown>;
      expect(card).toMatchObject({ name: "Translator", protocolVersion: "0.3", url: `${base}/a2a/jsonrpc`, preferredTransport: "JSONRPC" });
      expect((card.skills as { id: string }[]).map((s) => s.id)).toEqual(["translate-text", "detect-language"]);
    }
  });

  it("answers SendMessage with a completed task and a deterministic artifact", async () => {
    const client = await new ClientFactory().createFromUrl(fleet.get("translator").url);
    const task = asTask(await client.sendMessage(request("translate to French: hello world")));
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(artifactText(task)).toBe("French: bonjour monde");
    const again = asTask(await client.sendMessage(request("translate to French: hello world")));
    expect(artifactText(again)).toBe(artifactText(task));

    const fetched = await client.getTask({ tenant: "", id: task.id, historyLength: undefined });
    expect(fetched.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);

    const detect = asTask(await client.sendMessage(request("detect language: hola mundo")));
    expect(artifactText(detect)).toBe("Detected language: Spanish (es), confidence 1.");
  });

  it("streams SendStreamingMessage: task, working, artifact chunks, completed", async () => {
    const client = await new ClientFactory().createFromUrl(fleet.get("doc-summarizer").url);
    const text = "summarize: The board approved the budget. Hiring resumes in May.";
    const events = await collect(client.sendMessageStream(request(text)));
    const kinds = events.map((e) => e.payload?.$case);
    expect(kinds[0]).toBe("task");
    expect(kinds[1]).toBe("statusUpdate");
    expect(kinds.filter((k) => k === "artifactUpdate").length).toBeGreaterThan(3);
    const last = events.at(-1)?.payload;
    expect(last?.$case === "statusUpdate" && last.value.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(streamedText(events)).toBe("Summary: The board approved the budget. (9 words)");
  });

  it("speaks v0.3 (message/send, message/stream) to the SDK's legacy transport", async () => {
    const base = fleet.get("travel-planner").url;
    const card = await (await new ClientFactory().createFromUrl(base)).getAgentCard();
    const legacy = new Client(new LegacyJsonRpcTransport({ endpoint: `${base}/a2a/jsonrpc` }), card);
    expect(legacy.protocolVersion).toBe("0.3");
    const task = asTask(await legacy.sendMessage(request("Book a hotel in Porto for 2 nights")));
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(artifactText(task)).toMatch(/^Hotel booking: .+ in Porto, 2 nights at \d+ EUR per night, total \d+ EUR/);
    const events = await collect(legacy.sendMessageStream(request("Book a hotel in Porto for 2 nights")));
    expect(streamedText(events)).toBe(artifactText(task));
  });

  it("routes by method name whatever the A2A-Version header says", async () => {
    const base = fleet.get("translator").url;
    const v1 = await rpc(base, "SendMessage", { message: { messageId: "m1", role: "ROLE_USER", parts: [{ text: "translate: thanks friend" }] } });
    expect(v1.status).toBe(200);
    expect(JSON.stringify(v1.body.result)).toContain("Spanish: gracias amigo");
    const legacy = await rpc(
      base,
      "message/send",
      { message: { kind: "message", messageId: "m2", role: "user", parts: [{ kind: "text", text: "translate: thanks friend" }] } },
      { "A2A-Version": "1.0" },
    );
    expect(legacy.body.result).toMatchObject({ kind: "task", status: { state: "completed" } });
    const unknown = await rpc(base, "tasks/teleport", {});
    expect(unknown.body.error?.code).toBe(-32601);
  });

  it("cancels a streaming task", async () => {
    fleet.configure("travel-planner", { ttftMs: 10_000 });
    try {
      const client = await new ClientFactory().createFromUrl(fleet.get("travel-planner").url);
      const stream = client.sendMessageStream(request("Plan a 2 day trip to Rome"));
      const first = await stream.next();
      const task = first.value?.payload;
      if (task?.$case !== "task") throw new Error("expected the task first");
      const canceled = await client.cancelTask({ tenant: "", id: task.value.id, metadata: undefined });
      expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
      const rest: StreamResponse[] = [];
      for await (const event of stream) rest.push(event);
      const last = rest.at(-1)?.payload;
      expect(last?.$case === "statusUpdate" && last.value.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    } finally {
      fleet.configure("travel-planner", { ttftMs: 0 });
    }
  });

  it("fails sends at errorRate 1 with HTTP 500 and a JSON-RPC error; the card still answers", async () => {
    fleet.configure("doc-summarizer", { errorRate: 1 });
    try {
      const base = fleet.get("doc-summarizer").url;
      const client = await new ClientFactory().createFromUrl(base);
      await expect(client.sendMessage(request("summarize: x"))).rejects.toThrow();
      await expect(collect(client.sendMessageStream(request("summarize: x")))).rejects.toThrow();
      const raw = await rpc(base, "message/send", { message: { kind: "message", messageId: "m", role: "user", parts: [{ kind: "text", text: "x" }] } });
      expect(raw.status).toBe(500);
      expect(raw.body.error?.code).toBe(-32603);
    } finally {
      fleet.configure("doc-summarizer", { errorRate: 0 });
    }
  });

  it("requires the bearer key on the JSON-RPC endpoint when the spec sets one; the card stays public", async () => {
    const base = fleet.get("translator-keyed").url;
    const client = await new ClientFactory().createFromUrl(base);
    const card = await client.getAgentCard();
    expect(card.securitySchemes.bearer?.scheme).toMatchObject({ $case: "httpAuthSecurityScheme", value: { scheme: "Bearer" } });
    const raw = (await (await fetch(`${base}/.well-known/agent-card.json`, { headers: { "A2A-Version": "1.0" } })).json()) as {
      securitySchemes: unknown;
    };
    expect(raw.securitySchemes).toEqual({ bearer: { httpAuthSecurityScheme: { description: "Bearer API key", scheme: "Bearer" } } });
    await expect(client.sendMessage(request("translate: hello"))).rejects.toThrow();
    const task = asTask(
      await client.sendMessage(request("translate: hello"), { serviceParameters: { Authorization: "Bearer a2a-secret" } }),
    );
    expect(artifactText(task)).toBe("Spanish: hola");
  });
});
