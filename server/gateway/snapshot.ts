/**
 * The gateway's configuration snapshot: every enabled route, every agent a route can reach and every
 * live API key, read from Postgres in one pass and indexed for the request path (key by hash, route
 * by organization + alias). Requests never wait on the database: they read the current snapshot,
 * and a reload swaps in a new one atomically. Capability routes resolve their targets here, with
 * the registry's skill search over healthy agents, so a change in the registry (an agent turning
 * unhealthy, new skills discovered) changes where traffic goes on the next reload.
 */
import type { PrismaClient } from "@/server/generated/prisma/client";
import { searchAgents } from "@/server/agents/search";
import { unsafeAgentCredential } from "@/server/agents/service";
import { credentialHeaders } from "@/server/agents/discovery/credential";
import { loadPlugins } from "./plugins";
import { loadPolicies } from "./policies";
import type { HeaderCondition, Snapshot, SnapshotAgent, SnapshotKey, SnapshotRoute, UpstreamCredential } from "./types";

/** How many agents a capability route may spread over (best matches first). */
const CAPABILITY_TARGETS = 20;

export function emptySnapshot(): Snapshot {
  return { loadedAt: 0, keysByHash: new Map(), agents: new Map(), routesByAlias: new Map(), routesById: new Map(), policies: new Map(), plugins: new Map() };
}

function credentialOf(agent: Parameters<typeof unsafeAgentCredential>[0] & { protocol: SnapshotAgent["protocol"] }, warn: (m: string) => void): UpstreamCredential | null {
  if (!agent.credentialKind || !agent.credentialCipher) return null;
  try {
    const headers = credentialHeaders(agent.protocol, unsafeAgentCredential(agent));
    const [header, value] = Object.entries(headers)[0] ?? [];
    return header && value ? { header, value } : null;
  } catch (error) {
    warn(`agent ${agent.id}: its stored credential cannot be used (${error instanceof Error ? error.message : String(error)}); calling it without one`);
    return null;
  }
}

function headerConditions(value: unknown): HeaderCondition[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((c: unknown) => {
    if (typeof c !== "object" || c === null) return [];
    const { header, op, value: v } = c as Record<string, unknown>;
    if (typeof header !== "string" || (op !== "equals" && op !== "contains" && op !== "present")) return [];
    return [{ header: header.toLowerCase(), op, value: typeof v === "string" ? v : null }];
  });
}

export async function loadSnapshot(db: PrismaClient, opts: { warn?: (message: string) => void; now?: number } = {}): Promise<Snapshot> {
  const warn = opts.warn ?? ((m: string) => console.warn(`gateway: ${m}`));
  const now = opts.now ?? Date.now();
  const [routes, keys, agents, models, policies, plugins] = await Promise.all([
    db.route.findMany({ where: { enabled: true }, include: { targets: true, org: { select: { slug: true } } } }),
    // Revoked and expired keys too (the last day of them), so a client hears why its key fails.
    db.apiKey.findMany({
      where: { OR: [{ revokedAt: null }, { revokedAt: { gt: new Date(now - 86_400_000) } }] },
      select: { id: true, orgId: true, name: true, prefix: true, hash: true, routeIds: true, expiresAt: true, revokedAt: true, rateLimitPerMinute: true },
    }),
    db.agent.findMany({
      select: {
        id: true,
        orgId: true,
        name: true,
        slug: true,
        protocol: true,
        endpointUrl: true,
        status: true,
        region: true,
        provider: true,
        tags: true,
        credentialKind: true,
        credentialHeader: true,
        credentialCipher: true,
        protocolVersion: true,
        inputPricePerMTok: true,
        outputPricePerMTok: true,
      },
    }),
    db.agentSkill.findMany({ where: { kind: "MODEL" }, select: { agentId: true, key: true }, orderBy: [{ agentId: "asc" }, { key: "asc" }] }),
    loadPolicies(db, warn),
    loadPlugins(db, warn),
  ]);

  const modelsByAgent = new Map<string, string[]>();
  for (const m of models) {
    const list = modelsByAgent.get(m.agentId) ?? [];
    list.push(m.key);
    modelsByAgent.set(m.agentId, list);
  }

  const snapshot = emptySnapshot();
  snapshot.loadedAt = now;
  snapshot.policies = policies;
  snapshot.plugins = plugins;
  for (const a of agents) {
    snapshot.agents.set(a.id, {
      id: a.id,
      orgId: a.orgId,
      name: a.name,
      slug: a.slug,
      protocol: a.protocol,
      endpointUrl: a.endpointUrl,
      status: a.status,
      region: a.region,
      provider: a.provider,
      tags: a.tags,
      credential: credentialOf(a, warn),
      protocolVersion: a.protocolVersion,
      models: modelsByAgent.get(a.id) ?? [],
      inputPricePerMTok: a.inputPricePerMTok,
      outputPricePerMTok: a.outputPricePerMTok,
    });
  }

  for (const k of keys) {
    const key: SnapshotKey = {
      id: k.id,
      orgId: k.orgId,
      name: k.name,
      prefix: k.prefix,
      routeIds: k.routeIds,
      expiresAt: k.expiresAt ? k.expiresAt.getTime() : null,
      revoked: k.revokedAt !== null,
      rateLimitPerMinute: k.rateLimitPerMinute,
    };
    snapshot.keysByHash.set(k.hash, key);
  }

  for (const r of routes) {
    let targets = r.targets.map((t) => ({ agentId: t.agentId, weight: t.weight, priority: t.priority, model: t.model }));
    if (r.strategy === "CAPABILITY" && r.requiredSkill) {
      try {
        const { hits } = await searchAgents({ db, orgId: r.orgId, q: r.requiredSkill, filters: { status: "ACTIVE" }, limit: CAPABILITY_TARGETS });
        const chosen = hits.filter((h) => h.agent.protocol !== "MCP");
        targets = chosen.map((h) => ({ agentId: h.agent.id, weight: 100, priority: 0, model: null }));
      } catch (error) {
        warn(`route ${r.id}: capability search failed (${error instanceof Error ? error.message : String(error)})`);
        targets = [];
      }
    }
    const route: SnapshotRoute = {
      id: r.id,
      orgId: r.orgId,
      orgSlug: r.org.slug,
      name: r.name,
      slug: r.slug,
      alias: r.alias,
      description: r.description,
      version: r.version,
      strategy: r.strategy,
      requiredSkill: r.requiredSkill,
      matchTags: r.matchTags,
      labels: r.labels,
      headerConditions: headerConditions(r.headerConditions),
      timeoutMs: r.timeoutMs,
      deadlineMs: r.deadlineMs,
      maxRetries: r.maxRetries,
      retryBudgetPercent: r.retryBudgetPercent,
      breakerFailureThreshold: r.breakerFailureThreshold,
      breakerCooldownMs: r.breakerCooldownMs,
      targets,
    };
    snapshot.routesById.set(route.id, route);
    let byAlias = snapshot.routesByAlias.get(route.orgId);
    if (!byAlias) snapshot.routesByAlias.set(route.orgId, (byAlias = new Map()));
    byAlias.set(route.alias, route);
  }
  return snapshot;
}
