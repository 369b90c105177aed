import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/server/generated/prisma/client";
import { env } from "@/server/env";

export type Db = PrismaClient;
/** A Prisma transaction client: what services receive inside `db.$transaction`. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const globalForDb = globalThis as unknown as { helixDb?: PrismaClient };

function create(): PrismaClient {
  const adapter = new PrismaPg({ connectionString: env().DATABASE_URL });
  return new PrismaClient({ adapter });
}

/** The process-wide Prisma client, created lazily (builds and unit tests never open a connection). */
export function db(): PrismaClient {
  globalForDb.helixDb ??= create();
  return globalForDb.helixDb;
}
