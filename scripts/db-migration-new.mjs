#!/usr/bin/env node
// Writes a new migration without prompts: `npm run db:migration:new -- <name>`.
//
// `prisma migrate dev` is interactive and refuses to run unattended when there are data-loss warnings,
// so this runs `prisma migrate diff --from-migrations prisma/migrations --to-schema prisma/schema.prisma
// --script` (through scripts/prisma.mjs) and writes the SQL to
// prisma/migrations/<yyyyMMddHHmmss>_<name>/migration.sql. Review the file, then apply it with
// `npm run db:migrate`.
//
// Needs a PostgreSQL server for the shadow database: DATABASE_URL's server, or
// postgresql://postgres@127.0.0.1:5432/postgres when unset. Nothing in DATABASE_URL's own database is
// touched; a scratch database is created and dropped.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

import {
  LOCKFILE_CONTENT,
  diffMigrationsToSchema,
  lockfilePath,
  lockfileProvider,
  migrationNames,
  migrationsPath,
  root,
  schemaPath,
} from './prisma-engine/migrations-diff.mjs';

function fail(message) {
  console.error(`db:migration:new: ${message}`);
  process.exit(1);
}

const rawName = process.argv.slice(2).join('_').trim();
if (!rawName || rawName.startsWith('-')) {
  fail('usage: npm run db:migration:new -- <name>   (e.g. add_api_keys)');
}
const name = rawName.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 200);
if (!name) fail(`"${rawName}" has no usable characters; use letters, digits and _`);

// UTC, like the names Prisma itself generates; never before the latest existing migration.
function timestamp(date) {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}
const existing = migrationNames();
const latest = existing.map((dir) => dir.slice(0, 14)).filter((ts) => /^\d{14}$/.test(ts)).at(-1);
let when = new Date();
while (latest && timestamp(when) <= latest) when = new Date(when.getTime() + 1000);
const directory = `${timestamp(when)}_${name}`;

// The engine reads the provider from migration_lock.toml; create it on the first migration.
const provider = lockfileProvider();
if (provider === null) {
  mkdirSync(path.join(root, migrationsPath), { recursive: true });
  writeFileSync(path.join(root, lockfilePath), LOCKFILE_CONTENT);
  console.log(`Created ${lockfilePath} (provider = "postgresql").`);
} else if (provider !== 'postgresql') {
  fail(`${lockfilePath} says provider = "${provider}", expected "postgresql".`);
}

let result;
try {
  result = await diffMigrationsToSchema({ script: true });
} catch (error) {
  fail(error.message);
}

if (result.status === 'empty') {
  fail(`no changes: ${schemaPath} already matches ${migrationsPath} (${existing.length} migration(s)). Nothing written.`);
}

const target = path.join(root, migrationsPath, directory);
if (existsSync(target)) fail(`${path.relative(root, target)} already exists.`);
mkdirSync(target, { recursive: true });
const sql = result.stdout.endsWith('\n') ? result.stdout : `${result.stdout}\n`;
writeFileSync(path.join(target, 'migration.sql'), sql);

const statements = sql.split('\n').filter((line) => line.startsWith('-- ')).map((line) => line.slice(3));
console.log(`Wrote ${path.relative(root, path.join(target, 'migration.sql'))} (${statements.length} step(s): ${[...new Set(statements)].join(', ')}).`);
console.log('Review it, commit it with the schema change, and apply it with `npm run db:migrate`.');
