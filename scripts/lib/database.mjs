// PostgreSQL helpers: create and drop databases, run migrations and the seed.
// `pg` is imported lazily: these scripts must load before node_modules exists.
import fs from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';
import { ROOT, projectPath } from './project.mjs';
import { runOrThrow } from './processes.mjs';

const DUPLICATE_DATABASE = '42P04';

async function newClient(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  // A server that goes away mid-session emits 'error' on an idle client; without a listener
  // that would crash the script instead of failing the query in hand.
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Opens a client on `url`, runs `fn(client)`, always closes it. */
export async function withClient(url, fn) {
  const client = await newClient(url);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The same server URL pointing at database `name` (credentials and query kept). */
export function withDatabaseName(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(name)}`;
  return parsed.href;
}

export function databaseNameOf(url) {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** The URL with its password masked, for printing. */
export function redactUrl(url) {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.href;
}

/**
 * Runs `fn` on a connection to a database that is not the one being created or dropped:
 * the usual maintenance database first, then the URL's own, then template1.
 */
async function withMaintenanceClient(serverUrl, avoid, fn) {
  const candidates = [...new Set(['postgres', databaseNameOf(serverUrl), 'template1'])].filter((name) => name && name !== avoid);
  let lastError;
  for (const name of candidates) {
    let client;
    try {
      client = await newClient(withDatabaseName(serverUrl, name));
    } catch (error) {
      lastError = error;
      continue;
    }
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => {});
    }
  }
  throw new Error(`cannot connect to PostgreSQL at ${redactUrl(serverUrl)}: ${lastError?.message}`);
}

/** Creates database `name` on the server of `serverUrl`; true if created, false if it existed. */
export async function createDatabase(serverUrl, name, { ifMissing = false } = {}) {
  return withMaintenanceClient(serverUrl, name, async (client) => {
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      return true;
    } catch (error) {
      if (ifMissing && error.code === DUPLICATE_DATABASE) return false;
      throw error;
    }
  });
}

/** Drops database `name`, disconnecting whoever is still connected (a test server left behind). */
export async function dropDatabase(serverUrl, name) {
  await withMaintenanceClient(serverUrl, name, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
  );
}

/** Names of the databases on the server that start with `prefix`. */
export async function listDatabases(serverUrl, prefix) {
  return withMaintenanceClient(serverUrl, null, async (client) => {
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname', [prefix]);
    return rows.map((row) => row.datname);
  });
}

const PRISMA_WRAPPER = projectPath('scripts', 'prisma.mjs');
const SEED_SCRIPT = projectPath('prisma', 'seed.ts');

/** Applies the committed migrations (prisma migrate deploy) to the database at `databaseUrl`. */
export async function migrateDatabase(databaseUrl, env = process.env) {
  if (!fs.existsSync(PRISMA_WRAPPER)) {
    throw new Error('scripts/prisma.mjs (the Prisma CLI wrapper) is missing, so migrations cannot run');
  }
  await runOrThrow(process.execPath, [PRISMA_WRAPPER, 'migrate', 'deploy'], { cwd: ROOT, env: { ...env, DATABASE_URL: databaseUrl } });
}

export function hasSeedScript() {
  return fs.existsSync(SEED_SCRIPT);
}

/** Runs prisma/seed.ts (idempotent: it upserts the demo organization and admin). */
export async function seedDatabase(databaseUrl, env = process.env) {
  await runOrThrow('npx', ['tsx', SEED_SCRIPT], { cwd: ROOT, env: { ...env, DATABASE_URL: databaseUrl } });
}
