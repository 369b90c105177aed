import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FLEET, type OpenAiAgentSpec } from "./catalog";
import { startControlServer, startDemoFleet, type AgentStatus, type ControlServer } from "./control";
import { startFleet, type Fleet } from "./index";
import { connectionError, INSTANT, specOf, startTestFleet } from "./testing";

const chat = (url: string, content = "hello", stream = false) =>
  fetch(`${url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "atlas-small", messages: [{ role: "user", content }], stream }),
  });

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("the default fleet", () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startTestFleet();
  });
  afterAll(() => fleet.stop());

  it("starts seven agents over three protocols with distinct skills and registration URLs", () => {
    expect(fleet.agents).toHaveLength(7);
    expect(fleet.agents.map((a) => a.protocol).sort()).toEqual(["A2A", "A2A", "A2A", "MCP", "MCP", "OPENAI", "OPENAI"]);
    expect(new Set(fleet.agents.map((a) => a.port)).size).toBe(7);
    for (const agent of fleet.agents) {
      expect(agent.skills.length).toBeGreaterThan(1);
      expect(agent.description.length).toBeGreaterThan(30);
      const suffix = { OPENAI: "/v1", MCP: "/mcp", A2A: "" }[agent.protocol];
      expect(agent.url).toBe(`http://127.0.0.1:${agent.port}${suffix}`);
    }
    expect(fleet.get("travel-planner").skills).toEqual(["Flight search", "Hotel booking", "Itinerary planning"]);
    expect(fleet.get("calc-tools").skills).toEqual(["add", "subtract", "multiply", "divide", "evaluate"]);
    expect(() => fleet.get("nope")).toThrow(/unknown agent/);
  });

  it("answers every agent's health probe", async () => {
    for (const agent of fleet.agents) {
      const res =
        agent.protocol === "OPENAI"
          ? await fetch(`${agent.url}/models`)
          : agent.protocol === "A2A"
            ? await fetch(`${agent.url}/.well-known/agent-card.json`)
            : await fetch(agent.url, {
                method: "POST",
                headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
                body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
              });
      expect(res.status, agent.id).toBe(200);
      await res.arrayBuffer();
    }
  });
});

