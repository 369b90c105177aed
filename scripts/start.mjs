#!/usr/bin/env node
// `npm start`: install, build, prepare the database and run HelixAgent, from a fresh clone.
// Only node: built-ins at the top level: npm packages are imported after node_modules exists.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createDatabase, hasSeedScript, migrateDatabase, redactUrl, seedDatabase } from './lib/database.mjs';
import { DEMO_ADMIN } from '../server/demo/constants.mjs';
import { startEmbeddedPostgres } from './lib/embedded-postgres.mjs';
import { loadDotEnv, loadOrCreateSecrets } from './lib/env.mjs';
import { bold, cyan, dim, fail, green, heading, note, timed, warn } from './lib/output.mjs';
import { assertPortFree } from './lib/ports.mjs';
import { describeExit, exit, handleStopSignals, isExiting, onCleanup, runOrThrow, startService } from './lib/processes.mjs';
import { HELIX_DIR, ROOT, buildIfStale, ensureHelixDir, ensureNodeModules, projectPath } from './lib/project.mjs';

const USAGE = `Usage: npm start [-- options]

Installs dependencies if needed, builds the app if its sources changed, prepares the database
and runs HelixAgent: the console on http://localhost:$PORT (default 3000) and the gateway on
http://127.0.0.1:$HELIX_GATEWAY_PORT (default 8080).

Options:
  --no-build     do not build, even if the sources changed
  --seed         seed the demo organization into the DATABASE_URL database
  --port <n>     port of the console (default: $PORT or 3000)
  -h, --help     show this help

Without DATABASE_URL an embedded PostgreSQL keeps its data in .helix/pgdata.`;

const DEFAULT_PORT = 3000;
const DEFAULT_GATEWAY_PORT = 8080;
const DEFAULT_GATEWAY_HOST = '127.0.0.1';
/** Written by the demo registration: the secret of the demo organization's gateway API key. */
const DEMO_API_KEY_FILE = path.join(HELIX_DIR, 'demo-api-key');
/** The route the banner's example request calls (one of the demo routes). */
const DEMO_ROUTE_ALIAS = 'helix-chat';
const EMBEDDED_PORT = 54329;
const EMBEDDED_DATABASE = 'helix';
const NEXT_BIN = projectPath('node_modules', 'next', 'dist', 'bin', 'next');
// How long the app may take to answer at all, and then to answer its health check with 200.
const FIRST_ANSWER_TIMEOUT_MS = 120_000;
const HEALTHY_GRACE_MS = 10_000;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      'no-build': { type: 'boolean', default: false },
      seed: { type: 'boolean', default: false },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const port = Number(values.port ?? process.env.PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port: ${values.port ?? process.env.PORT}`);
  const gatewayPort = Number(process.env.HELIX_GATEWAY_PORT || DEFAULT_GATEWAY_PORT);
  if (!Number.isInteger(gatewayPort) || gatewayPort < 1 || gatewayPort > 65535) throw new Error(`invalid HELIX_GATEWAY_PORT: ${process.env.HELIX_GATEWAY_PORT}`);
  if (gatewayPort === port) throw new Error(`the console and the gateway cannot share port ${port}; set PORT or HELIX_GATEWAY_PORT to another one`);
  return { build: !values['no-build'], seed: values.seed || process.env.HELIX_SEED === '1', port, gateway: gatewayAddress(gatewayPort) };
}

/** Where the gateway listens, and the URL to reach it from this machine (the console uses it too). */
function gatewayAddress(port) {
  const host = process.env.HELIX_GATEWAY_HOST || DEFAULT_GATEWAY_HOST;
  // A wildcard address is not one to connect to: reach it over loopback.
  const connectHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const localUrl = `http://${connectHost}:${port}`;
  return { port, host, localUrl, url: process.env.HELIX_GATEWAY_URL || localUrl };
}

