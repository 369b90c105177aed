#!/usr/bin/env node
// A stand-in for Prisma's native `schema-engine` binary, which cannot be downloaded on these machines.
// The Prisma CLI runs it through PRISMA_SCHEMA_ENGINE_BINARY (scripts/prisma.mjs sets that) and talks
// to it exactly as to the native binary:
//
//   schema-engine --version                                   print a version line
//   schema-engine --datasource '{"url":…}' cli <command>      can-connect-to-database | create-database | drop-database
//   schema-engine [--datamodels <file>]… [--datasource '{…}']  JSON-RPC 2.0, one message per line on stdin/stdout
//
// Every JSON-RPC request is forwarded to the WASM schema engine (@prisma/schema-engine-wasm) running on
// @prisma/adapter-pg. The workarounds are the ones listed in /work/shared/notes/STACK.md ("Prisma 7
// without its native schema engine"), numbered like there: 1 in wasm-engine.mjs, 2 and 5 and 6 here,
// 3 and 4 in postgres.mjs.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';

import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

import { UserFacingError, canConnect, createAdapterFactory, createDatabase, dropDatabase, parseDatabaseUrl } from './postgres.mjs';
import { loadWasmEngine, wasmPackageInfo } from './wasm-engine.mjs';

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const args = { datamodels: [], datasource: undefined, cli: undefined, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--version' || arg === '-V') args.version = true;
    else if (arg === '--datamodels') args.datamodels.push(argv[++i]);
    else if (arg === '--datasource') args.datasource = JSON.parse(argv[++i]);
    else if (arg === '--enabled-preview-features' || arg === '--extension-types') i++; // nothing to do with them in WASM
    else if (arg === 'cli') {
      args.cli = argv[++i];
      break;
    }
  }
  return args;
}

/** The URL the CLI passed (the `datasource` of prisma.config.ts), else DATABASE_URL. */
function datasourceUrl(args) {
  return args.datasource?.url ?? process.env.DATABASE_URL;
}

async function printVersion() {
  // From package.json, so `--version` (run by `prisma -v`) does not have to start the WASM engine.
  const { version, commit } = await wasmPackageInfo();
  process.stdout.write(`schema-engine-cli ${commit} (@prisma/schema-engine-wasm ${version} via scripts/prisma-engine)\n`);
}

// ---------------------------------------------------------------------------------------------
// `cli <command>`: used by `migrate deploy`/`migrate reset`/`migrate dev`/`db push` to check that the
// database exists and to create it (the CLI then prints "PostgreSQL database x created").
// ---------------------------------------------------------------------------------------------

/** A log line in the native engine's format; the CLI reads `level`, `target` and `fields`. */
function logLine(level, fields, target = 'schema_engine::logger') {
  return `${JSON.stringify({ timestamp: new Date().toISOString(), level, fields, target })}\n`;
}

async function runCliCommand(args) {
  const url = datasourceUrl(args);
  // The CLI parses every stderr line after the first as JSON, so always lead with one line.
  process.stderr.write(logLine('INFO', { message: `schema-engine shim: cli ${args.cli}` }, 'schema_engine_shim'));
  try {
    switch (args.cli) {
      case 'can-connect-to-database':
        await canConnect(url);
        break;
      case 'create-database':
        process.stdout.write(`Database '${await createDatabase(url)}' was successfully created.\n`);
        break;
      case 'drop-database':
        process.stdout.write(`The database '${await dropDatabase(url)}' was successfully dropped.\n`);
        break;
      default:
        throw new Error(`Unknown cli command: ${args.cli}`);
    }
    return 0;
  } catch (error) {
    const e = error instanceof UserFacingError ? error : toUserFacing(error);
    process.stderr.write(logLine('ERROR', { is_panic: false, error_code: e.errorCode ?? null, message: e.message }));
    return 1;
  }
}

function toUserFacing(error) {
  return new UserFacingError(error?.code && /^P\d{4}$/.test(error.code) ? error.code : null, cleanMessage(error));
}

/** The WASM engine appends a span trace ("   0: schema_engine_wasm::wasm::engine::Diff …"); drop it. */
function cleanMessage(error) {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\n\s+0: [\w:]+[\s\S]*$/, '').trimEnd();
}

