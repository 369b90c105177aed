import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import { startTestFleet, specOf } from "@/fleet/testing";
import type { Fleet } from "@/fleet";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { callerFor, createOrg, createUser } from "@/server/test/fixtures";
import { createBoss, QUEUES, registerQueues, startWorkers } from "./queues";

// The real queue: jobs go through pg-boss tables in this run's database and a worker picks them up.
let fleet: Fleet;
let boss: PgBoss;

beforeAll(async () => {
  fleet = await startTestFleet([specOf("atlas-chat")]);
  boss = createBoss(env().DATABASE_URL);
  await boss.start();
  await registerQueues(boss);
  await startWorkers({ boss, db: db() });
});
afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
  await fleet?.stop();
});

describe("background jobs", () => {
  it("a queued health round probes the agents, and a queued rediscovery rediscovers one", async () => {
    const owner = await createUser();
    const org = await createOrg({ owner });
    const agent = await callerFor(owner).agent.register({ orgSlug: org.slug, url: fleet.get("atlas-chat").url, tags: [] });

    await boss.send(QUEUES.healthRound, {});
    await expect.poll(() => db().agentHealthCheck.count({ where: { agentId: agent.id } }), { timeout: 20_000, interval: 250 }).toBeGreaterThan(0);

    await boss.send(QUEUES.rediscoverAgent, { agentId: agent.id });
    await expect
      .poll(() => db().agentDiscovery.count({ where: { agentId: agent.id, trigger: "schedule" } }), { timeout: 20_000, interval: 250 })
      .toBeGreaterThan(0);
  });
});
