import type { Prisma } from "@/server/generated/prisma/client";
import type { AgentProtocol, AgentStatus, CredentialKind, SkillKind } from "@/server/generated/prisma/enums";
import type { Db, Tx } from "@/server/db";
import type { OrgContext } from "@/server/trpc/init";
import { badRequest, conflict, notFound } from "@/server/errors/domain-error";
import { recordAudit } from "@/server/audit/record";
import { slugify } from "@/server/orgs/schema";
import { discover } from "./discovery";
import type { Credential, Discovery, DiscoveredSkill } from "./discovery/types";
import { decryptSecret, encryptSecret } from "./crypto";
import { rememberSearchWords } from "./search-words";
import { protocolLabel, type AgentDetail, type AgentSummary, type CredentialInput, type SkillView } from "./schema";

// ---------------------------------------------------------------------------------------------
// Reading

const summarySelect = {
  id: true,
  name: true,
  slug: true,
  description: true,
  protocol: true,
  endpointUrl: true,
  region: true,
  provider: true,
  tags: true,
  status: true,
  lastCheckedAt: true,
  lastLatencyMs: true,
  createdAt: true,
} as const satisfies Prisma.AgentSelect;

type SummaryRow = Prisma.AgentGetPayload<{ select: typeof summarySelect }>;

/**
 * Rows of the agents table with their skill counts, counted for just these agents (Prisma's
 * relation `_count` aggregates the whole skill table, which bench/agent-search.bench.ts showed
 * costing ~30 ms at 10k agents).
 */
export async function toSummaries(db: Db, rows: SummaryRow[]): Promise<AgentSummary[]> {
  const counts = await db.agentSkill.groupBy({ by: ["agentId"], where: { agentId: { in: rows.map((r) => r.id) } }, _count: { _all: true } });
  const byAgent = new Map(counts.map((c) => [c.agentId, c._count._all]));
  return rows.map((row) => ({ ...row, skillCount: byAgent.get(row.id) ?? 0 }));
}

export { summarySelect };

const skillSelect = {
  kind: true,
  key: true,
  name: true,
  description: true,
  tags: true,
  inputModes: true,
  outputModes: true,
  examples: true,
  inputSchema: true,
} as const satisfies Prisma.AgentSkillSelect;

/** One agent of this organization; another organization's id is simply not found. */
export async function getAgent(opts: { ctx: OrgContext; agentId: string }): Promise<AgentDetail> {
  const { ctx, agentId } = opts;
  const row = await ctx.db.agent.findFirst({
    where: { id: agentId, orgId: ctx.org.id },
    select: {
      ...summarySelect,
      sourceUrl: true,
      version: true,
      protocolVersion: true,
      capabilities: true,
      document: true,
      discoveredAt: true,
      discoveryError: true,
      consecutiveFailures: true,
      credentialKind: true,
      credentialHeader: true,
      inputPricePerMTok: true,
      outputPricePerMTok: true,
      skills: { select: skillSelect, orderBy: [{ kind: "asc" }, { name: "asc" }] },
    },
  });
  if (!row) throw notFound("Agent");
  const { credentialKind, credentialHeader, skills, ...rest } = row;
  return {
    ...rest,
    skillCount: skills.length,
    capabilities: rest.capabilities as AgentDetail["capabilities"],
    document: rest.document as AgentDetail["document"],
    // Whether a credential is set, never what it is.
    credential: credentialKind ? { kind: credentialKind, headerName: credentialHeader, set: true } : null,
    skills: skills as SkillView[],
  };
}

export async function listDiscoveries(opts: { ctx: OrgContext; agentId: string }) {
  const { ctx, agentId } = opts;
  await assertAgentInOrg(ctx, agentId);
  const rows = await ctx.db.agentDiscovery.findMany({
    where: { agentId, orgId: ctx.org.id },
    orderBy: { at: "desc" },
    take: 50,
    select: { id: true, at: true, trigger: true, ok: true, error: true, version: true, added: true, removed: true, skillKeys: true },
  });
  return rows.map(({ skillKeys, ...r }) => ({ ...r, skillCount: skillKeys.length }));
}

