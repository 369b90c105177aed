import type { PrismaClient } from "@/server/generated/prisma/client";

/** Who is calling, as the session says. `authedProcedure` re-reads the user from the database. */
export interface SessionIdentity {
  id: string;
}

export interface Context {
  db: PrismaClient;
  session: SessionIdentity | null;
  /** Client address, for rate limits and audit. */
  ip: string | null;
}

/** Builds a context. Route handlers pass the Auth.js session; tests inject one directly. */
export function createContext(opts: { db: PrismaClient; session: SessionIdentity | null; ip?: string | null }): Context {
  return { db: opts.db, session: opts.session, ip: opts.ip ?? null };
}
