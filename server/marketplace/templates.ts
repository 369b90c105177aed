/**
 * Applying a route or agent template from the marketplace: the organization fills in the template's
 * form, and HelixAgent creates the route or registers the agent exactly as the route editor or the
 * agent registration would, with the same checks. The template's version is checked against its
 * publisher's signature first (as an install is); the creation, the listing's use count and the
 * audit record are one transaction, so a failure leaves nothing behind.
 *
 * A problem with what the template produced is reported against the form field it came from (the
 * placeholder that filled it) where there is one, so the person filling the form can fix it.
 */
import type { z } from "zod";
import type { Prisma } from "@/server/generated/prisma/client";
import type { Tx } from "@/server/db";
import type { OrgContext } from "@/server/trpc/init";
import { badRequest, DomainError } from "@/server/errors/domain-error";
import { recordAudit } from "@/server/audit/record";
import { slugify } from "@/server/orgs/schema";
import { routeConfigInput, type RouteConfig } from "@/server/routes/schema";
import { getRoute, insertRoute, routeConflict } from "@/server/routes/service";
import { registerAgentInput } from "@/server/agents/schema";
import { registerAgent } from "@/server/agents/service";
import { DiscoveryError } from "@/server/agents/discovery/errors";
import { configSchemaSchema, configValidator, EMPTY_CONFIG_SCHEMA, type ConfigSchema } from "./config-schema";
import { fillTemplate, placeholders, type AgentTemplateManifest, type RouteTemplateManifest } from "./manifest";
import { getInstallableVersion } from "./publishing";
import type { applyTemplateInput, AppliedTemplate } from "./template-schema";

type ConfigValues = Record<string, string | number | boolean>;

/** Where a field of what the template creates came from: the form field of its first placeholder. */
type Origins = Map<string, string>;

function schemaOf(manifest: { configSchema?: unknown }): ConfigSchema {
  const parsed = configSchemaSchema.safeParse(manifest.configSchema ?? EMPTY_CONFIG_SCHEMA);
  return parsed.success ? parsed.data : EMPTY_CONFIG_SCHEMA;
}

/** The form's values checked against the template's schema (defaults filled in), or a 400 naming the field. */
function checkValues(schema: ConfigSchema, values: ConfigValues): ConfigValues {
  const parsed = configValidator(schema).safeParse(values);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join(".");
  throw badRequest(issue.message, field ? `config.${field}` : "config");
}

/** Records which form field each templated text came from, under the created object's field name. */
function origin(origins: Origins, key: string, text: string | undefined): void {
  const first = text === undefined ? undefined : placeholders(text)[0];
  if (first) origins.set(key, `config.${first}`);
}

/** A zod error on what the template produced, as a 400 against the form field behind it. */
function producedInvalid(what: string, error: z.ZodError, origins: Origins): DomainError {
  const issue = error.issues[0]!;
  const key = issue.path.map(String).join(".");
  const field = origins.get(key) ?? origins.get(String(issue.path[0] ?? "")) ?? "form";
  const where = field === "form" ? `the ${what}'s ${key || "fields"}` : `the ${what}`;
  return badRequest(`This template's ${what} cannot be created: ${where}: ${issue.message}`, field);
}

/**
 * A service error about a field of the created object, moved onto the form field behind it. An
 * agent that could not be reached or read is about its URL, or its key when it refused the key.
 */
function onFormField(error: unknown, origins: Origins): never {
  if (error instanceof DomainError) {
    const refusedKey = error instanceof DiscoveryError && (error.status === 401 || error.status === 403);
    const about = error.field ?? (error instanceof DiscoveryError ? (refusedKey && origins.has("credential") ? "credential" : "url") : undefined);
    if (about && origins.has(about)) throw new DomainError(error.kind, error.message, { field: origins.get(about), cause: error });
  }
  throw error;
}

async function countUse(tx: Tx, ctx: OrgContext, opts: { listingId: string; listingSlug: string; version: string; created: { type: "route" | "agent"; id: string; slug: string } }) {
  await tx.listing.update({ where: { id: opts.listingId }, data: { installCount: { increment: 1 } } });
  await recordAudit(tx, {
    orgId: ctx.org.id,
    actor: ctx.user,
    action: "marketplace.template_applied",
    targetType: opts.created.type,
    targetId: opts.created.id,
    after: { listing: opts.listingSlug, version: opts.version, [opts.created.type]: opts.created.slug } as Prisma.InputJsonValue,
  });
}

