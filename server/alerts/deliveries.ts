import { createHmac } from "node:crypto";
import type { Prisma } from "@/server/generated/prisma/client";
import type { Db, Tx } from "@/server/db";
import { decryptSecret } from "@/server/agents/crypto";
import { safeFetch } from "@/server/agents/net/safe-fetch";
import type { WebhookEvent } from "./schema";

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
 * Queues one delivery per enabled endpoint of the rule, in the caller's transaction. Nothing is sent
 * here: the delivery job does that, so neither detection nor a person's click waits on a receiver.
 */
export async function enqueueDeliveries(
  tx: Tx,
  opts: { orgId: string; alertId: string; webhookIds: string[]; event: WebhookEvent; payload: Prisma.InputJsonValue; now?: Date },
): Promise<number> {
  if (opts.webhookIds.length === 0) return 0;
  const endpoints = await tx.webhookEndpoint.findMany({ where: { orgId: opts.orgId, id: { in: opts.webhookIds }, enabled: true }, select: { id: true } });
  if (endpoints.length === 0) return 0;
  const now = opts.now ?? new Date();
  await tx.webhookDelivery.createMany({
    data: endpoints.map((e) => ({
      orgId: opts.orgId,
      alertId: opts.alertId,
      endpointId: e.id,
      event: opts.event,
      payload: opts.payload,
      nextRetryAt: now,
    })),
  });
  return endpoints.length;
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
      endpoint: { select: { id: true, url: true, secretCipher: true, enabled: true } },
      org: { select: { allowPrivateNetworks: true } },
    },
  });
  let delivered = 0;
  await Promise.all(
    rows.map(async (row) => {
      const attempt = row.attempt + 1;
      let record: AttemptRecord;
      if (!row.endpoint.enabled) {
        record = { at: now.getTime(), statusCode: null, error: "The webhook is disabled", ms: 0 };
      } else {
        let secret: string;
        try {
          secret = decryptSecret(row.endpoint.secretCipher, row.endpoint.id);
        } catch {
          secret = "";
        }
        record = secret
          ? await attemptDelivery({
              url: row.endpoint.url,
              secret,
              body: JSON.stringify(row.payload),
              allowPrivateNetworks: row.org.allowPrivateNetworks,
              timeoutMs: opts.timeoutMs ?? DELIVERY_TIMEOUT_MS,
              now: now.getTime(),
            })
          : { at: now.getTime(), statusCode: null, error: "The webhook's secret cannot be read (was HELIX_ENCRYPTION_KEY changed?)", ms: 0 };
      }
      const ok = record.error === null;
      if (ok) delivered++;
      const giveUp = !ok && (attempt >= MAX_ATTEMPTS || !row.endpoint.enabled);
      const attempts = [...((row.attempts as unknown as AttemptRecord[]) ?? []), record];
      await db.webhookDelivery.update({
        where: { id: row.id },
        data: {
          attempt,
          attempts: attempts as unknown as Prisma.InputJsonValue,
          statusCode: record.statusCode,
          error: record.error,
          status: ok ? "DELIVERED" : giveUp ? "FAILED" : "PENDING",
          deliveredAt: ok ? new Date(now.getTime() + record.ms) : null,
          nextRetryAt: ok || giveUp ? null : new Date(now.getTime() + RETRY_DELAYS_MS[attempt - 1]!),
        },
      });
    }),
  );
  return { sent: rows.length, delivered };
}
