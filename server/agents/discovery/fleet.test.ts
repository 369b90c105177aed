import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type Fleet } from "@/fleet";
import { INSTANT } from "@/fleet/testing";
import { discover, probeHealth } from "./index";

const network = { allowPrivateNetworks: true };

// Every demo agent, registered the way a user would: by the URL the fleet says to paste.
describe("discovery against the demo fleet", () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({ basePort: 0, behaviour: INSTANT });
  });
  afterAll(() => fleet.stop());

  it("has agents of every protocol", () => {
    expect(new Set(fleet.agents.map((a) => a.protocol))).toEqual(new Set(["A2A", "MCP", "OPENAI"]));
  });

  it("detects each agent's protocol from its URL and finds its skills", async () => {
    for (const agent of fleet.agents) {
      const d = await discover({ url: agent.url, network });
      expect(d.protocol, agent.id).toBe(agent.protocol);
      expect(d.skills.length, agent.id).toBeGreaterThan(0);
      if (agent.protocol === "MCP") expect(d.skills.map((s) => s.key).sort(), agent.id).toEqual([...agent.skills].sort());
      if (agent.protocol === "A2A") expect(d.skills.map((s) => s.name), agent.id).toEqual(expect.arrayContaining(agent.skills));
      if (agent.protocol === "OPENAI") expect(d.skills.every((s) => s.kind === "model"), agent.id).toBe(true);
      expect(JSON.parse(JSON.stringify(d.document)), agent.id).toEqual(d.document);

      // The endpoint it found is one a health probe accepts.
      const probe = await probeHealth({ protocol: d.protocol, endpointUrl: d.endpointUrl, network });
      expect(probe, agent.id).toMatchObject({ ok: true, error: null });
    }
  });

  it("discovers each agent with its protocol named too", async () => {
    for (const agent of fleet.agents) {
      const d = await discover({ url: agent.url, protocol: agent.protocol, network });
      expect(d.skills.length, agent.id).toBeGreaterThan(0);
    }
  });

  it("sees an agent go down and come back", async () => {
    const agent = fleet.agents.find((a) => a.protocol === "A2A")!;
    await fleet.stopAgent(agent.id);
    const down = await probeHealth({ protocol: "A2A", endpointUrl: agent.url, network });
    expect(down).toMatchObject({ ok: false, error: expect.stringContaining("connection refused") });
    await fleet.startAgent(agent.id);
    expect((await probeHealth({ protocol: "A2A", endpointUrl: agent.url, network })).ok).toBe(true);
  });
});