export async function agentHealth(opts: { ctx: OrgContext; agentId: string }) {
  const { ctx, agentId } = opts;
  await assertAgentInOrg(ctx, agentId);
  const [checks, changes] = await Promise.all([
    ctx.db.agentHealthCheck.findMany({
      where: { agentId, orgId: ctx.org.id },
      orderBy: { at: "desc" },
      take: 120,
      select: { at: true, ok: true, latencyMs: true, error: true },
    }),
    ctx.db.agentStatusChange.findMany({
      where: { agentId, orgId: ctx.org.id },
      orderBy: { at: "desc" },
      take: 50,
      select: { at: true, from: true, to: true, reason: true },
    }),
  ]);
  return { checks, changes };
}

async function assertAgentInOrg(ctx: OrgContext, agentId: string) {
  const found = await ctx.db.agent.findFirst({ where: { id: agentId, orgId: ctx.org.id }, select: { id: true } });
  if (!found) throw notFound("Agent");
}

// ---------------------------------------------------------------------------------------------
// Discovery → skills

const skillKindOf: Record<DiscoveredSkill["kind"], SkillKind> = { skill: "SKILL", tool: "TOOL", model: "MODEL" };
const skillId = (s: { kind: SkillKind; key: string }) => `${s.kind.toLowerCase()}:${s.key}`;

function searchTextOf(parts: (string | null | undefined | string[])[]): string {
  return parts
    .flat()
    .filter((p): p is string => Boolean(p))
    .join(" ")
    .toLowerCase()
    .slice(0, 8000);
}

export function skillSearchText(s: { key: string; name: string; tags: string[]; examples: string[]; description: string | null }) {
  return searchTextOf([s.key, s.name, s.tags, s.examples, s.description]);
}

function toSkillView(s: DiscoveredSkill): SkillView {
  return {
    kind: skillKindOf[s.kind],
    key: s.key.slice(0, 200),
    name: (s.name || s.key).slice(0, 200),
    description: s.description?.slice(0, 4000) ?? null,
    tags: s.tags.slice(0, 50).map((t) => t.slice(0, 60)),
    inputModes: s.inputModes.slice(0, 20),
    outputModes: s.outputModes.slice(0, 20),
    examples: s.examples.slice(0, 20).map((e) => e.slice(0, 500)),
    inputSchema: (s.inputSchema ?? null) as SkillView["inputSchema"],
  };
}

function uniqueSkills(discovery: Discovery): SkillView[] {
  const byId = new Map<string, SkillView>();
  for (const s of discovery.skills.map(toSkillView)) if (!byId.has(skillId(s))) byId.set(skillId(s), s);
  return [...byId.values()];
}

function toCredential(kind: CredentialKind, header: string | null, value: string): Credential {
  return { kind: kind === "BEARER" ? "bearer" : kind === "API_KEY" ? "api_key" : "header", headerName: header, value };
}

export function credentialFromInput(input: CredentialInput | null | undefined): Credential | null {
  if (!input) return null;
  return toCredential(input.kind, input.kind === "HEADER" ? input.headerName : null, input.value);
}

/** The stored credential of an agent, decrypted for an outgoing request (never for a response). */
export function unsafeAgentCredential(agent: {
  id: string;
  credentialKind: CredentialKind | null;
  credentialHeader: string | null;
  credentialCipher: string | null;
}): Credential | null {
  if (!agent.credentialKind || !agent.credentialCipher) return null;
  return toCredential(agent.credentialKind, agent.credentialHeader, decryptSecret(agent.credentialCipher, agent.id));
}

async function networkPolicy(db: Db | Tx, orgId: string) {
  const org = await db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { allowPrivateNetworks: true } });
  return { allowPrivateNetworks: org.allowPrivateNetworks };
}

/** Reads what the agent says about itself, without saving anything. */
export async function previewAgent(opts: { ctx: OrgContext; url: string; protocol?: AgentProtocol; credential?: CredentialInput | null }) {
  const { ctx } = opts;
  const discovery = await discover({
    url: opts.url,
    protocol: opts.protocol,
    credential: credentialFromInput(opts.credential),
    network: await networkPolicy(ctx.db, ctx.org.id),
  });
  // OpenAI-compatible endpoints do not name themselves: call them after the protocol and host.
  const suggestedName = (discovery.name ?? `${protocolLabel[discovery.protocol]} at ${new URL(discovery.endpointUrl).host}`).slice(0, 80);
  return {
    protocol: discovery.protocol,
    endpointUrl: discovery.endpointUrl,
    sourceUrl: discovery.sourceUrl,
    name: discovery.name,
    description: discovery.description,
    version: discovery.version,
    provider: discovery.provider,
    protocolVersion: discovery.protocolVersion,
    suggestedName: suggestedName.length >= 2 ? suggestedName : `Agent ${suggestedName}`,
    suggestedSlug: await freeSlug(ctx.db, ctx.org.id, slugify(suggestedName) || "agent"),
    skills: uniqueSkills(discovery),
    discovery,
  };
}