async function applyRouteTemplate(ctx: OrgContext, manifest: RouteTemplateManifest, values: ConfigValues, use: { listingId: string; listingSlug: string; version: string }): Promise<AppliedTemplate> {
  const r = manifest.route;
  const fill = (text: string) => fillTemplate(text, values);
  const origins: Origins = new Map();
  for (const key of ["name", "slug", "alias", "description", "requiredSkill"] as const) origin(origins, key, r[key]);
  origins.set("slug", origins.get("slug") ?? origins.get("name") ?? "form");

  // Targets name agents by slug; the form offers the organization's agents.
  const slugs = r.targets.map((t) => fill(t.agent).trim());
  const agents = await ctx.db.agent.findMany({ where: { orgId: ctx.org.id, slug: { in: slugs } }, select: { id: true, slug: true } });
  const bySlug = new Map(agents.map((a) => [a.slug, a.id]));
  const targets = r.targets.map((t, i) => {
    const field = placeholders(t.agent)[0];
    origins.set(`targets.${i}.agentId`, field ? `config.${field}` : "form");
    const id = bySlug.get(slugs[i]!);
    if (!id) throw badRequest(slugs[i] ? `There is no agent "${slugs[i]}" in ${ctx.org.name}; choose one of its agents` : "Choose an agent", field ? `config.${field}` : "form");
    return { agentId: id, weight: t.weight, priority: t.priority, model: t.model };
  });

  const parsed = routeConfigInput.safeParse({
    name: fill(r.name),
    // A slug is lowercase letters, digits and dashes; an alias may hold more (e.g. "gpt-4o/mini").
    slug: slugify(fill(r.slug)),
    alias: fill(r.alias),
    description: r.description === undefined ? undefined : fill(r.description),
    strategy: r.strategy,
    requiredSkill: r.requiredSkill === undefined ? undefined : fill(r.requiredSkill),
    labels: r.labels,
    timeoutMs: r.timeoutMs,
    deadlineMs: r.deadlineMs,
    maxRetries: r.maxRetries,
    retryBudgetPercent: r.retryBudgetPercent,
    breakerFailureThreshold: r.breakerFailureThreshold,
    breakerCooldownMs: r.breakerCooldownMs,
    targets,
  });
  if (!parsed.success) throw producedInvalid("route", parsed.error, origins);
  const config: RouteConfig = parsed.data;

  const routeId = await ctx.db
    .$transaction(async (tx) => {
      const id = await insertRoute(tx, ctx, config);
      await countUse(tx, ctx, { ...use, created: { type: "route", id, slug: config.slug } });
      return id;
    })
    .catch((error: unknown) => onFormField(routeConflict(error, config), origins));
  const route = await getRoute({ ctx, routeId });
  return { type: "route", id: route.id, name: route.name, slug: route.slug };
}

async function applyAgentTemplate(ctx: OrgContext, manifest: AgentTemplateManifest, values: ConfigValues, use: { listingId: string; listingSlug: string; version: string }): Promise<AppliedTemplate> {
  const a = manifest.agent;
  const fill = (text: string | undefined) => (text === undefined ? undefined : fillTemplate(text, values).trim());
  const origins: Origins = new Map();
  for (const key of ["url", "name", "slug", "description", "region", "provider"] as const) origin(origins, key, a[key]);
  if (a.credential) origins.set("credential", `config.${a.credential.secretField}`);

  const secret = a.credential ? values[a.credential.secretField] : undefined;
  const credential =
    a.credential && secret !== undefined && secret !== ""
      ? a.credential.kind === "HEADER"
        ? { kind: "HEADER" as const, headerName: a.credential.headerName!, value: String(secret) }
        : { kind: a.credential.kind, value: String(secret) }
      : undefined;
  const slug = fill(a.slug);
  const parsed = registerAgentInput.safeParse({
    url: fill(a.url),
    protocol: a.protocol,
    credential,
    name: fill(a.name),
    slug: slug ? slugify(slug) : undefined,
    // Empty text from an optional field left blank: let the agent describe itself.
    description: fill(a.description) || undefined,
    region: fill(a.region) || undefined,
    provider: fill(a.provider) || undefined,
    tags: a.tags,
  });
  if (!parsed.success) throw producedInvalid("agent", parsed.error, origins);
  const input = parsed.data;

  const agent = await registerAgent({
    ctx,
    ...input,
    onCreated: async (tx, id) => {
      const created = await tx.agent.findUniqueOrThrow({ where: { id }, select: { slug: true } });
      await countUse(tx, ctx, { ...use, created: { type: "agent", id, slug: created.slug } });
    },
  }).catch((error: unknown) => onFormField(error, origins));
  return { type: "agent", id: agent.id, name: agent.name, slug: agent.slug };
}

/** Creates the route or agent a template describes, from the values of its form. */
export async function applyTemplate(opts: { ctx: OrgContext; input: Omit<z.output<typeof applyTemplateInput>, "orgSlug"> }): Promise<AppliedTemplate> {
  const { ctx, input } = opts;
  const found = await getInstallableVersion({ db: ctx.db, listingSlug: input.listingSlug, version: input.version });
  if (found.kind !== "ROUTE_TEMPLATE" && found.kind !== "AGENT_TEMPLATE") {
    throw badRequest(`${found.listingSlug} is a ${found.kind === "GATEWAY_PLUGIN" ? "gateway plugin" : "policy pack"}: install it instead of applying it`, "listingSlug");
  }
  const manifest = found.resolvedManifest as unknown as RouteTemplateManifest | AgentTemplateManifest;
  const schema = schemaOf(manifest);
  const values = checkValues(schema, input.config);
  const use = { listingId: found.listingId, listingSlug: found.listingSlug, version: found.version };
  if (manifest.kind === "ROUTE_TEMPLATE") return applyRouteTemplate(ctx, manifest, values, use);
  return applyAgentTemplate(ctx, manifest, values, use);
}
