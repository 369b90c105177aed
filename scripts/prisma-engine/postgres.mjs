// PostgreSQL plumbing for the schema-engine shim: connection-string parsing, the few admin
// operations the CLI expects from the native engine (can-connect / create / drop database), and the
// migration-aware driver adapter factory the WASM engine runs on (built on @prisma/adapter-pg).
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

import { PrismaPg } from '@prisma/adapter-pg';
import { ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import pg from 'pg';

const require = createRequire(import.meta.url);
// pg-connection-string is pg's own parser; resolve it through pg so we do not depend on hoisting.
const { parse: parseConnectionString } = createRequire(require.resolve('pg'))('pg-connection-string');

/** prisma.config.ts falls back to this host when DATABASE_URL is unset (see there). */
export const PLACEHOLDER_HOST = 'database-url-is-not-set.invalid';

/** An error the CLI shows with a Prisma error code (P1001, P1003, ...), like the native engine does. */
export class UserFacingError extends Error {
  constructor(errorCode, message, meta = {}) {
    super(message);
    this.errorCode = errorCode;
    this.meta = meta;
  }
}

/**
 * Turns a postgres:// URL into discrete pg options.
 *
 * Trap 4 (STACK.md): given `{ connectionString, database }`, pg lets the connection string win, so
 * adapter-pg's "shadow database" silently became the main database. Discrete host/port/user/database
 * fields are what make a per-database pool possible.
 */
export function parseDatabaseUrl(url) {
  if (!url) {
    throw new UserFacingError('P1012', 'No datasource URL: set DATABASE_URL (prisma.config.ts reads it).');
  }
  let parsed;
  try {
    parsed = parseConnectionString(url);
  } catch (error) {
    throw new UserFacingError('P1013', `The provided database string is invalid. ${error.message}`);
  }
  if (parsed.host === PLACEHOLDER_HOST) {
    throw new UserFacingError(
      'P1012',
      'DATABASE_URL is not set. prisma.config.ts only has a placeholder URL; export DATABASE_URL=postgresql://… and retry.',
    );
  }
  // Prisma-only URL parameters (pg would ignore them; `schema` is handled below).
  const config = { ...parsed, database: parsed.database || 'postgres' };
  for (const key of ['schema', 'connection_limit', 'pool_timeout', 'connect_timeout', 'socket_timeout', 'pgbouncer']) {
    delete config[key];
  }
  const { schema, connect_timeout: connectTimeout } = parsed;
  if (connectTimeout) config.connectionTimeoutMillis = Number(connectTimeout) * 1000;
  if (schema) {
    // Prisma's `?schema=` is not a libpq parameter; make it the search_path so unqualified DDL in
    // migration scripts lands there, and tell the adapter (the engine reads it via getConnectionInfo).
    config.options = [config.options, `-c search_path=${quoteIdent(schema)}`].filter(Boolean).join(' ');
  }
  return { config, schema: schema || undefined };
}

export function quoteIdent(name) {
  return `"${String(name).replaceAll('"', '""')}"`;
}

function describeLocation(config) {
  return config.port ? `${config.host}:${config.port}` : `${config.host}`;
}

/** Maps pg/socket errors to the Prisma error codes the CLI understands (it special-cases P1003). */
export function toUserFacingError(error, config) {
  if (error instanceof UserFacingError) return error;
  const location = describeLocation(config);
  switch (error?.code) {
    case '3D000':
      return new UserFacingError('P1003', `Database \`${config.database}\` does not exist on the database server at \`${location}\`.`, {
        database_name: config.database,
        database_location: location,
      });
    case '28P01':
    case '28000':
      return new UserFacingError('P1000', `Authentication failed against database server at \`${location}\`, the provided database credentials for \`${config.user}\` are not valid.`);
    case '42P04':
      return new UserFacingError('P1009', `Database \`${config.database}\` already exists on the database server at \`${location}\``);
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return new UserFacingError('P1001', `Can't reach database server at \`${location}\`\n\nPlease make sure your database server is running at \`${location}\`.`);
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}

/** Runs `fn(client)` on a single short-lived connection to `config`. */
async function withClient(config, fn) {
  const client = new pg.Client(config);
  client.on('error', () => {}); // a server-side disconnect after we are done must not crash the shim
  try {
    await client.connect();
  } catch (error) {
    throw toUserFacingError(error, config);
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Runs `fn` on a connection to a maintenance database on the same server (the target database may not
 * exist yet, or may be the one being dropped).
 */
async function withMaintenanceClient(config, fn) {
  let lastError;
  for (const database of ['postgres', 'template1']) {
    try {
      return await withClient({ ...config, database }, fn);
    } catch (error) {
      if (error?.errorCode !== 'P1003') throw error;
      lastError = error;
    }
  }
  throw lastError;
}

export async function canConnect(url) {
  const { config } = parseDatabaseUrl(url);
  await withClient(config, (client) => client.query('SELECT 1'));
}

export async function createDatabase(url) {
  const { config, schema } = parseDatabaseUrl(url);
  await withMaintenanceClient(config, async (client) => {
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(config.database)}`);
    } catch (error) {
      throw toUserFacingError(error, config);
    }
  });
  if (schema) {
    await withClient(config, (client) => client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`));
  }
  return config.database;
}

export async function dropDatabase(url) {
  const { config } = parseDatabaseUrl(url);
  await withMaintenanceClient(config, (client) => dropDatabaseWith(client, config.database));
  return config.database;
}

async function dropDatabaseWith(client, database) {
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}`);
  } catch (error) {
    // 55006 = "database is being accessed by other users". FORCE exists since PostgreSQL 13.
    if (error?.code !== '55006') throw error;
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
  }
}

// ---------------------------------------------------------------------------------------------
// Driver adapter for the WASM engine
// ---------------------------------------------------------------------------------------------

const PG_CHAR_OID = 18; // the one-byte internal "char" type (pg_class.relkind, pg_constraint.contype, ...)
const PG_TEXT_OID = 25;

/**
 * Trap 3 (STACK.md): the engine's catalog queries return `"char"` columns (OID 18), which adapter-pg
 * rejects with "Column type 'char' could not be deserialized". We let adapter-pg map every other column
 * exactly as usual (its queryRaw is re-run over the already-fetched result with OID 18 presented as
 * text), then report those columns to the engine as Character, which is what its row readers expect.
 */
function acceptCharColumns(queryable) {
  const queryRaw = queryable.queryRaw;
  queryable.queryRaw = async function (query) {
    const result = await this.performIO(query);
    const charColumns = [];
    const fields = result.fields.map((field, index) => {
      if (field.dataTypeID !== PG_CHAR_OID) return field;
      charColumns.push(index);
      return { ...field, dataTypeID: PG_TEXT_OID };
    });
    if (charColumns.length === 0) {
      return queryRaw.call(withPerformIO(this, result), query);
    }
    const output = await queryRaw.call(withPerformIO(this, { ...result, fields }), query);
    for (const index of charColumns) output.columnTypes[index] = ColumnTypeEnum.Character;
    return output;
  };
  return queryable;
}

/** `queryable`, but whose performIO returns an already-fetched result instead of querying again. */
function withPerformIO(queryable, result) {
  const view = Object.create(queryable);
  view.performIO = async () => result;
  return view;
}

/**
 * adapter-pg's executeScript splits the script on every ";" (breaking `$$ … ; … $$` bodies and string
 * literals) and runs the pieces one by one outside a transaction. The native engine sends a migration
 * script as ONE simple-protocol query, which PostgreSQL runs atomically; do the same.
 */
function runScriptsWhole(adapter) {
  adapter.executeScript = async function (script) {
    try {
      await this.client.query(script);
    } catch (error) {
      this.onError(error);
    }
  };
  return adapter;
}

async function connectAdapter(config, schema) {
  const adapter = await new PrismaPg(config, schema ? { schema } : undefined).connect();
  acceptCharColumns(adapter);
  runScriptsWhole(adapter);
  // Transactions are separate PgTransaction objects; they run catalog queries too.
  const startTransaction = adapter.startTransaction;
  adapter.startTransaction = async function (...args) {
    return acceptCharColumns(await startTransaction.apply(this, args));
  };
  return adapter;
}

/**
 * The SqlMigrationAwareDriverAdapterFactory the WASM engine is constructed with (the caller wraps it
 * with bindMigrationAwareSqlAdapterFactory).
 *
 * Trap 4 (STACK.md), second half: adapter-pg's connectToShadowDb drops the temporary database *before*
 * closing its pool, so the DROP fails ("being accessed by other users") and the database leaks. Here we
 * create the shadow database ourselves, connect, and on dispose close the pool first, then drop it.
 * `close()` drops any shadow database the engine did not dispose of.
 */
export function createAdapterFactory({ url, shadowDatabaseUrl }) {
  const shadows = new Set();

  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',

    async connect() {
      const { config, schema } = parseDatabaseUrl(url);
      return connectAdapter(config, schema);
    },

    async connectToShadowDb() {
      if (shadowDatabaseUrl) return connectToConfiguredShadow(shadowDatabaseUrl);

      const { config, schema } = parseDatabaseUrl(url);
      const database = `prisma_shadow_${randomUUID().replaceAll('-', '')}`;
      // Over a connection to the main database, which exists (the engine is connected to it).
      await withClient(config, (client) => client.query(`CREATE DATABASE ${quoteIdent(database)}`));
      const shadowConfig = { ...config, database };
      const shadow = { database, adapter: undefined, dropped: undefined };
      shadows.add(shadow);
      try {
        if (schema) await withClient(shadowConfig, (client) => client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`));
        shadow.adapter = await connectAdapter(shadowConfig, schema);
      } catch (error) {
        await disposeShadow(shadow);
        throw error;
      }
      const dispose = shadow.adapter.dispose;
      shadow.adapter.dispose = async function () {
        await dispose.call(this).catch(() => {});
        shadow.adapter = undefined; // pool already ended
        await disposeShadow(shadow);
      };
      return shadow.adapter;

      async function disposeShadow(entry) {
        entry.dropped ??= (async () => {
          if (entry.adapter) await entry.adapter.underlyingDriver().end().catch(() => {});
          await withClient(config, (client) => dropDatabaseWith(client, entry.database));
          shadows.delete(entry);
        })();
        return entry.dropped;
      }
    },

    /** Drops shadow databases still alive (the engine normally disposes of them itself). */
    async close() {
      const { config } = parseDatabaseUrl(url);
      for (const shadow of [...shadows]) {
        if (shadow.adapter) await shadow.adapter.underlyingDriver().end().catch(() => {});
        await withClient(config, (client) => dropDatabaseWith(client, shadow.database)).catch((error) => {
          process.stderr.write(`${JSON.stringify({ level: 'WARN', fields: { message: `could not drop shadow database ${shadow.database}: ${error.message}` }, target: 'schema_engine_shim' })}\n`);
        });
        shadows.delete(shadow);
      }
    },
  };
}

/**
 * `datasource.shadowDatabaseUrl` in prisma.config.ts: a database the user set aside for this. The
 * native engine wipes it before use; we do the same for its schema (the engine's WASM build expects an
 * empty shadow database and never drops it).
 */
async function connectToConfiguredShadow(shadowDatabaseUrl) {
  const { config, schema } = parseDatabaseUrl(shadowDatabaseUrl);
  const target = schema ?? 'public';
  await withClient(config, (client) =>
    client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(target)} CASCADE; CREATE SCHEMA ${quoteIdent(target)}`),
  );
  return connectAdapter(config, schema);
}
