/**
 * Installing marketplace listings into an organization: gateway plugins (configuration with
 * secrets encrypted at rest, the routes they apply to, fail open / closed) and policy packs (their
 * policies created in the organization, marked as the pack's). Every version is checked against
 * its publisher's signature when installed or upgraded to; every step is audited and runs in one
 * transaction, so nothing is ever half-installed. The gateway reloads its snapshot on any change
 * (the Install table notifies it), so an install takes effect within a second.
 */
import type { z } from "zod";
import type { Prisma } from "@/server/generated/prisma/client";
import type { Tx } from "@/server/db";
import type { OrgContext } from "@/server/trpc/init";
import { badRequest, conflict, notFound } from "@/server/errors/domain-error";
import { recordAudit } from "@/server/audit/record";
import { decryptSecret, encryptSecret } from "@/server/agents/crypto";
import { secretAad } from "./secrets";
import { parseAgentUrl, resolveAllowed } from "@/server/agents/net/safe-fetch";
import { DiscoveryError } from "@/server/agents/discovery/errors";
import { insertPolicy } from "@/server/policies/service";
import { policyConfigInput } from "@/server/policies/schema";
import { configSchemaSchema, configValidator, EMPTY_CONFIG_SCHEMA, secretFields, type ConfigSchema } from "../config-schema";
import type { GatewayPluginManifest, PolicyPackManifest } from "../manifest";
import { getInstallableVersion } from "../publishing";
import semver from "semver";
import { latestAvailable, sortVersionsDesc } from "../versions";
import type { createInstallInput, InstallView, updateInstallInput, upgradeInstallInput } from "./schema";

type ConfigValues = Record<string, string | number | boolean>;
type Installable = Awaited<ReturnType<typeof getInstallableVersion>>;

/** Kinds an organization installs (templates are applied through their own forms instead). */
const INSTALLABLE = new Set(["GATEWAY_PLUGIN", "POLICY_PACK"]);

const installSelect = {
  id: true,
  orgId: true,
  config: true,
  secrets: true,
  routeIds: true,
  failMode: true,
  enabled: true,
  createdAt: true,
  updatedAt: true,
  version: { select: { id: true, version: true, manifest: true } },
  listing: {
    select: {
      id: true,
      slug: true,
      name: true,
      kind: true,
      icon: true,
      latestVersion: true,
      publisher: { select: { displayName: true, verified: true } },
      versions: { select: { version: true, changelog: true, yankedAt: true } },
    },
  },
  policies: { select: { id: true, name: true }, orderBy: { name: "asc" } },
} satisfies Prisma.InstallSelect;
type InstallRow = Prisma.InstallGetPayload<{ select: typeof installSelect }>;

function schemaOf(manifest: unknown): ConfigSchema {
  const raw = (manifest as { configSchema?: unknown } | null)?.configSchema;
  if (raw === undefined) return EMPTY_CONFIG_SCHEMA;
  const parsed = configSchemaSchema.safeParse(raw);
  return parsed.success ? parsed.data : EMPTY_CONFIG_SCHEMA;
}