async function freeSlug(db: Db | Tx, orgId: string, base: string): Promise<string> {
  const stem = base.slice(0, 44).replace(/-+$/, "") || "agent";
  const taken = new Set(
    (await db.agent.findMany({ where: { orgId, slug: { startsWith: stem } }, select: { slug: true } })).map((a) => a.slug),
  );
  if (!taken.has(stem)) return stem;
  for (let i = 2; ; i++) if (!taken.has(`${stem}-${i}`)) return `${stem}-${i}`;
}

/**
 * Writes a discovery onto an agent inside `tx`: replaces its skills, records the run with what was
 * added and removed, and returns that diff.
 */
async function applyDiscovery(tx: Tx, agent: { id: string; orgId: string; name: string; description: string | null; tags: string[]; region: string | null; provider: string | null }, discovery: Discovery, trigger: string) {
  const skills = uniqueSkills(discovery);
  const existing = await tx.agentSkill.findMany({ where: { agentId: agent.id }, select: { kind: true, key: true } });
  const before = new Set(existing.map(skillId));
  const after = new Set(skills.map(skillId));
  const added = [...after].filter((k) => !before.has(k)).sort();
  const removed = [...before].filter((k) => !after.has(k)).sort();

  await tx.agentSkill.deleteMany({ where: { agentId: agent.id } });
  await tx.agentSkill.createMany({
    data: skills.map((s) => ({
      orgId: agent.orgId,
      agentId: agent.id,
      ...s,
      inputSchema: (s.inputSchema ?? undefined) as Prisma.InputJsonValue | undefined,
      searchText: skillSearchText(s),
    })),
  });
  await rememberSearchWords(tx, agent.orgId, [agentSearchText(agent), ...skills.map(skillSearchText)]);
  await tx.agentDiscovery.create({
    data: {
      orgId: agent.orgId,
      agentId: agent.id,
      trigger,
      ok: true,
      version: discovery.version,
      skillKeys: [...after].sort(),
      added,
      removed,
      document: discovery.document as Prisma.InputJsonValue,
    },
  });
  await tx.agent.update({
    where: { id: agent.id },
    data: {
      endpointUrl: discovery.endpointUrl,
      version: discovery.version,
      protocolVersion: discovery.protocolVersion,
      capabilities: discovery.capabilities as Prisma.InputJsonValue,
      document: discovery.document as Prisma.InputJsonValue,
      discoveredAt: new Date(),
      discoveryError: null,
    },
  });
  return { added, removed, skillCount: skills.length };
}

export function agentSearchText(a: { name: string; description: string | null; tags: string[]; region: string | null; provider: string | null }) {
  return searchTextOf([a.name, a.description, a.tags, a.region, a.provider]);
}

