import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FLEET, type Fleet } from "@/fleet";
import { specOf, startTestFleet } from "@/fleet/testing";
import { startGateway } from "@/server/gateway/server";
import type { RouteConfigInput } from "./schema";
import { callerFor, createMember, createOrg, createUser, expectOrgUnchanged, expectTRPCError, rand, type TestOrg, type TestUser } from "@/server/test/fixtures";

// "Try it" end to end: the real gateway, the real demo fleet, routes made through the API, and
// the console token minted by the procedure. Nothing is faked.

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

// The console reads HELIX_GATEWAY_URL once per process (per test file here), so the gateway's
// port is chosen before anything reads the environment.
const gatewayPort = await freePort();
process.env.HELIX_GATEWAY_URL = `http://127.0.0.1:${gatewayPort}`;

let fleet: Fleet;
let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
let spoolDir: string;
let owner: TestUser;
let org: TestOrg;
const routes: Record<"chat" | "failover" | "broken" | "travel" | "disabled", { id: string; alias: string }> = {} as never;

const caller = () => callerFor(owner);
const tryIt = (routeId: string, message = "Hello there", system?: string) => caller().route.tryIt({ orgSlug: org.slug, routeId, message, system });

beforeAll(async () => {
  const atlas = specOf("atlas-chat");
  fleet = await startTestFleet([...DEFAULT_FLEET, { ...atlas, id: "down-chat", name: "Down Chat" }, { ...atlas, id: "broken-chat", name: "Broken Chat" }]);
  owner = await createUser();
  org = await createOrg({ owner });

  const agentIds: Record<string, string> = {};
  for (const id of ["atlas-chat", "travel-planner", "down-chat", "broken-chat"]) {
    const spec = fleet.get(id);
    agentIds[id] = (await caller().agent.register({ orgSlug: org.slug, url: spec.url, name: spec.name, slug: id, tags: [] })).id;
  }
  const route = async (key: keyof typeof routes, config: Omit<RouteConfigInput, "name" | "slug" | "alias">) => {
    const alias = `${key}-${rand(3)}`;
    const created = await caller().route.create({ orgSlug: org.slug, name: `Try ${key}`, slug: alias, alias, ...config });
    routes[key] = { id: created.id, alias };
  };
  await route("chat", { targets: [{ agentId: agentIds["atlas-chat"]!, model: "atlas-small" }] });
  await route("failover", {
    strategy: "PRIORITY",
    maxRetries: 1,
    retryBudgetPercent: 100,
    targets: [
      { agentId: agentIds["down-chat"]!, priority: 0 },
      { agentId: agentIds["atlas-chat"]!, priority: 1 },
    ],
  });
  await route("broken", { maxRetries: 0, targets: [{ agentId: agentIds["broken-chat"]! }] });
  await route("travel", { targets: [{ agentId: agentIds["travel-planner"]! }] });
  await route("disabled", { targets: [{ agentId: agentIds["atlas-chat"]! }] });
  await caller().route.setEnabled({ orgSlug: org.slug, routeId: routes.disabled.id, enabled: false });

  // Agent behaviour after registration: discovery itself must succeed.
  await fleet.stopAgent("down-chat");
  fleet.configure("broken-chat", { errorRate: 1 });

  spoolDir = await mkdtemp(path.join(os.tmpdir(), "helix-try-it-spool-"));
  // Started after the routes exist, so its first snapshot already holds them.
  gateway = await startGateway({
    databaseUrl: process.env.DATABASE_URL!,
    port: gatewayPort,
    host: "127.0.0.1",
    spoolDir,
    authSecret: process.env.AUTH_SECRET,
    telemetry: false,
  });
});

afterAll(async () => {
  await gateway?.close();
  await fleet?.stop();
  if (spoolDir) await rm(spoolDir, { recursive: true, force: true });
});

describe("route.tryIt", () => {
  it("answers through the gateway and says which agent answered, in how many attempts", async () => {
    const result = await expectOrgUnchanged(org, () => tryIt(routes.chat.id, "Hello there", "Answer briefly."));
    expect(result).toMatchObject({ ok: true, status: 200, error: null });
    expect(result.answer).toContain("Hello there");
    expect(result.totalMs).toBeGreaterThanOrEqual(0);
    expect(result.helix).toMatchObject({ routeId: routes.chat.id, agentName: "Atlas Chat", failover: false });
    expect(result.helix!.requestId).toBeTruthy();
    expect(result.helix!.traceId).toBeTruthy();
    expect(result.helix!.attempts).toEqual([
      expect.objectContaining({ agentName: "Atlas Chat", protocol: "OPENAI", status: 200, errorClass: null, retry: false, failover: false }),
    ]);
  });

  it("reaches an A2A agent through the same OpenAI-shaped request", async () => {
    const result = await tryIt(routes.travel.id, "Plan a weekend in Lisbon");
    expect(result.ok).toBe(true);
    expect(result.answer).toBeTruthy();
    expect(result.helix).toMatchObject({ agentName: "Travel Planner" });
    expect(result.helix!.attempts.at(-1)).toMatchObject({ protocol: "A2A", errorClass: null });
  });

  it("shows the failover when the first agent cannot be reached", async () => {
    const result = await tryIt(routes.failover.id);
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.helix).toMatchObject({ agentName: "Atlas Chat", failover: true });
    const attempts = result.helix!.attempts;
    expect(attempts[0]).toMatchObject({ agentName: "Down Chat", errorClass: "connect" });
    expect(attempts.at(-1)).toMatchObject({ agentName: "Atlas Chat", errorClass: null, retry: true });
  });

  it("reports the gateway's error and the failed attempt when no agent answers", async () => {
    const result = await tryIt(routes.broken.id);
    expect(result.ok).toBe(false);
    expect(result.status).toBeGreaterThanOrEqual(500);
    expect(result.answer).toBeNull();
    expect(result.error).toBeTruthy();
    expect(result.helix?.attempts[0]).toMatchObject({ agentName: "Broken Chat", errorClass: "http_5xx", status: 500 });
  });

  it("refuses a disabled route with a message saying what to do", async () => {
    await expectTRPCError(tryIt(routes.disabled.id), "BAD_REQUEST", "enable it");
  });

  it("checks the input: an empty or an overlong message is a BAD_REQUEST", async () => {
    await expectTRPCError(tryIt(routes.chat.id, "   "), "BAD_REQUEST", "Write a message");
    await expectTRPCError(tryIt(routes.chat.id, "x".repeat(4001)), "BAD_REQUEST", "at most 4000");
  });

  it("is for editors and up: a viewer is FORBIDDEN", async () => {
    const viewer = await createMember(org, "VIEWER");
    await expectTRPCError(callerFor(viewer.user).route.tryIt({ orgSlug: org.slug, routeId: routes.chat.id, message: "Hi" }), "FORBIDDEN", "Editor");
  });

  it("treats another organization's route as not found", async () => {
    const stranger = await createUser();
    const own = await createOrg({ owner: stranger });
    await expectTRPCError(callerFor(stranger).route.tryIt({ orgSlug: own.slug, routeId: routes.chat.id, message: "Hi" }), "NOT_FOUND", "Route not found");
  });

  // Last: it stops the gateway.
  it("says how to start the gateway when it is not running", async () => {
    await gateway!.close();
    gateway = undefined;
    await expectTRPCError(tryIt(routes.chat.id), "BAD_REQUEST", /gateway at http:\/\/127\.0\.0\.1:\d+ is not reachable.*npm run gateway/);
  });
});