describe("behaviour at run time", () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startTestFleet([specOf("atlas-chat"), specOf("translator"), specOf("text-tools")]);
  });
  afterAll(() => fleet.stop());

  it("stopAgent refuses connections; startAgent comes back on the same port", async () => {
    for (const id of ["atlas-chat", "translator", "text-tools"]) {
      const { url, port } = fleet.get(id);
      await fleet.stopAgent(id);
      expect(fleet.isRunning(id)).toBe(false);
      expect(fleet.behaviour(id).down).toBe(true);
      expect(await connectionError(url)).toBe("ECONNREFUSED");
      await fleet.stopAgent(id); // idempotent
      await fleet.startAgent(id);
      expect(fleet.get(id).port).toBe(port);
      expect(fleet.behaviour(id).down).toBe(false);
      expect(await connectionError(url)).toBeUndefined();
    }
    const res = await chat(fleet.get("atlas-chat").url);
    expect(res.status).toBe(200);
  });

  it("stopAgent cuts streams in flight", async () => {
    fleet.configure("atlas-chat", { ttftMs: 10_000 });
    try {
      const res = await chat(fleet.get("atlas-chat").url, "long answer", true);
      expect(res.status).toBe(200);
      const reading = res.text();
      await fleet.stopAgent("atlas-chat");
      await expect(reading).rejects.toThrow();
    } finally {
      fleet.configure("atlas-chat", { ttftMs: 0 });
      await fleet.startAgent("atlas-chat");
    }
  });

  it("configure({ down }) closes and reopens the listener", async () => {
    const { url } = fleet.get("translator");
    fleet.configure("translator", { down: true });
    expect(fleet.behaviour("translator").down).toBe(true);
    await waitFor(async () => (await connectionError(url)) === "ECONNREFUSED");
    fleet.configure("translator", { down: false });
    await waitFor(async () => (await connectionError(`${url}/.well-known/agent-card.json`)) === undefined);
    expect(fleet.isRunning("translator")).toBe(true);
  });

  it("applies latency changes (generous bounds)", async () => {
    const url = fleet.get("atlas-chat").url;
    fleet.configure("atlas-chat", { latencyMedianMs: 150, latencyP99Ms: 150 });
    const slow = await timed(() => chat(url));
    expect(slow.value.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(140);
    // probes stay fast unless affectsProbes is set
    const probe = await timed(() => fetch(`${url}/models`));
    expect(probe.ms).toBeLessThan(140);
    fleet.configure("atlas-chat", { latencyMedianMs: 0, latencyP99Ms: 0 });
    const fast = await timed(() => chat(url));
    expect(fast.ms).toBeLessThan(slow.ms);
  });

  it("waits ttftMs before the first streamed token", async () => {
    fleet.configure("atlas-chat", { ttftMs: 120, tokensPerSecond: 0 });
    try {
      const start = performance.now();
      const res = await chat(fleet.get("atlas-chat").url, "a b c", true);
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = "";
      let firstContentAt: number | undefined;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += value;
        if (firstContentAt === undefined && text.includes('"content":"atlas')) firstContentAt = performance.now() - start;
      }
      expect(firstContentAt).toBeGreaterThanOrEqual(110);
      expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    } finally {
      fleet.configure("atlas-chat", { ttftMs: 0 });
    }
  });

  it("rejects invalid behaviour and unknown agents", () => {
    expect(() => fleet.configure("atlas-chat", { errorRate: -0.1 })).toThrow(/errorRate/);
    expect(() => fleet.configure("atlas-chat", { latencyMedianMs: 10, latencyP99Ms: 5 })).toThrow(/latencyP99Ms/);
    expect(() => fleet.configure("ghost", { errorRate: 0 })).toThrow(/unknown agent/);
    expect(fleet.behaviour("atlas-chat").errorRate).toBe(0);
  });
});

describe("reproducibility", () => {
  it("the same seed gives the same failures and answers", async () => {
    const spec = { ...(specOf("atlas-chat") as OpenAiAgentSpec), behaviour: { ...INSTANT, errorRate: 0.5 } };
    const run = async (seed: number) => {
      const fleet = await startFleet({ basePort: 0, agents: [spec], seed });
      try {
        const outcomes: string[] = [];
        for (let i = 0; i < 16; i++) {
          const res = await chat(fleet.get("atlas-chat").url, `message ${i}`);
          const body = (await res.json()) as { choices?: { message: { content: string } }[] };
          outcomes.push(res.status === 200 ? (body.choices?.[0]?.message.content ?? "") : String(res.status));
        }
        return outcomes;
      } finally {
        await fleet.stop();
      }
    };
    const first = await run(5);
    expect(await run(5)).toEqual(first);
    expect(first).toContain("500");
    const answered = first.map((outcome, i) => [outcome, i] as const).filter(([outcome]) => outcome !== "500");
    expect(answered.length).toBeGreaterThan(0);
    for (const [outcome, i] of answered) expect(outcome).toBe(`atlas-small: You said: message ${i}`);
    expect(await run(6)).not.toEqual(first);
  });
});