/**
 * When a migration script fails, the native engine answers P3018 with the migration's name; the WASM
 * engine only says "external connector error" (no code) and leaves the name in its span trace. Rebuild
 * the native error so `migrate deploy` tells which migration failed and how to recover.
 */
function migrationFailedError(error) {
  const trace = error instanceof Error ? error.message : '';
  const name = trace.match(/apply_migration::apply_script\s+with migration_name="([^"]+)"/)?.[1];
  if (!name || error?.code) return error;
  const databaseError = cleanMessage(error).replace(/^external connector error\n/, '').replace(/^Error querying the database: /, '');
  return new UserFacingError(
    'P3018',
    `A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\nMigration name: ${name}\n\nDatabase error:\n${databaseError}`,
    { migration_name: name, database_error: databaseError },
  );
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC
// ---------------------------------------------------------------------------------------------

class RpcServer {
  #nextOutgoingId = 1;
  #pendingOutgoing = new Map(); // requests *we* sent to the CLI (only `print`)
  #queue = Promise.resolve();
  #enginePromise;
  #failCurrent;
  #factories = [];

  constructor(args) {
    this.args = args;
  }

  send(message) {
    process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  }

  /** Asks the CLI to run `method` (it answers on our stdin with the same id). */
  request(method, params) {
    const id = this.#nextOutgoingId++;
    return new Promise((resolve, reject) => {
      this.#pendingOutgoing.set(id, { resolve, reject });
      this.send({ id, method, params });
    });
  }

