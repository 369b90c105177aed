/**
 * Test worlds for the gateway: an organization whose agents are real fleet agents, routes over
 * them, API keys, and a gateway started on a free port against the test database.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { db } from "@/server/db";
import { newApiKey } from "@/server/api-keys/secret";
import type { Fleet } from "@/fleet";
import type { RouteStrategy } from "@/server/generated/prisma/enums";
import { createOrg, createUser, rand, type TestOrg } from "@/server/test/fixtures";
import { startGateway, type Gateway, type GatewayOptions } from "./server";

export const TEST_AUTH_SECRET = "helix-server-tests-auth-secret-0123456789";

export async function startTestGateway(opts: Partial<GatewayOptions> = {}): Promise<Gateway> {
  return startGateway({
    databaseUrl: process.env.DATABASE_URL!,
    port: 0,
    spoolDir: mkdtempSync(path.join(tmpdir(), "helix-spool-")),
    // Fixed, so tests can sign console tokens whatever AUTH_SECRET the environment has.
    authSecret: TEST_AUTH_SECRET,
    log: () => {},
    ...opts,
  });
}

export interface TestAgent {
  id: string;
  slug: string;
  name: string;
}

/** Registers a running fleet agent directly (no discovery round trip): OpenAI agents get their models as MODEL skills. */
export async function addFleetAgent(
  org: { id: string },
  fleet: Fleet,
  fleetId: string,
  opts: { slug?: string; tags?: string[]; region?: string; status?: "ACTIVE" | "UNHEALTHY" | "DISABLED"; prices?: [number, number]; skills?: { key: string; name: string; description?: string }[] } = {},
): Promise<TestAgent> {
  const info = fleet.get(fleetId);
  const protocol = info.protocol;
  const endpointUrl = protocol === "A2A" ? `${info.url.replace(/\/$/, "")}/a2a/jsonrpc` : info.url;
  const slug = opts.slug ?? `${fleetId}-${rand(3)}`;
  const agent = await db().agent.create({
    data: {
      orgId: org.id,
      name: `${info.name} ${slug}`,
      slug,
      protocol,
      sourceUrl: info.url,
      endpointUrl,
      status: opts.status ?? "ACTIVE",
      tags: opts.tags ?? [],
      region: opts.region ?? null,
      protocolVersion: protocol === "A2A" ? "1.0" : null,
      inputPricePerMTok: opts.prices?.[0] ?? null,
      outputPricePerMTok: opts.prices?.[1] ?? null,
    },
    select: { id: true, slug: true, name: true },
  });
  // What discovery would store: the models the agent lists.
  const models =
    protocol === "OPENAI" ? ((await (await fetch(`${info.url.replace(/\/$/, "")}/models`)).json()) as { data: { id: string }[] }).data.map((m) => m.id) : [];
  const skills = [
    ...models.map((key) => ({ kind: "MODEL" as const, key, name: key, searchText: key })),
    ...(opts.skills ?? []).map((s) => ({ kind: "SKILL" as const, key: s.key, name: s.name, description: s.description ?? null, searchText: `${s.key} ${s.name} ${s.description ?? ""}`.toLowerCase() })),
  ];
  if (skills.length) await db().agentSkill.createMany({ data: skills.map((s) => ({ ...s, orgId: org.id, agentId: agent.id })) });
  return agent;
}

export async function addRoute(
  org: { id: string },
  opts: {
    alias?: string;
    strategy?: RouteStrategy;
    targets?: { agentId: string; weight?: number; priority?: number; model?: string | null }[];
    requiredSkill?: string;
    matchTags?: string[];
    timeoutMs?: number;
    deadlineMs?: number;
    maxRetries?: number;
    retryBudgetPercent?: number;
    breakerFailureThreshold?: number;
    breakerCooldownMs?: number;
    headerConditions?: { header: string; op: "equals" | "contains" | "present"; value: string | null }[];
  },
) {
  const alias = opts.alias ?? `route-${rand(3)}`;
  return db().route.create({
    data: {
      orgId: org.id,
      name: `Route ${alias}`,
      slug: alias.toLowerCase().replace(/[^a-z0-9-]/g, "-"),
      alias,
      strategy: opts.strategy ?? "WEIGHTED",
      requiredSkill: opts.requiredSkill ?? null,
      matchTags: opts.matchTags ?? [],
      headerConditions: opts.headerConditions ?? [],
      timeoutMs: opts.timeoutMs ?? 5_000,
      deadlineMs: opts.deadlineMs ?? 15_000,
      maxRetries: opts.maxRetries ?? 2,
      retryBudgetPercent: opts.retryBudgetPercent ?? 20,
      breakerFailureThreshold: opts.breakerFailureThreshold ?? 5,
      breakerCooldownMs: opts.breakerCooldownMs ?? 30_000,
      targets: {
        create: (opts.targets ?? []).map((t) => ({ orgId: org.id, agentId: t.agentId, weight: t.weight ?? 100, priority: t.priority ?? 0, model: t.model ?? null })),
      },
    },
    select: { id: true, alias: true, slug: true },
  });
}

export async function addKey(org: { id: string }, opts: { routeIds?: string[]; expiresAt?: Date | null; rateLimitPerMinute?: number | null } = {}) {
  const { secret, prefix, hash } = newApiKey();
  const key = await db().apiKey.create({
    data: { orgId: org.id, name: `key ${prefix}`, prefix, hash, routeIds: opts.routeIds ?? [], expiresAt: opts.expiresAt ?? null, rateLimitPerMinute: opts.rateLimitPerMinute ?? null },
    select: { id: true },
  });
  return { id: key.id, secret };
}

export async function newTestOrg(): Promise<TestOrg> {
  return createOrg({ owner: await createUser() });
}

/** Waits until `check` passes (polling), failing with its last error after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 5_000, everyMs = 20): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}
