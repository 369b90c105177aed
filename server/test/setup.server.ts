import { afterAll } from "vitest";

// Server tests talk to a real Postgres. `npm test` makes a fresh, migrated database per run and sets
// DATABASE_URL; running vitest by hand needs the same, so say how instead of failing deep in Prisma.
if (!process.env.DATABASE_URL) {
  throw new Error(
    [
      "Server tests need DATABASE_URL (a migrated, throwaway Postgres database).",
      "Run them through `npm test`, which creates one per run, or by hand:",
      "  createdb -h 127.0.0.1 -U postgres helix_test_me",
      "  export DATABASE_URL=postgresql://postgres@127.0.0.1:5432/helix_test_me",
      "  node scripts/prisma.mjs migrate deploy && npx vitest run --project server",
    ].join("\n"),
  );
}

// Fixed test-only secrets, so server code that needs them runs without a developer's .env.
process.env.AUTH_SECRET ||= "helix-server-tests-auth-secret-0123456789";
process.env.HELIX_ENCRYPTION_KEY ||= Buffer.alloc(32, 7).toString("base64");

type PoolLike = { end(): Promise<void> };
type LimiterLike = { client?: PoolLike };
const globals = globalThis as unknown as {
  helixDb?: { $disconnect(): Promise<void> };
  helixSignInLimiters?: Record<string, LimiterLike>;
};

afterAll(async () => {
  // Close what this test file opened (Prisma, the sign-in limiters' pg pool) so the worker exits cleanly.
  await globals.helixDb?.$disconnect();
  globals.helixDb = undefined;
  const pools = new Set(Object.values(globals.helixSignInLimiters ?? {}).map((limiter) => limiter.client));
  for (const pool of pools) await pool?.end();
  globals.helixSignInLimiters = undefined;
});
