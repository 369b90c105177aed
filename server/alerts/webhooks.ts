import { randomBytes } from "node:crypto";
import type { Prisma } from "@/server/generated/prisma/client";
import type { Tx } from "@/server/db";
import type { OrgContext } from "@/server/trpc/init";
import { notFound } from "@/server/errors/domain-error";
import { recordAudit } from "@/server/audit/record";
import { encryptSecret } from "@/server/agents/crypto";
import { parseAgentUrl, resolveAllowed, shownUrl } from "@/server/agents/net/safe-fetch";
import { DiscoveryError } from "@/server/agents/discovery/errors";
import type { DeliveryView, WebhookView } from "./schema";

/** A new signing secret: shown once, stored encrypted (the delivery job needs it back to sign). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64url")}`;
}

/**
 * An http(s) URL whose host resolves to addresses the organization may call. Link-local and
 * metadata addresses are always refused, private ranges per the organization's setting.
 */
async function checkUrl(tx: Tx, orgId: string, input: string): Promise<string> {
  const org = await tx.organization.findUniqueOrThrow({ where: { id: orgId }, select: { allowPrivateNetworks: true } });
  try {
    const url = parseAgentUrl(input);
    await resolveAllowed(url, { allowPrivateNetworks: org.allowPrivateNetworks });
    return url.href;
  } catch (error) {
    if (error instanceof DiscoveryError) {
      const message = error.message.replace("Enter the agent's web address.", "Enter the receiver's web address.").replace("Use the agent's own address instead.", "Use the receiver's own address instead.");
      throw new DiscoveryError(error.code, `Webhook URL: ${message}`, { field: "url", cause: error });
    }
    throw error;
  }
}

const select = { id: true, name: true, url: true, enabled: true, createdAt: true } as const satisfies Prisma.WebhookEndpointSelect;
type Row = Prisma.WebhookEndpointGetPayload<{ select: typeof select }>;

async function toViews(tx: Tx, orgId: string, rows: Row[]): Promise<WebhookView[]> {
  const last = await tx.webhookDelivery.findMany({
    where: { orgId, endpointId: { in: rows.map((r) => r.id) } },
    orderBy: { createdAt: "desc" },
    distinct: ["endpointId"],
    select: { endpointId: true, status: true, statusCode: true, createdAt: true },
  });
  const byEndpoint = new Map(last.map((d) => [d.endpointId, { status: d.status, statusCode: d.statusCode, at: d.createdAt }]));
  return rows.map((r) => ({ ...r, url: shownUrl(r.url), lastDelivery: byEndpoint.get(r.id) ?? null }));
}

export async function listWebhooks(opts: { ctx: OrgContext }) {
  const rows = await opts.ctx.db.webhookEndpoint.findMany({ where: { orgId: opts.ctx.org.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select });
  return toViews(opts.ctx.db, opts.ctx.org.id, rows);
}

export async function createWebhook(opts: { ctx: OrgContext; name: string; url: string; enabled: boolean }) {
  const { ctx } = opts;
  return ctx.db.$transaction(async (tx) => {
    const url = await checkUrl(tx, ctx.org.id, opts.url);
    const secret = newWebhookSecret();
    const made = await tx.webhookEndpoint.create({ data: { orgId: ctx.org.id, name: opts.name, url, enabled: opts.enabled, secretCipher: "" }, select: { id: true } });
    // The id is the ciphertext's associated data: a secret copied onto another endpoint does not decrypt.
    const row = await tx.webhookEndpoint.update({ where: { id: made.id }, data: { secretCipher: encryptSecret(secret, made.id) }, select });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "webhook.created",
      targetType: "webhook",
      targetId: row.id,
      after: { name: row.name, url: shownUrl(row.url), enabled: row.enabled },
    });
    return { webhook: (await toViews(tx, ctx.org.id, [row]))[0]!, secret };
  });
}

export async function updateWebhook(opts: { ctx: OrgContext; webhookId: string; name: string; url?: string; enabled: boolean }) {
  const { ctx } = opts;
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.webhookEndpoint.findFirst({ where: { id: opts.webhookId, orgId: ctx.org.id }, select });
    if (!before) throw notFound("Webhook");
    const url = opts.url === undefined ? before.url : await checkUrl(tx, ctx.org.id, opts.url);
    const row = await tx.webhookEndpoint.update({ where: { id: before.id }, data: { name: opts.name, url, enabled: opts.enabled }, select });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "webhook.updated",
      targetType: "webhook",
      targetId: row.id,
      before: { name: before.name, url: shownUrl(before.url), enabled: before.enabled },
      after: { name: row.name, url: shownUrl(row.url), enabled: row.enabled },
    });
    return (await toViews(tx, ctx.org.id, [row]))[0]!;
  });
}

export async function deleteWebhook(opts: { ctx: OrgContext; webhookId: string }) {
  const { ctx } = opts;
  return ctx.db.$transaction(async (tx) => {
    const row = await tx.webhookEndpoint.findFirst({ where: { id: opts.webhookId, orgId: ctx.org.id }, select });
    if (!row) throw notFound("Webhook");
    await tx.webhookEndpoint.delete({ where: { id: row.id } });
    // Rules keep working without it.
    const rules = await tx.alertRule.findMany({ where: { orgId: ctx.org.id, webhookIds: { has: row.id } }, select: { id: true, webhookIds: true } });
    for (const r of rules) await tx.alertRule.update({ where: { id: r.id }, data: { webhookIds: r.webhookIds.filter((id) => id !== row.id) } });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "webhook.deleted",
      targetType: "webhook",
      targetId: row.id,
      before: { name: row.name, url: shownUrl(row.url), enabled: row.enabled },
    });
    return { id: row.id };
  });
}

export async function listDeliveries(opts: { ctx: OrgContext; alertId?: string; webhookId?: string; limit: number }): Promise<DeliveryView[]> {
  const { ctx } = opts;
  if (opts.alertId && !(await ctx.db.alert.findFirst({ where: { id: opts.alertId, orgId: ctx.org.id }, select: { id: true } }))) throw notFound("Alert");
  if (opts.webhookId && !(await ctx.db.webhookEndpoint.findFirst({ where: { id: opts.webhookId, orgId: ctx.org.id }, select: { id: true } }))) {
    throw notFound("Webhook");
  }
  const rows = await ctx.db.webhookDelivery.findMany({
    where: { orgId: ctx.org.id, ...(opts.alertId ? { alertId: opts.alertId } : {}), ...(opts.webhookId ? { endpointId: opts.webhookId } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: opts.limit,
    select: {
      id: true,
      alertId: true,
      channel: true,
      endpointId: true,
      recipient: true,
      event: true,
      attempt: true,
      status: true,
      statusCode: true,
      error: true,
      nextRetryAt: true,
      deliveredAt: true,
      createdAt: true,
      attempts: true,
      endpoint: { select: { name: true } },
    },
  });
  return rows.map(({ endpoint, recipient, attempts, ...d }) => ({
    ...d,
    target: d.channel === "EMAIL" ? (recipient ?? "") : (endpoint?.name ?? "deleted webhook"),
    attempts: attempts as unknown as DeliveryView["attempts"],
  }));
}
