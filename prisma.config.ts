// Prisma 7 configuration (the schema has no `url`; the CLI takes the datasource from here).
// Run the CLI through `node scripts/prisma.mjs …` (npm run db:migrate, db:migration:new, db:drift):
// it points Prisma at the offline schema engine in scripts/prisma-engine.
import { defineConfig } from "prisma/config";

// Not `env("DATABASE_URL")` from prisma/config: it throws when the variable is unset, which would break
// a bare `prisma generate` (postinstall, CI), and generate needs no database. The fallback's host is in
// the reserved `.invalid` domain, so nothing can ever be migrated by accident; scripts/prisma-engine
// recognises it and fails with "DATABASE_URL is not set".
const PLACEHOLDER_DATABASE_URL = "postgresql://unset@database-url-is-not-set.invalid:5432/unset";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: {
    path: "prisma/migrations",
    seed: "tsx prisma/seed.ts",
  },
  datasource: {
    url: process.env.DATABASE_URL || PLACEHOLDER_DATABASE_URL,
  },
});