describe("control API", () => {
  let fleet: Fleet;
  let control: ControlServer;
  beforeAll(async () => {
    fleet = await startTestFleet([specOf("atlas-chat"), specOf("calc-tools")]);
    control = await startControlServer(fleet);
  });
  afterAll(async () => {
    await control.close();
    await fleet.stop();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(control.url + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it("lists agents with behaviour", async () => {
    const { status, body } = await call("GET", "/agents");
    expect(status).toBe(200);
    const agents = body as AgentStatus[];
    expect(agents.map((a) => a.id)).toEqual(["atlas-chat", "calc-tools"]);
    expect(agents[0]).toMatchObject({ protocol: "OPENAI", url: fleet.get("atlas-chat").url, running: true, behaviour: { errorRate: 0 } });
  });

  it("patches behaviour, validating input", async () => {
    const ok = await call("PATCH", "/agents/atlas-chat", { errorRate: 0.25, latencyMedianMs: 5, latencyP99Ms: 20 });
    expect(ok.status).toBe(200);
    expect((ok.body as AgentStatus).behaviour).toMatchObject({ errorRate: 0.25, latencyMedianMs: 5, latencyP99Ms: 20 });
    expect(fleet.behaviour("atlas-chat").errorRate).toBe(0.25);

    for (const bad of [{ errorRate: 2 }, { latencyMedianMs: "fast" }, { colour: "red" }, { latencyP99Ms: 1 }, [1, 2]]) {
      const res = await call("PATCH", "/agents/atlas-chat", bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect((res.body as { error: string }).error).toMatch(/^Invalid behaviour patch: /);
    }
    const notJson = await fetch(`${control.url}/agents/atlas-chat`, { method: "PATCH", body: "{nope" });
    expect(notJson.status).toBe(400);
    expect(fleet.behaviour("atlas-chat").errorRate).toBe(0.25);
    await call("PATCH", "/agents/atlas-chat", { errorRate: 0 });
  });

  it("stops and starts agents, also through PATCH { down }", async () => {
    const { url } = fleet.get("calc-tools");
    expect((await call("POST", "/agents/calc-tools/stop")).body).toMatchObject({ running: false, behaviour: { down: true } });
    expect(await connectionError(url)).toBe("ECONNREFUSED");
    expect((await call("POST", "/agents/calc-tools/start")).body).toMatchObject({ running: true, behaviour: { down: false } });
    expect(await connectionError(url)).toBeUndefined();
    expect((await call("PATCH", "/agents/calc-tools", { down: true })).body).toMatchObject({ running: false });
    expect(await connectionError(url)).toBe("ECONNREFUSED");
    expect((await call("PATCH", "/agents/calc-tools", { down: false })).body).toMatchObject({ running: true });
  });

  it("answers 404 for unknown agents and routes, 405 for wrong methods", async () => {
    expect((await call("GET", "/agents/ghost")).status).toBe(404);
    expect((await call("POST", "/agents/ghost/stop")).status).toBe(404);
    expect((await call("GET", "/nothing")).status).toBe(404);
    expect((await call("GET", "/agents/calc-tools/stop")).status).toBe(405);
    expect((await call("DELETE", "/agents")).status).toBe(405);
  });

  it("startDemoFleet puts the control API one port below the fleet", async () => {
    const demo = await startDemoFleet({ basePort: 0, agents: [specOf("text-tools")] });
    try {
      const res = await fetch(`${demo.control.url}/agents`);
      expect(((await res.json()) as AgentStatus[])[0]?.id).toBe("text-tools");
    } finally {
      await demo.stop();
    }
  });
});

describe("CLI", () => {
  it("prints every agent's name, protocol and URL, and exits cleanly on SIGTERM", async () => {
    const main = fileURLToPath(new URL("./main.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", main], {
      env: { ...process.env, FLEET_BASE_PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    try {
      await waitFor(async () => output.includes("Ctrl-C stops the fleet."), 15_000);
      for (const spec of DEFAULT_FLEET) expect(output).toContain(spec.name);
      expect(output).toMatch(/Calculator Tools\s+MCP\s+http:\/\/127\.0\.0\.1:\d+\/mcp/);
      expect(output).toMatch(/Atlas Chat\s+OPENAI\s+http:\/\/127\.0\.0\.1:\d+\/v1/);
      const controlUrl = /Control API: (http:\/\/\S+)\/agents/.exec(output)?.[1];
      const agents = (await (await fetch(`${controlUrl}/agents`)).json()) as AgentStatus[];
      expect(agents).toHaveLength(DEFAULT_FLEET.length);
    } finally {
      child.kill("SIGTERM");
    }
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(0);
    expect(output).toContain("SIGTERM: stopping the fleet");
  }, 30_000);
});
