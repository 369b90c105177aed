import { createHmac } from "node:crypto";
import type { Prisma } from "@/server/generated/prisma/client";
import type { Db, Tx } from "@/server/db";
import { decryptSecret } from "@/server/agents/crypto";
import { safeFetch } from "@/server/agents/net/safe-fetch";
import { alertEmailFacts, emailConfigured, sendAlertEmail, type AlertEmailFacts } from "./email";
import type { RuleKind, WebhookEvent } from "./schema";

/** Waits before attempt 2, 3, 4 and 5; after the fifth failed attempt the delivery is FAILED. */
export const RETRY_DELAYS_MS = [30_000, 2 * 60_000, 10 * 60_000, 60 * 60_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
export const DELIVERY_TIMEOUT_MS = 5_000;
/** A claimed delivery is not picked up again by another worker for this long. */
const CLAIM_LEASE_MS = 60_000;
const BATCH = 50;

export const SIGNATURE_HEADER = "X-Helix-Signature";
export const TIMESTAMP_HEADER = "X-Helix-Timestamp";

/** `sha256=<hex HMAC-SHA256 of the body>`: what a receiver recomputes with its secret to trust the body. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

interface AlertForPayload {
  id: string;
  ruleId: string;
  status: string;
  severity: string;
  priority: number;
  summary: string;
  occurrences: number;
  fingerprint: string;
  startedAt: Date;
  lastSeenAt: Date;
  ackedAt: Date | null;
  ackedByEmail: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

export function alertPayload(opts: { event: WebhookEvent; alert: AlertForPayload; ruleName: string; org: { id: string; slug: string; name: string } }) {
  const { alert } = opts;
  return {
    event: opts.event,
    alert: {
      id: alert.id,
      ruleId: alert.ruleId,
      ruleName: opts.ruleName,
      status: alert.status,
      severity: alert.severity,
      priority: alert.priority,
      summary: alert.summary,
      occurrences: alert.occurrences,
      fingerprint: alert.fingerprint,
      startedAt: alert.startedAt.toISOString(),
      lastSeenAt: alert.lastSeenAt.toISOString(),
      ackedAt: alert.ackedAt?.toISOString() ?? null,
      ackedBy: alert.ackedByEmail,
      resolvedAt: alert.resolvedAt?.toISOString() ?? null,
      resolvedBy: alert.resolvedBy,
      path: `/o/${opts.org.slug}/alerts/${alert.id}`,
    },
    org: { id: opts.org.id, slug: opts.org.slug, name: opts.org.name },
  };
}

/**
 * Queues one delivery per enabled endpoint of the rule and, when SMTP is configured, one per email
 * recipient, in the caller's transaction. Nothing is sent here: the delivery job does that, so neither
 * detection nor a person's click waits on a receiver or a mail server.
 */
export async function enqueueDeliveries(
  tx: Tx,
  opts: {
    event: WebhookEvent;
    alert: AlertForPayload & { evidence: unknown };
    rule: { name: string; kind: RuleKind; metric: string; routeId: string | null; agentId: string | null; webhookIds: string[]; emailRecipients: string[] };
    org: { id: string; slug: string; name: string };
    now?: Date;
  },
): Promise<number> {
  const { event, alert, rule, org } = opts;
  const endpoints = rule.webhookIds.length
    ? await tx.webhookEndpoint.findMany({ where: { orgId: org.id, id: { in: rule.webhookIds }, enabled: true }, select: { id: true } })
    : [];
  const recipients = emailConfigured() ? rule.emailRecipients : [];
  if (endpoints.length === 0 && recipients.length === 0) return 0;
  const payload = alertPayload({ event, alert, ruleName: rule.name, org });
  const email = recipients.length ? await alertEmailFacts(tx, { event, alert, rule, org }) : null;
  const base = { orgId: org.id, alertId: alert.id, event, nextRetryAt: opts.now ?? new Date() };
  await tx.webhookDelivery.createMany({
    data: [
      ...endpoints.map((e) => ({ ...base, channel: "WEBHOOK" as const, endpointId: e.id, payload })),
      ...recipients.map((to) => ({ ...base, channel: "EMAIL" as const, recipient: to, payload: { ...payload, email } as unknown as Prisma.InputJsonValue })),
    ],
  });
  return endpoints.length + recipients.length;
}

interface AttemptRecord {
  at: number;
  statusCode: number | null;
  error: string | null;
  ms: number;
}

/** One POST to a receiver; never throws. */
async function attemptDelivery(opts: {
  url: string;
  secret: string;
  body: string;
  allowPrivateNetworks: boolean;
  timeoutMs: number;
  now: number;
}): Promise<AttemptRecord> {
  const started = performance.now();
  const timestamp = String(Math.floor(opts.now / 1000));
  try {
    const res = await safeFetch(opts.url, {
      network: { allowPrivateNetworks: opts.allowPrivateNetworks },
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "HelixAgent-Webhooks/1",
        [SIGNATURE_HEADER.toLowerCase()]: signBody(opts.body, opts.secret),
        [TIMESTAMP_HEADER.toLowerCase()]: timestamp,
      },
      body: opts.body,
      timeoutMs: opts.timeoutMs,
      maxRedirects: 0,
      maxBytes: 64 * 1024,
    });
    await res.discard();
    const ok = res.status >= 200 && res.status < 300;
    return { at: opts.now, statusCode: res.status, error: ok ? null : `The receiver answered HTTP ${res.status}`, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { at: opts.now, statusCode: null, error: error instanceof Error ? error.message.slice(0, 500) : "Delivery failed", ms: Math.round(performance.now() - started) };
  }
}

/** One alert email; never throws. */
async function attemptEmail(opts: { to: string; facts: AlertEmailFacts | undefined; timeoutMs: number; now: number }): Promise<AttemptRecord> {
  const started = performance.now();
  try {
    if (!opts.facts) throw new Error("The delivery has no email content");
    await sendAlertEmail({ to: opts.to, facts: opts.facts, timeoutMs: opts.timeoutMs });
    return { at: opts.now, statusCode: null, error: null, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { at: opts.now, statusCode: null, error: error instanceof Error ? error.message.slice(0, 500) : "The email could not be sent", ms: Math.round(performance.now() - started) };
  }
}

/** A webhook POST (signed with the endpoint's secret) or an email, by the delivery's channel; never throws. */
async function attempt(
  row: {
    channel: "WEBHOOK" | "EMAIL";
    recipient: string | null;
    payload: Prisma.JsonValue;
    endpoint: { id: string; url: string; secretCipher: string; enabled: boolean } | null;
    org: { allowPrivateNetworks: boolean };
  },
  opts: { timeoutMs: number; now: number },
): Promise<AttemptRecord> {
  if (row.channel === "EMAIL") {
    const facts = (row.payload as { email?: AlertEmailFacts } | null)?.email ?? undefined;
    return attemptEmail({ to: row.recipient ?? "", facts, timeoutMs: opts.timeoutMs, now: opts.now });
  }
  if (!row.endpoint) return { at: opts.now, statusCode: null, error: "The webhook was deleted", ms: 0 };
  if (!row.endpoint.enabled) return { at: opts.now, statusCode: null, error: "The webhook is disabled", ms: 0 };
  let secret: string;
  try {
    secret = decryptSecret(row.endpoint.secretCipher, row.endpoint.id);
  } catch {
    secret = "";
  }
  if (!secret) return { at: opts.now, statusCode: null, error: "The webhook's secret cannot be read (was HELIX_ENCRYPTION_KEY changed?)", ms: 0 };
  return attemptDelivery({
    url: row.endpoint.url,
    secret,
    body: JSON.stringify(row.payload),
    allowPrivateNetworks: row.org.allowPrivateNetworks,
    timeoutMs: opts.timeoutMs,
    now: opts.now,
  });
}

/**
 * Sends every due delivery (across organizations: a job, hence `unsafe`), side by side. A claimed
 * row's next retry moves a lease ahead first, so two workers never send the same attempt.
 */
export async function unsafeDispatchDueDeliveries(opts: { db: Db; now?: Date; timeoutMs?: number; orgId?: string }): Promise<{ sent: number; delivered: number }> {
  const { db } = opts;
  const now = opts.now ?? new Date();
  const lease = new Date(now.getTime() + CLAIM_LEASE_MS);
  const org = opts.orgId ?? "";
  const claimed = await db.$queryRaw<{ id: string }[]>`
    UPDATE "WebhookDelivery" SET "nextRetryAt" = ${lease}
     WHERE id IN (
       SELECT id FROM "WebhookDelivery"
        WHERE status = 'PENDING' AND "nextRetryAt" <= ${now} AND (${org} = '' OR "orgId" = ${org})
        ORDER BY "nextRetryAt" LIMIT ${BATCH}
        FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  if (claimed.length === 0) return { sent: 0, delivered: 0 };
  const rows = await db.webhookDelivery.findMany({
    where: { id: { in: claimed.map((c) => c.id) } },
    select: {
      id: true,
      attempt: true,
      attempts: true,
      payload: true,
      channel: true,
      recipient: true,
      endpoint: { select: { id: true, url: true, secretCipher: true, enabled: true } },
      org: { select: { allowPrivateNetworks: true } },
    },
  });
  let delivered = 0;
  await Promise.all(
    rows.map(async (row) => {
      const attemptNo = row.attempt + 1;
      const record = await attempt(row, { timeoutMs: opts.timeoutMs ?? DELIVERY_TIMEOUT_MS, now: now.getTime() });
      const ok = record.error === null;
      if (ok) delivered++;
      const endpointGone = row.channel === "WEBHOOK" && !row.endpoint?.enabled;
      const giveUp = !ok && (attemptNo >= MAX_ATTEMPTS || endpointGone);
      const attempts = [...((row.attempts as unknown as AttemptRecord[]) ?? []), record];
      await db.webhookDelivery.update({
        where: { id: row.id },
        data: {
          attempt: attemptNo,
          attempts: attempts as unknown as Prisma.InputJsonValue,
          statusCode: record.statusCode,
          error: record.error,
          status: ok ? "DELIVERED" : giveUp ? "FAILED" : "PENDING",
          deliveredAt: ok ? new Date(now.getTime() + record.ms) : null,
          nextRetryAt: ok || giveUp ? null : new Date(now.getTime() + RETRY_DELAYS_MS[attemptNo - 1]!),
        },
      });
    }),
  );
  return { sent: rows.length, delivered };
}