/** The environment the app, the gateway, the build, migrations and seed all see. */
function appEnvironment(port, gateway) {
  const secrets = loadOrCreateSecrets(path.join(HELIX_DIR, 'secrets.json'));
  if (secrets.created.length > 0) note(`Generated ${secrets.created.join(' and ')} in .helix/secrets.json (kept for the next runs).`);
  return {
    ...process.env,
    ...secrets.values,
    PORT: String(port),
    AUTH_URL: process.env.AUTH_URL || `http://localhost:${port}`,
    AUTH_TRUST_HOST: process.env.AUTH_TRUST_HOST || 'true',
    HELIX_GATEWAY_PORT: String(gateway.port),
    HELIX_GATEWAY_HOST: gateway.host,
    HELIX_GATEWAY_URL: gateway.url,
    HELIX_GATEWAY_SPOOL_DIR: process.env.HELIX_GATEWAY_SPOOL_DIR || path.join(HELIX_DIR, 'gateway-spool'),
    NEXT_TELEMETRY_DISABLED: '1', // offline machines: no telemetry calls
    // Children's output is piped through us; keep their colours when we are on a terminal.
    ...(process.stdout.isTTY && !process.env.NO_COLOR ? { FORCE_COLOR: '1' } : {}),
  };
}

/** DATABASE_URL as given: migrate it, seed only when asked. */
async function prepareExternalDatabase(url, options, env) {
  await timed('Migrating the database (DATABASE_URL)', () => migrateDatabase(url, env));
  if (options.seed) await timed('Seeding the demo organization', () => seedDatabase(url, env));
  return { url, seeded: options.seed, description: `DATABASE_URL ${redactUrl(url)}` };
}

/** No DATABASE_URL: the embedded PostgreSQL in .helix/pgdata, always seeded (the seed upserts). */
async function prepareEmbeddedDatabase(env) {
  const port = Number(process.env.HELIX_EMBEDDED_PG_PORT ?? EMBEDDED_PORT);
  const server = await timed(`Starting the embedded PostgreSQL (port ${port})`, () =>
    startEmbeddedPostgres({ dataDir: path.join(HELIX_DIR, 'pgdata'), port, logFile: path.join(HELIX_DIR, 'postgres.log') }),
  );
  onCleanup(
    () => server.stop(),
    () => server.stopNow(),
  );
  const url = server.url(EMBEDDED_DATABASE);
  if (await createDatabase(server.url('postgres'), EMBEDDED_DATABASE, { ifMissing: true })) note(`Created the database "${EMBEDDED_DATABASE}".`);
  await timed('Migrating the database', () => migrateDatabase(url, env));
  const seeded = hasSeedScript();
  if (seeded) await timed('Seeding the demo organization', () => seedDatabase(url, env));
  else warn('prisma/seed.ts not found: no demo organization was seeded.');
  return {
    url,
    seeded,
    description: `embedded PostgreSQL ${server.version}, data in .helix/pgdata (127.0.0.1:${port}, database ${EMBEDDED_DATABASE})`,
  };
}

/**
 * The HTTP status `url` answers with. No keep-alive: a pooled idle connection (as fetch keeps)
 * makes the app's graceful shutdown wait seconds for it to time out.
 */
function httpStatus(url, timeoutMs) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.once('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.once('error', reject);
  });
}

/**
 * Waits until `url` answers 200. An app that answers but not with 200 (no health route yet,
 * or a failing check) is accepted with a warning after HEALTHY_GRACE_MS.
 */
