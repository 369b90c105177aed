#!/usr/bin/env node
// CI check: fails when prisma/schema.prisma and prisma/migrations disagree, i.e. when someone changed
// the schema without `npm run db:migration:new -- <name>` (or edited a migration by hand so it no
// longer produces the schema). Runs `prisma migrate diff --from-migrations prisma/migrations
// --to-schema prisma/schema.prisma --exit-code` through scripts/prisma.mjs.
//
// Needs a PostgreSQL server for the shadow database: DATABASE_URL's server, or
// postgresql://postgres@127.0.0.1:5432/postgres when unset. A scratch database is created and dropped.
import { diffMigrationsToSchema, lockfilePath, lockfileProvider, migrationNames, migrationsPath, schemaPath } from './prisma-engine/migrations-diff.mjs';

function fail(message) {
  console.error(`db:drift: ${message}`);
  process.exit(1);
}

const migrations = migrationNames();
if (lockfileProvider() === null) {
  fail(`${lockfilePath} is missing, so ${migrationsPath} has no migration history to compare with ${schemaPath}.\nCreate the first migration with: npm run db:migration:new -- init`);
}

let summary;
let script;
try {
  const result = await diffMigrationsToSchema({ script: false });
  if (result.status === 'empty') {
    console.log(`db:drift: OK, ${schemaPath} matches the ${migrations.length} migration(s) in ${migrationsPath}.`);
    process.exit(0);
  }
  summary = result.stdout.trim();
  script = (await diffMigrationsToSchema({ script: true })).stdout.trim();
} catch (error) {
  fail(error.message);
}

fail(`${schemaPath} and ${migrationsPath} disagree.

Changes in ${schemaPath} that no migration makes:
${summary}

SQL a new migration would contain:
${script}

Fix: npm run db:migration:new -- <name>   (then review and commit the new migration)`);
