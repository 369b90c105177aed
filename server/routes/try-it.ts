import { request } from "undici";
import { z } from "zod";
import { env } from "@/server/env";
import { badRequest, notFound } from "@/server/errors/domain-error";
import { signConsoleToken } from "@/server/gateway/console-token";
import type { OrgContext } from "@/server/trpc/init";
import type { TryItReport, TryItResult } from "./schema";

/**
 * "Try it" on a route's page: one real chat completion through the running gateway, sent as the
 * signed-in member with a short-lived console token (no API key needed) and with the gateway's
 * debug report switched on, so the page can show which agent answered and every attempt made.
 */

/** Time beyond the route's own deadline for the gateway to send its answer (or its timeout error). */
const GATEWAY_GRACE_MS = 2_000;
/** Never keep a console request open longer than this, whatever the route's deadline. */
const MAX_WAIT_MS = 70_000;

export function tryItTimeoutMs(deadlineMs: number): number {
  return Math.min(deadlineMs + GATEWAY_GRACE_MS, MAX_WAIT_MS);
}

const orNull = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);

/** The debug report as the gateway sends it; absent optional fields read as null. */
const gatewayReport = z.object({
  requestId: z.string(),
  traceId: z.string(),
  routeId: orNull(z.string()),
  agentId: orNull(z.string()),
  agentName: orNull(z.string()),
  failover: z.boolean().default(false),
  totalMs: z.number(),
  attempts: z
    .array(
      z.object({
        agentId: orNull(z.string()),
        agentName: orNull(z.string()),
        protocol: orNull(z.string()),
        status: z.number().int().default(0),
        errorClass: orNull(z.string()),
        latencyMs: z.number().default(0),
        ttftMs: orNull(z.number()),
        retry: z.boolean().default(false),
        failover: z.boolean().default(false),
      }),
    )
    .default([]),
});

const gatewayBody = z.looseObject({
  choices: z.array(z.looseObject({ message: z.looseObject({ content: orNull(z.string()) }).optional() })).optional(),
  error: z.looseObject({ message: z.string().optional() }).optional(),
  helix: z.unknown().optional(),
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What the gateway's response means for the page: the answer or the error, and its report. */
export function readGatewayResponse(status: number, text: string): Omit<TryItResult, "totalMs"> {
  const body = gatewayBody.safeParse(parseJson(text));
  const report = body.success ? gatewayReport.safeParse(body.data.helix) : null;
  const helix: TryItReport | null = report?.success ? report.data : null;
  const ok = status >= 200 && status < 300;
  if (!body.success) {
    return { ok: false, status, answer: null, error: `The gateway answered ${status} with a body that is not a chat completion`, helix };
  }
  if (ok) {
    const answer = body.data.choices?.[0]?.message?.content ?? null;
    return answer === null
      ? { ok: false, status, answer: null, error: "The gateway answered without a message", helix }
      : { ok: true, status, answer, error: null, helix };
  }
  return { ok: false, status, answer: null, error: body.data.error?.message ?? `The gateway answered ${status}`, helix };
}

function causeCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string") return e.code;
  }
  return undefined;
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name === "TimeoutError" || name === "AbortError" || causeCode(error) === "UND_ERR_HEADERS_TIMEOUT" || causeCode(error) === "UND_ERR_BODY_TIMEOUT";
}

export async function tryRoute(opts: { ctx: OrgContext; routeId: string; message: string; system?: string }): Promise<TryItResult> {
  const { ctx, routeId } = opts;
  // Scoped first: another organization's route is not found before anything leaves the console.
  const route = await ctx.db.route.findFirst({ where: { id: routeId, orgId: ctx.org.id }, select: { id: true, alias: true, enabled: true, deadlineMs: true } });
  if (!route) throw notFound("Route");
  if (!route.enabled) throw badRequest("This route is disabled, so the gateway does not serve it: enable it to try it");

  const { AUTH_SECRET: secret, HELIX_GATEWAY_URL: gatewayUrl } = env();
  if (!secret) throw badRequest("AUTH_SECRET is not set: the console signs its requests to the gateway with it (npm start generates one)");
  const token = signConsoleToken({ orgId: ctx.org.id, routeId: route.id, userId: ctx.user.id }, secret);
  const base = gatewayUrl.replace(/\/+$/, "");
  const timeoutMs = tryItTimeoutMs(route.deadlineMs);
  const messages = [...(opts.system ? [{ role: "system", content: opts.system }] : []), { role: "user", content: opts.message }];

  const started = performance.now();
  let status: number;
  let text: string;
  try {
    const response = await request(`${base}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "x-helix-debug": "1" },
      body: JSON.stringify({ model: route.alias, messages, stream: false }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.statusCode;
    text = await response.body.text();
  } catch (error) {
    if (isTimeout(error)) {
      throw badRequest(`The gateway at ${base} did not answer within ${Math.round(timeoutMs / 1000)} s (the route's deadline plus ${GATEWAY_GRACE_MS / 1000} s); check that it is running and can reach the database`);
    }
    const code = causeCode(error);
    throw badRequest(
      `The gateway at ${base} is not reachable${code ? ` (${code})` : ""}: start it with \`npm run gateway\` (npm start runs it), or set HELIX_GATEWAY_URL to where it runs`,
    );
  }
  return { ...readGatewayResponse(status, text), totalMs: Math.round(performance.now() - started) };
}