async function waitForHealth(url, handle) {
  let exited = false;
  handle.exited.then(() => {
    exited = true;
  });
  const started = Date.now();
  let firstAnswerAt = null;
  while (!exited) {
    try {
      const status = await httpStatus(url, 5_000);
      if (status === 200) return;
      firstAnswerAt ??= Date.now();
      if (Date.now() - firstAnswerAt > HEALTHY_GRACE_MS) {
        warn(`${url} answers ${status}, not 200: the app is up, but its health check is missing or failing.`);
        return;
      }
    } catch {
      // Not listening yet.
    }
    if (firstAnswerAt === null && Date.now() - started > FIRST_ANSWER_TIMEOUT_MS) {
      throw new Error(`${handle.name} did not answer on ${url} within ${FIRST_ANSWER_TIMEOUT_MS / 1000}s`);
    }
    await sleep(250);
  }
  throw new Error(`${handle.name} exited before it was ready`);
}

const TSX_LOADER = ['--import', 'tsx'];
const FLEET_BASE_PORT = Number(process.env.FLEET_BASE_PORT ?? 4100);

/**
 * The processes `npm start` runs, started in order, each ready before the next starts. The demo
 * fleet runs only where the demo was seeded; the gateway runs for every database.
 */
function services(env, port, gateway, { demo }) {
  return [
    ...(demo
      ? [
          {
            name: 'fleet',
            command: process.execPath,
            args: [...TSX_LOADER, 'fleet/main.ts'],
            env: { ...env, FLEET_BASE_PORT: String(FLEET_BASE_PORT) },
            cwd: ROOT,
            ready: (handle) => waitForHealth(`http://127.0.0.1:${FLEET_BASE_PORT - 1}/agents`, handle),
          },
        ]
      : []),
    {
      name: 'gateway',
      command: process.execPath,
      args: [...TSX_LOADER, 'server/gateway/main.ts'],
      env,
      cwd: ROOT,
      // Ready once its configuration snapshot is loaded (503 until then).
      ready: (handle) => waitForHealth(`${gateway.localUrl}/readyz`, handle),
    },
    {
      name: 'app',
      command: process.execPath,
      // `localhost`, not 127.0.0.1: Auth.js builds its callback URLs from the request's host.
      args: [NEXT_BIN, 'start', '-p', String(port), '-H', 'localhost'],
      env,
      cwd: ROOT,
      ready: (handle) => waitForHealth(`http://localhost:${port}/api/health`, handle),
    },
    {
      name: 'worker',
      command: process.execPath,
      args: [...TSX_LOADER, 'server/jobs/worker.ts'],
      env,
      cwd: ROOT,
    },
  ];
}

/**
 * Registers the fleet's agents in the demo organization, adds the demo routes and makes sure a demo
 * API key exists (each skipped when already there). Returns the key's secret, or null.
 */
async function registerDemoFleet(env) {
  await timed('Registering the demo fleet, routes and API key in the demo organization', () =>
    runOrThrow(process.execPath, [...TSX_LOADER, 'server/demo/register-fleet.ts', `http://127.0.0.1:${FLEET_BASE_PORT - 1}`, DEMO_API_KEY_FILE], { cwd: ROOT, env }),
  );
  return fs.existsSync(DEMO_API_KEY_FILE) ? fs.readFileSync(DEMO_API_KEY_FILE, 'utf8').trim() || null : null;
}

/** A service that exits on its own takes everything down: a half-running product helps no one. */
function stopAllWhenItExits(handle) {
  handle.exited.then((result) => {
    if (isExiting()) return;
    fail(`${handle.name} ${describeExit(result)} (its output is above); stopping everything.`);
    exit(1);
  });
}