function toView(row: InstallRow): InstallView {
  const secrets = (row.secrets ?? {}) as Record<string, unknown>;
  return {
    id: row.id,
    listing: {
      slug: row.listing.slug,
      name: row.listing.name,
      kind: row.listing.kind,
      icon: row.listing.icon,
      publisherName: row.listing.publisher.displayName,
      verified: row.listing.publisher.verified,
    },
    version: row.version.version,
    latestVersion: latestAvailable(row.listing.versions),
    enabled: row.enabled,
    failMode: row.failMode === null ? null : row.failMode === "OPEN" ? "open" : "closed",
    routeIds: row.routeIds,
    config: (row.config ?? {}) as ConfigValues,
    secretsSet: Object.keys(secrets).sort(),
    policies: row.policies,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

async function load(tx: Tx, orgId: string, installId: string): Promise<InstallRow> {
  const row = await tx.install.findFirst({ where: { id: installId, orgId }, select: installSelect });
  if (!row) throw notFound("Install");
  return row;
}

export async function listInstalls(opts: { ctx: OrgContext }): Promise<InstallView[]> {
  const rows = await opts.ctx.db.install.findMany({ where: { orgId: opts.ctx.org.id }, select: installSelect, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map(toView);
}

export async function getInstall(opts: { ctx: OrgContext; installId: string }) {
  const row = await load(opts.ctx.db, opts.ctx.org.id, opts.installId);
  return {
    ...toView(row),
    configSchema: schemaOf(row.version.manifest),
    availableVersions: sortVersionsDesc(row.listing.versions).map((v) => ({ version: v.version, changelog: v.changelog, yanked: v.yankedAt !== null })),
  };
}

/**
 * Checks configuration values against a schema, keeping stored secrets where the form left a
 * secret field empty. Returns the plain values and the secrets to store (sealed).
 */
function splitConfig(opts: { schema: ConfigSchema; values: ConfigValues; installId: string; storedSecrets: Record<string, string> }): { config: ConfigValues; secrets: Record<string, string> } {
  const { schema, installId, storedSecrets } = opts;
  const secretNames = new Set(secretFields(schema));
  const values: ConfigValues = { ...opts.values };
  // An empty secret field keeps what is stored (forms never receive secret values to send back).
  for (const name of secretNames) {
    if ((values[name] === undefined || values[name] === "") && storedSecrets[name] !== undefined) values[name] = decryptSecret(storedSecrets[name], secretAad(installId, name));
    if (values[name] === "") delete values[name];
  }
  const parsed = configValidator(schema).safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join(".");
    throw badRequest(`Configuration${field ? ` "${field}"` : ""}: ${issue.message}`, field ? `config.${field}` : "config");
  }
  const config: ConfigValues = {};
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed.data)) {
    if (secretNames.has(name)) secrets[name] = encryptSecret(String(value), secretAad(installId, name));
    else config[name] = value;
  }
  return { config, secrets };
}

async function checkRoutes(tx: Tx, orgId: string, routeIds: readonly string[]): Promise<void> {
  if (routeIds.length === 0) return;
  const found = await tx.route.count({ where: { orgId, id: { in: [...routeIds] } } });
  if (found !== routeIds.length) throw notFound("Route");
}

/** Creates a policy pack's policies (organization-wide), refusing names the organization already uses. */
async function createPackPolicies(tx: Tx, ctx: OrgContext, installId: string, manifest: PolicyPackManifest): Promise<void> {
  const names = manifest.policies.map((p) => p.name);
  const taken = await tx.policy.findMany({ where: { orgId: ctx.org.id, name: { in: names } }, select: { name: true } });
  if (taken.length) {
    throw conflict(
      `This organization already has ${taken.length === 1 ? "a policy" : "policies"} named ${taken.map((t) => `"${t.name}"`).join(", ")}; rename ${taken.length === 1 ? "it" : "them"} before installing the pack`,
      "listingSlug",
    );
  }
  for (const p of manifest.policies) {
    const config = policyConfigInput.parse({ ...p, scope: "ORGANIZATION", confirm: true });
    await insertPolicy(tx, ctx, config, { installId });
  }
}

async function removePackPolicies(tx: Tx, ctx: OrgContext, installId: string): Promise<void> {
  const policies = await tx.policy.findMany({ where: { orgId: ctx.org.id, installId }, select: { id: true, name: true } });
  for (const p of policies) {
    await tx.policy.delete({ where: { id: p.id } });
    await recordAudit(tx, { orgId: ctx.org.id, actor: ctx.user, action: "policy.deleted", targetType: "policy", targetId: p.id, before: { name: p.name, installId } });
  }
}

function failModeColumn(mode: "open" | "closed"): "OPEN" | "CLOSED" {
  return mode === "open" ? "OPEN" : "CLOSED";
}

function asInstallable(found: Installable): Installable {
  if (!INSTALLABLE.has(found.kind)) {
    throw badRequest(
      `${found.kind === "ROUTE_TEMPLATE" ? "A route template" : "An agent template"} is not installed: it fills in a new ${found.kind === "ROUTE_TEMPLATE" ? "route" : "agent"} form`,
      "listingSlug",
    );
  }
  return found;
}

/**
 * A gateway plugin's service must be somewhere the organization lets HelixAgent connect: never a
 * metadata or other machine-local address, and a private one only where private networks are
 * allowed (the rule agents' endpoints follow). A host that does not resolve now is let through: the
 * install's fail mode covers a service that is down.
 */
async function checkServiceAddress(ctx: OrgContext, manifest: GatewayPluginManifest): Promise<void> {
  const org = await ctx.db.organization.findUniqueOrThrow({ where: { id: ctx.org.id }, select: { allowPrivateNetworks: true } });
  try {
    await resolveAllowed(parseAgentUrl(manifest.serviceUrl), { allowPrivateNetworks: org.allowPrivateNetworks });
  } catch (error) {
    if (error instanceof DiscoveryError && error.code === "blocked_address") {
      throw badRequest(`This plugin's service (${manifest.serviceUrl}) cannot be called from here: ${error.message}`, "version");
    }
    if (!(error instanceof DiscoveryError)) throw error;
  }
}

async function versionId(tx: Tx, listingId: string, version: string): Promise<string> {
  const row = await tx.listingVersion.findFirst({ where: { listingId, version }, select: { id: true } });
  if (!row) throw notFound("Version");
  return row.id;
}

function summary(row: InstallRow) {
  return { listing: row.listing.slug, version: row.version.version, enabled: row.enabled, failMode: row.failMode, routeIds: row.routeIds, config: row.config, secrets: Object.keys((row.secrets ?? {}) as object) } as Prisma.InputJsonValue;
}

export async function createInstall(opts: { ctx: OrgContext; input: z.output<typeof createInstallInput> }): Promise<InstallView> {
  const { ctx, input } = opts;
  const found = asInstallable(await getInstallableVersion({ db: ctx.db, listingSlug: input.listingSlug, version: input.version }));
  const isPlugin = found.kind === "GATEWAY_PLUGIN";
  if (!isPlugin && (input.routeIds.length || input.failMode)) {
    throw badRequest("A policy pack applies to the whole organization: it takes no routes or fail mode (scope its policies after installing)", input.routeIds.length ? "routeIds" : "failMode");
  }
  if (isPlugin) await checkServiceAddress(ctx, found.resolvedManifest as unknown as GatewayPluginManifest);
  return ctx.db
    .$transaction(async (tx) => {
      const existing = await tx.install.findFirst({ where: { orgId: ctx.org.id, listingId: found.listingId }, select: { version: { select: { version: true } } } });
      if (existing) throw conflict(`${found.listingSlug} is already installed (version ${existing.version.version}); upgrade or configure that install instead`, "listingSlug");
      await checkRoutes(tx, ctx.org.id, input.routeIds);
      const manifest = found.resolvedManifest as unknown as GatewayPluginManifest | PolicyPackManifest;
      const created = await tx.install.create({
        data: {
          orgId: ctx.org.id,
          listingId: found.listingId,
          versionId: await versionId(tx, found.listingId, found.version),
          routeIds: isPlugin ? input.routeIds : [],
          failMode: isPlugin ? failModeColumn(input.failMode ?? (manifest as GatewayPluginManifest).failMode) : null,
          installedById: ctx.user.id,
        },
        select: { id: true },
      });
      const { config, secrets } = splitConfig({ schema: schemaOf(manifest), values: input.config, installId: created.id, storedSecrets: {} });
      await tx.install.update({ where: { id: created.id }, data: { config: config as Prisma.InputJsonValue, secrets: secrets as Prisma.InputJsonValue } });
      if (!isPlugin) await createPackPolicies(tx, ctx, created.id, manifest as PolicyPackManifest);
      await tx.listing.update({ where: { id: found.listingId }, data: { installCount: { increment: 1 } } });
      const row = await load(tx, ctx.org.id, created.id);
      await recordAudit(tx, { orgId: ctx.org.id, actor: ctx.user, action: "marketplace.installed", targetType: "install", targetId: created.id, after: summary(row) });
      return toView(row);
    })
    .catch(uniqueInstall(found.listingSlug));
}

/** Two installs of one listing racing: the unique index decides, the loser hears why. */
function uniqueInstall(slug: string) {
  return (error: unknown): never => {
    const e = error as { code?: string; meta?: unknown };
    if (e.code === "P2002") {
      throw JSON.stringify(e.meta ?? {}).includes("listingId")
        ? conflict(`${slug} is already installed in this organization`, "listingSlug")
        : conflict("Something this install creates was created at the same moment by someone else; try again", "listingSlug");
    }
    throw error;
  };
}

export async function updateInstall(opts: { ctx: OrgContext; input: z.output<typeof updateInstallInput> }): Promise<InstallView> {
  const { ctx, input } = opts;
  return ctx.db.$transaction(async (tx) => {
    const before = await load(tx, ctx.org.id, input.installId);
    const isPlugin = before.listing.kind === "GATEWAY_PLUGIN";
    if (!isPlugin && (input.routeIds !== undefined || input.failMode !== undefined)) {
      throw badRequest("A policy pack applies to the whole organization: it takes no routes or fail mode", input.routeIds !== undefined ? "routeIds" : "failMode");
    }
    const data: Prisma.InstallUpdateInput = {};
    if (input.routeIds !== undefined) {
      await checkRoutes(tx, ctx.org.id, input.routeIds);
      data.routeIds = input.routeIds;
    }
    if (input.failMode !== undefined) data.failMode = failModeColumn(input.failMode);
    if (input.enabled !== undefined) data.enabled = input.enabled;
    if (input.config !== undefined) {
      const { config, secrets } = splitConfig({ schema: schemaOf(before.version.manifest), values: input.config, installId: before.id, storedSecrets: before.secrets as Record<string, string> });
      data.config = config as Prisma.InputJsonValue;
      data.secrets = secrets as Prisma.InputJsonValue;
    }
    if (input.enabled !== undefined && !isPlugin) {
      // A pack's policies follow the install's switch.
      await tx.policy.updateMany({ where: { orgId: ctx.org.id, installId: before.id }, data: { enabled: input.enabled } });
    }
    await tx.install.update({ where: { id: before.id }, data });
    const after = await load(tx, ctx.org.id, before.id);
    const action = input.enabled !== undefined && input.config === undefined && input.routeIds === undefined && input.failMode === undefined ? (input.enabled ? "marketplace.install_enabled" : "marketplace.install_disabled") : "marketplace.install_configured";
    await recordAudit(tx, { orgId: ctx.org.id, actor: ctx.user, action, targetType: "install", targetId: before.id, before: summary(before), after: summary(after) });
    return toView(after);
  });
}

function configDiff(from: ConfigSchema, to: ConfigSchema) {
  const a = from.properties;
  const b = to.properties;
  return {
    added: Object.keys(b).filter((k) => !(k in a)),
    removed: Object.keys(a).filter((k) => !(k in b)),
    changed: Object.keys(b).filter((k) => k in a && JSON.stringify(a[k]) !== JSON.stringify(b[k])),
  };
}

export async function previewUpgrade(opts: { ctx: OrgContext; installId: string; version: string }) {
  const { ctx } = opts;
  const before = await load(ctx.db, ctx.org.id, opts.installId);
  const target = await getInstallableVersion({ db: ctx.db, listingSlug: before.listing.slug, version: opts.version });
  const between = sortVersionsDesc(before.listing.versions).filter((v) => semver.gt(v.version, before.version.version) && semver.lte(v.version, target.version));
  const oldPack = before.listing.kind === "POLICY_PACK" ? (before.version.manifest as unknown as PolicyPackManifest) : null;
  const newPack = before.listing.kind === "POLICY_PACK" ? (target.resolvedManifest as unknown as PolicyPackManifest) : null;
  const oldNames = new Set(oldPack?.policies.map((p) => p.name) ?? []);
  const newNames = new Set(newPack?.policies.map((p) => p.name) ?? []);
  return {
    from: before.version.version,
    to: target.version,
    changelogs: between.map((v) => ({ version: v.version, changelog: v.changelog })),
    configChanges: configDiff(schemaOf(before.version.manifest), schemaOf(target.resolvedManifest)),
    policyChanges: oldPack ? { added: [...newNames].filter((n) => !oldNames.has(n)), removed: [...oldNames].filter((n) => !newNames.has(n)) } : null,
  };
}

export async function upgradeInstall(opts: { ctx: OrgContext; input: z.output<typeof upgradeInstallInput> }): Promise<InstallView> {
  const { ctx, input } = opts;
  const current = await load(ctx.db, ctx.org.id, input.installId);
  const target = asInstallable(await getInstallableVersion({ db: ctx.db, listingSlug: current.listing.slug, version: input.version }));
  if (target.version === current.version.version) throw badRequest(`Version ${target.version} is already installed`, "version");
  if (target.kind === "GATEWAY_PLUGIN") await checkServiceAddress(ctx, target.resolvedManifest as unknown as GatewayPluginManifest);
  return ctx.db.$transaction(async (tx) => {
    const before = await load(tx, ctx.org.id, input.installId);
    const schema = schemaOf(target.resolvedManifest);
    // Without new values, the current ones carry over where the new schema still has the field.
    const storedSecrets = before.secrets as Record<string, string>;
    const values: ConfigValues = input.config ?? Object.fromEntries(Object.entries(before.config as ConfigValues).filter(([k]) => k in schema.properties));
    const { config, secrets } = splitConfig({ schema, values, installId: before.id, storedSecrets: Object.fromEntries(Object.entries(storedSecrets).filter(([k]) => k in schema.properties)) });
    await tx.install.update({
      where: { id: before.id },
      data: { versionId: await versionId(tx, before.listing.id, target.version), config: config as Prisma.InputJsonValue, secrets: secrets as Prisma.InputJsonValue },
    });
    if (before.listing.kind === "POLICY_PACK") {
      await removePackPolicies(tx, ctx, before.id);
      await createPackPolicies(tx, ctx, before.id, target.resolvedManifest as unknown as PolicyPackManifest);
      if (!before.enabled) await tx.policy.updateMany({ where: { orgId: ctx.org.id, installId: before.id }, data: { enabled: false } });
    }
    const after = await load(tx, ctx.org.id, before.id);
    await recordAudit(tx, { orgId: ctx.org.id, actor: ctx.user, action: "marketplace.install_upgraded", targetType: "install", targetId: before.id, before: summary(before), after: summary(after) });
    return toView(after);
  });
}

export async function uninstall(opts: { ctx: OrgContext; installId: string }): Promise<{ ok: true }> {
  const { ctx } = opts;
  return ctx.db.$transaction(async (tx) => {
    const before = await load(tx, ctx.org.id, opts.installId);
    if (before.listing.kind === "POLICY_PACK") await removePackPolicies(tx, ctx, before.id);
    await tx.install.delete({ where: { id: before.id } });
    await tx.listing.updateMany({ where: { id: before.listing.id, installCount: { gt: 0 } }, data: { installCount: { decrement: 1 } } });
    await recordAudit(tx, { orgId: ctx.org.id, actor: ctx.user, action: "marketplace.uninstalled", targetType: "install", targetId: before.id, before: summary(before) });
    return { ok: true as const };
  });
}