export async function registerAgent(opts: {
  ctx: OrgContext;
  url: string;
  protocol?: AgentProtocol;
  credential?: CredentialInput | null;
  name?: string;
  slug?: string;
  description?: string | null;
  region?: string | null;
  provider?: string | null;
  tags: string[];
  inputPricePerMTok?: number | null;
  outputPricePerMTok?: number | null;
  /** Runs in the registering transaction once the agent exists (e.g. a template counting its use). */
  onCreated?: (tx: Tx, agentId: string) => Promise<void>;
}) {
  const { ctx } = opts;
  // Discover again rather than trusting a preview the client might have altered.
  const preview = await previewAgent({ ctx, url: opts.url, protocol: opts.protocol, credential: opts.credential });
  const name = opts.name ?? preview.suggestedName;
  if (opts.slug) {
    const taken = await ctx.db.agent.findFirst({ where: { orgId: ctx.org.id, slug: opts.slug }, select: { id: true } });
    if (taken) throw conflict(`An agent with the slug "${opts.slug}" already exists here; choose another`, "slug");
  }
  const slug = opts.slug ?? (await freeSlug(ctx.db, ctx.org.id, slugify(name) || "agent"));
  const fields = {
    name,
    // Left out: what the agent says about itself; given empty (null): empty.
    description: opts.description === undefined ? preview.description : opts.description,
    region: opts.region ?? null,
    provider: opts.provider === undefined ? preview.provider : opts.provider,
    tags: [...new Set(opts.tags)],
  };
  const prices = { inputPricePerMTok: opts.inputPricePerMTok ?? null, outputPricePerMTok: opts.outputPricePerMTok ?? null };

  const agent = await ctx.db.$transaction(async (tx) => {
    const created = await tx.agent.create({
      data: {
        orgId: ctx.org.id,
        slug,
        protocol: preview.protocol,
        sourceUrl: preview.sourceUrl,
        endpointUrl: preview.endpointUrl,
        ...fields,
        ...prices,
        searchText: agentSearchText(fields),
      },
      select: { id: true, orgId: true, name: true, description: true, tags: true, region: true, provider: true },
    });
    if (opts.credential) await storeCredential(tx, created.id, opts.credential);
    const diff = await applyDiscovery(tx, created, preview.discovery, "registration");
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "agent.registered",
      targetType: "agent",
      targetId: created.id,
      after: {
        name,
        slug,
        protocol: preview.protocol,
        url: preview.sourceUrl,
        skills: diff.skillCount,
        credential: opts.credential ? "set" : "none",
        ...prices,
      },
    });
    await opts.onCreated?.(tx, created.id);
    return created;
  }).catch((error: unknown) => {
    if ((error as { code?: string }).code === "P2002") throw conflict(`An agent with the slug "${slug}" already exists here; choose another`, "slug");
    throw error;
  });
  return getAgent({ ctx, agentId: agent.id });
}

async function storeCredential(tx: Tx, agentId: string, credential: CredentialInput | null) {
  await tx.agent.update({
    where: { id: agentId },
    data: credential
      ? {
          credentialKind: credential.kind,
          credentialHeader: credential.kind === "HEADER" ? credential.headerName : null,
          credentialCipher: encryptSecret(credential.value, agentId),
        }
      : { credentialKind: null, credentialHeader: null, credentialCipher: null },
  });
}

export async function updateAgent(opts: {
  ctx: OrgContext;
  agentId: string;
  name?: string;
  description?: string | null;
  region?: string | null;
  provider?: string | null;
  tags?: string[];
  inputPricePerMTok?: number | null;
  outputPricePerMTok?: number | null;
  credential?: CredentialInput | null;
}) {
  const { ctx, agentId } = opts;
  await ctx.db.$transaction(async (tx) => {
    const current = await tx.agent.findFirst({
      where: { id: agentId, orgId: ctx.org.id },
      select: {
        name: true,
        description: true,
        region: true,
        provider: true,
        tags: true,
        inputPricePerMTok: true,
        outputPricePerMTok: true,
        credentialKind: true,
      },
    });
    if (!current) throw notFound("Agent");
    const { credentialKind, ...currentFields } = current;
    const next = {
      name: opts.name ?? current.name,
      description: opts.description === undefined ? current.description : opts.description,
      region: opts.region === undefined ? current.region : opts.region,
      provider: opts.provider === undefined ? current.provider : opts.provider,
      tags: opts.tags ? [...new Set(opts.tags)] : current.tags,
      inputPricePerMTok: opts.inputPricePerMTok === undefined ? current.inputPricePerMTok : opts.inputPricePerMTok,
      outputPricePerMTok: opts.outputPricePerMTok === undefined ? current.outputPricePerMTok : opts.outputPricePerMTok,
    };
    await tx.agent.update({ where: { id: agentId }, data: { ...next, searchText: agentSearchText(next) } });
    await rememberSearchWords(tx, ctx.org.id, [agentSearchText(next)]);
    if (opts.credential !== undefined) await storeCredential(tx, agentId, opts.credential);
    const credentialNote = (kind: CredentialKind | null) => (kind ? `${kind} set` : "none");
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "agent.updated",
      targetType: "agent",
      targetId: agentId,
      before: { ...currentFields, credential: credentialNote(credentialKind) },
      after: {
        ...next,
        credential: opts.credential === undefined ? credentialNote(credentialKind) : opts.credential ? `${opts.credential.kind} set (new)` : "none",
      },
    });
  });
  return getAgent({ ctx, agentId });
}