function printBanner(port, gateway, database, demoApiKey) {
  const rule = dim('─'.repeat(64));
  const row = (label, value) => console.log(`  ${dim(label.padEnd(10))} ${value}`);
  console.log(`\n${rule}\n  ${bold(green('HelixAgent is running'))}\n`);
  row('Console', bold(cyan(`http://localhost:${port}`)));
  row('Gateway', `${bold(cyan(`${gateway.localUrl}/v1`))} ${dim('(OpenAI-compatible: POST /v1/chat/completions, GET /v1/models)')}`);
  row('Sign in', `${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}${database.seeded ? '' : dim('  (demo admin, if seeded: npm start -- --seed)')}`);
  row('Database', database.description);
  if (database.seeded) row('Demo fleet', `agents on 127.0.0.1:${FLEET_BASE_PORT}+, control API http://127.0.0.1:${FLEET_BASE_PORT - 1}/agents`);
  if (demoApiKey && process.env.HELIX_DEMO_TRAFFIC !== '0') row('Traffic', `a demo request about every 2 s through the gateway ${dim('(HELIX_DEMO_TRAFFIC=0 turns it off)')}`);
  row('Worker', 'health probes and scheduled rediscovery (pg-boss)');
  if (demoApiKey) {
    row('API key', `${demoApiKey} ${dim('(demo organization, every route; kept in .helix/demo-api-key)')}`);
    console.log(`\n  Try the gateway:\n`);
    console.log(
      `  curl ${gateway.localUrl}/v1/chat/completions -H "Authorization: Bearer ${demoApiKey}" -H 'content-type: application/json' -d '${JSON.stringify({ model: DEMO_ROUTE_ALIAS, messages: [{ role: 'user', content: 'Hello' }] })}'`,
    );
  }
  console.log(`\n  Press Ctrl-C to stop.\n${rule}\n`);
}

async function main() {
  // First: .env may set PORT and DATABASE_URL, which the options and everything after depend on.
  const dotEnv = loadDotEnv(projectPath('.env'));
  const options = parseOptions();
  handleStopSignals((signal) => {
    console.log(`\n${signal}: stopping HelixAgent…`);
    exit(0);
  });
  if (dotEnv.length > 0) note(`Loaded ${dotEnv.join(', ')} from .env.`);
  await assertPortFree(options.port, 'localhost', 'is HelixAgent already running? Stop it, or choose another port with --port or PORT');
  await assertPortFree(options.gateway.port, options.gateway.host, 'is HelixAgent already running? Stop it, or choose another gateway port with HELIX_GATEWAY_PORT');
  await ensureNodeModules();
  ensureHelixDir();

  const baseEnv = appEnvironment(options.port, options.gateway);
  const database = process.env.DATABASE_URL
    ? await prepareExternalDatabase(process.env.DATABASE_URL, options, baseEnv)
    : await prepareEmbeddedDatabase(baseEnv);
  // HELIX_DEMO makes the sign-in page show the demo sign-in, only where the demo was seeded.
  const env = { ...baseEnv, DATABASE_URL: database.url, ...(database.seeded ? { HELIX_DEMO: '1' } : {}) };

  // After the database: a build may read it (prerendering) and validates the app's env.
  if (options.build) await buildIfStale(env);
  else note('Not building (--no-build).');

  heading('Starting HelixAgent');
  for (const service of services(env, options.port, options.gateway, { demo: database.seeded })) {
    const handle = startService(service);
    stopAllWhenItExits(handle);
    await service.ready?.(handle);
  }
  const demoApiKey = database.seeded ? await registerDemoFleet(env) : null;
  if (demoApiKey && process.env.HELIX_DEMO_TRAFFIC !== '0') {
    // A gentle stream of requests through the gateway, so the console has live traffic to show.
    const handle = startService({
      name: 'traffic',
      command: process.execPath,
      args: [...TSX_LOADER, 'server/demo/traffic.ts', options.gateway.localUrl, DEMO_API_KEY_FILE],
      env,
      cwd: ROOT,
    });
    // The demo goes on without it: unlike the services above, its exit stops nothing.
    handle.exited.then((result) => {
      if (!isExiting()) warn(`demo traffic ${describeExit(result)}; the console works, without generated traffic.`);
    });
  }
  printBanner(options.port, options.gateway, database, demoApiKey);
}

main().catch((error) => {
  // A service that died has already been reported by its watcher.
  if (!isExiting()) fail(error.message);
  exit(1);
});
