import pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "@/server/env";

const WINDOW_SECONDS = 15 * 60;
/** One address may fail this many times more than one account (offices share an address). */
const IP_FACTOR = 10;

interface Limiters {
  email: RateLimiterPostgres;
  ip: RateLimiterPostgres;
}

const globalForLimits = globalThis as unknown as { helixSignInLimiters?: Limiters };

function limiters(): Limiters {
  if (!globalForLimits.helixSignInLimiters) {
    const storeClient = new pg.Pool({ connectionString: env().DATABASE_URL, max: 2 });
    const common = { storeClient, tableName: "rate_limits", tableCreated: true, duration: WINDOW_SECONDS };
    // The table comes from a Prisma migration (model RateLimit), hence tableCreated.
    const max = env().HELIX_SIGNIN_MAX_ATTEMPTS;
    globalForLimits.helixSignInLimiters = {
      email: new RateLimiterPostgres({ ...common, keyPrefix: "signin-email", points: max }),
      ip: new RateLimiterPostgres({ ...common, keyPrefix: "signin-ip", points: max * IP_FACTOR }),
    };
  }
  return globalForLimits.helixSignInLimiters;
}

export interface Throttle {
  allowed: boolean;
  retryAfterSeconds: number;
}

type Who = { email: string; ip: string | null };

function buckets({ email, ip }: Who): [RateLimiterPostgres, string][] {
  const l = limiters();
  const list: [RateLimiterPostgres, string][] = [[l.email, email.toLowerCase()]];
  if (ip) list.push([l.ip, ip]);
  return list;
}

/**
 * Whether another sign-in attempt may be made. Failed attempts count against the email and the
 * client address; either running dry refuses, so neither guessing one account's password from many
 * addresses nor many accounts from one address gets far. Successful sign-ins cost nothing.
 */
export async function checkSignInAllowed(who: Who): Promise<Throttle> {
  let retryAfterMs = 0;
  for (const [limiter, key] of buckets(who)) {
    const res = await limiter.get(key);
    if (res && res.remainingPoints <= 0) retryAfterMs = Math.max(retryAfterMs, res.msBeforeNext);
  }
  return { allowed: retryAfterMs === 0, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) };
}

/** Counts one failed attempt; returns whether the next one is still allowed. */
export async function recordFailedSignIn(who: Who): Promise<Throttle> {
  let retryAfterMs = 0;
  for (const [limiter, key] of buckets(who)) {
    try {
      const res = await limiter.consume(key);
      if (res.remainingPoints <= 0) retryAfterMs = Math.max(retryAfterMs, res.msBeforeNext);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      retryAfterMs = Math.max(retryAfterMs, rejection.msBeforeNext);
    }
  }
  return { allowed: retryAfterMs === 0, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) };
}

/** A successful sign-in clears the email's failures (the address keeps its count). */
export async function resetSignInAttempts(email: string): Promise<void> {
  await limiters().email.delete(email.toLowerCase());
}