export async function setAgentEnabled(opts: { ctx: OrgContext; agentId: string; enabled: boolean }) {
  const { ctx, agentId, enabled } = opts;
  await ctx.db.$transaction(async (tx) => {
    const agent = await tx.agent.findFirst({ where: { id: agentId, orgId: ctx.org.id }, select: { status: true, name: true } });
    if (!agent) throw notFound("Agent");
    const to: AgentStatus = enabled ? "ACTIVE" : "DISABLED";
    if (enabled ? agent.status !== "DISABLED" : agent.status === "DISABLED") return;
    await tx.agent.update({ where: { id: agentId }, data: { status: to, consecutiveFailures: 0 } });
    await tx.agentStatusChange.create({
      data: { orgId: ctx.org.id, agentId, from: agent.status, to, reason: enabled ? `enabled by ${ctx.user.email}` : `disabled by ${ctx.user.email}` },
    });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: enabled ? "agent.enabled" : "agent.disabled",
      targetType: "agent",
      targetId: agentId,
      before: { status: agent.status },
      after: { status: to },
    });
  });
  return getAgent({ ctx, agentId });
}

export async function deleteAgent(opts: { ctx: OrgContext; agentId: string }) {
  const { ctx, agentId } = opts;
  return ctx.db.$transaction(async (tx) => {
    const agent = await tx.agent.findFirst({
      where: { id: agentId, orgId: ctx.org.id },
      select: { id: true, name: true, slug: true, protocol: true, sourceUrl: true },
    });
    if (!agent) throw notFound("Agent");
    const usedBy = await tx.routeTarget.findMany({ where: { agentId: agent.id }, select: { route: { select: { name: true } } }, take: 5 });
    if (usedBy.length) {
      const names = usedBy.map((t) => `"${t.route.name}"`).join(", ");
      throw badRequest(`${agent.name} is a target of the route${usedBy.length > 1 ? "s" : ""} ${names}; remove it from ${usedBy.length > 1 ? "them" : "it"} first`);
    }
    await tx.agent.delete({ where: { id: agent.id } });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "agent.deleted",
      targetType: "agent",
      targetId: agent.id,
      before: { name: agent.name, slug: agent.slug, protocol: agent.protocol, url: agent.sourceUrl },
    });
    return { id: agent.id };
  });
}

/**
 * Asks the agent again what it can do and records what changed. Failures are recorded on the agent
 * (its skills stay as they were). Used on demand and by the scheduled job (`actor` null).
 */
export async function unsafeRediscoverAgent(opts: { db: Db; agentId: string; trigger: string; actor: { id: string; email: string } | null }) {
  const { db, agentId, trigger, actor } = opts;
  const agent = await db.agent.findUniqueOrThrow({
    where: { id: agentId },
    select: {
      id: true, orgId: true, name: true, description: true, tags: true, region: true, provider: true,
      protocol: true, sourceUrl: true, credentialKind: true, credentialHeader: true, credentialCipher: true,
    },
  });
  let discovery: Discovery;
  try {
    discovery = await discover({
      url: agent.sourceUrl,
      protocol: agent.protocol,
      credential: unsafeAgentCredential(agent),
      network: await networkPolicy(db, agent.orgId),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db.$transaction([
      db.agentDiscovery.create({ data: { orgId: agent.orgId, agentId, trigger, ok: false, error: message.slice(0, 1000) } }),
      db.agent.update({ where: { id: agentId }, data: { discoveryError: message.slice(0, 1000) } }),
    ]);
    return { ok: false as const, error: message, added: [], removed: [] };
  }
  return db.$transaction(async (tx) => {
    const diff = await applyDiscovery(tx, agent, discovery, trigger);
    if (diff.added.length || diff.removed.length) {
      await recordAudit(tx, {
        orgId: agent.orgId,
        actor,
        action: "agent.rediscovered",
        targetType: "agent",
        targetId: agentId,
        after: { added: diff.added, removed: diff.removed, trigger },
      });
    }
    return { ok: true as const, error: null, added: diff.added, removed: diff.removed };
  });
}

export async function rediscoverAgent(opts: { ctx: OrgContext; agentId: string }) {
  const { ctx, agentId } = opts;
  await assertAgentInOrg(ctx, agentId);
  const result = await unsafeRediscoverAgent({ db: ctx.db, agentId, trigger: "on demand", actor: ctx.user });
  if (!result.ok) throw badRequest(`Discovery failed: ${result.error}`);
  return { added: result.added, removed: result.removed };
}