  onLine(line) {
    if (!line.trim()) return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      this.send({ id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    if (message.method === undefined && this.#pendingOutgoing.has(message.id)) {
      const { resolve, reject } = this.#pendingOutgoing.get(message.id);
      this.#pendingOutgoing.delete(message.id);
      if (message.error) reject(new Error(message.error.message));
      else resolve(message.result);
      return;
    }
    // One engine, one request at a time, like the native engine's single connection.
    this.#queue = this.#queue.then(() => this.handle(message));
  }

  async handle({ id, method, params }) {
    try {
      // Some engine errors are thrown from inside a WASM callback instead of rejecting the returned
      // promise (e.g. "missing field" while decoding params); they surface as uncaught exceptions, which
      // `failCurrent` turns into this request's error instead of a hung CLI.
      const crashed = new Promise((_, reject) => (this.#failCurrent = reject));
      const result = await Promise.race([this.dispatch(method, params ?? {}), crashed]);
      if (id !== undefined) this.send({ id, result: result ?? {} });
    } catch (error) {
      if (id !== undefined) this.send({ id, error: this.errorPayload(error) });
    } finally {
      this.#failCurrent = undefined;
    }
  }

  /** Called on an uncaught exception: fails the request in flight. Returns false if there is none. */
  failCurrent(error) {
    if (!this.#failCurrent) return false;
    this.#failCurrent(error);
    // The engine object stays mutably borrowed after such a throw ("recursive use of an object
    // detected"): start a fresh one for the next request.
    this.#enginePromise = undefined;
    return true;
  }

  errorPayload(error) {
    if (error?.rpcCode) return { code: error.rpcCode, message: error.message };
    const panic = error instanceof WebAssembly.RuntimeError || error?.name === 'RuntimeError';
    if (panic) this.#enginePromise = undefined; // a panicked engine object cannot be used again
    const message = panic ? globalThis.PRISMA_WASM_PANIC_REGISTRY?.take?.() || String(error) : cleanMessage(error);
    const errorCode = error?.errorCode ?? (typeof error?.code === 'string' && /^P\d{4}$/.test(error.code) ? error.code : null);
    // Same shape as the native engine: the CLI reads data.is_panic, data.message and data.error_code.
    return {
      code: 4466,
      message: 'An error happened. Check the data field for details.',
      data: { is_panic: panic, message, meta: error?.meta ?? null, error_code: errorCode, backtrace: panic ? error?.stack : undefined },
    };
  }

  engine() {
    this.#enginePromise ??= (async () => {
      const { SchemaEngine } = await loadWasmEngine();
      const datamodels = await Promise.all(
        this.args.datamodels.map(async (file) => [file, await readFile(path.resolve(file), 'utf8')]),
      );
      const url = datasourceUrl(this.args);
      parseDatabaseUrl(url); // fail early with a readable message (e.g. DATABASE_URL unset)
      const factory = createAdapterFactory({ url, shadowDatabaseUrl: this.args.datasource?.shadowDatabaseUrl });
      this.#factories.push(factory);
      // Trap 2 (STACK.md): the engine needs the error-capturing factory (it reads `errorRegistry` to
      // turn a thrown JS error back into a message) and calls its methods unbound, so they have to be
      // closures. bindMigrationAwareSqlAdapterFactory provides both; the adapters it returns are bound too.
      const adapterFactory = bindMigrationAwareSqlAdapterFactory(factory);
      const log = (line) => process.stderr.write(line.endsWith('\n') ? line : `${line}\n`);
      return SchemaEngine.new({ datamodels: datamodels.length ? datamodels : undefined }, log, adapterFactory);
    })();
    return this.#enginePromise;
  }

  async dispatch(method, params) {
    switch (method) {
      // Same names and parameter shapes as the native engine's.
      case 'applyMigrations':
        try {
          return await (await this.engine()).applyMigrations(params);
        } catch (error) {
          throw migrationFailedError(error);
        }

      case 'createMigration':
      case 'dbExecute':
      case 'devDiagnostic':
      case 'diagnoseMigrationHistory':
      case 'ensureConnectionValidity':
      case 'introspect':
      case 'introspectSql':
      case 'markMigrationApplied':
      case 'markMigrationRolledBack':
      case 'reset':
      case 'schemaPush':
        return (await this.engine())[method](params);

      case 'diff': {
        const { exitCode, stdout } = await (await this.engine()).diff(params);
        // Trap 6 (STACK.md): the WASM engine returns the diff as `result.stdout`, but the CLI only
        // prints what arrives in a `print` request from the engine (that is how the native one does it).
        if (stdout) await this.request('print', { content: stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout });
        return { exitCode };
      }

      case 'evaluateDataLoss': {
        const engine = await this.engine();
        // Trap 5 (STACK.md): the WASM engine's evaluateDataLoss has no shadow database of its own and
        // reads the migrations' schema from a cache that devDiagnostic fills, so run that first on the
        // same engine instance.
        await engine.devDiagnostic({ migrationsList: params.migrationsList, filters: params.filters });
        return engine.evaluateDataLoss(params);
      }

      case 'getDatabaseVersion':
        // The engine talks to the database it was started with; its optional param must have a datasource.
        return (await this.engine()).version(params.datasource ? params : undefined);

      case 'createDatabase': {
        // Not part of the WASM engine (an adapter is already bound to one database).
        const url = params.datasource?.tag === 'ConnectionString' ? params.datasource.url : datasourceUrl(this.args);
        return { databaseName: await createDatabase(url) };
      }

      case 'debugPanic':
        (await this.engine()).debugPanic();
        return {};

      default: {
        const error = new Error(`Method not found: ${method}`);
        error.rpcCode = -32601;
        throw error;
      }
    }
  }

  async close() {
    await this.#queue.catch(() => {});
    for (const factory of this.#factories) await factory.close();
  }
}

async function serve(args) {
  const server = new RpcServer(args);
  let closing;
  const shutdown = () => {
    closing ??= server.close().finally(() => process.exit(0));
    return closing;
  };
  // The CLI ends our stdin and then sends SIGTERM right away; finish the work in flight and drop any
  // shadow database before exiting.
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.on('uncaughtException', (error) => {
    if (server.failCurrent(error)) return;
    process.stderr.write(logLine('ERROR', { is_panic: false, message: cleanMessage(error) }));
    process.exit(1);
  });
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => server.onLine(line));
  lines.on('close', shutdown);
}

const args = parseArgs(process.argv.slice(2));
if (args.version) {
  await printVersion();
} else if (args.cli) {
  process.exitCode = await runCliCommand(args);
} else {
  await serve(args);
}
