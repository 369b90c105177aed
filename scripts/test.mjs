#!/usr/bin/env node
// `npm test`: every check the project has, in order, against a fresh database, from a fresh clone.
// Only node: built-ins at the top level: npm packages are imported after node_modules exists.
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createDatabase, dropDatabase, listDatabases, migrateDatabase, redactUrl, withDatabaseName } from './lib/database.mjs';
import { startEmbeddedPostgres } from './lib/embedded-postgres.mjs';
import { bold, dim, fail, green, heading, note, red, seconds, timed, yellow } from './lib/output.mjs';
import { describeExit, exit, handleStopSignals, isExiting, onCleanup, run, runOrThrow } from './lib/processes.mjs';
import { HELIX_DIR, ROOT, ensureHelixDir, ensureNodeModules } from './lib/project.mjs';

const STEPS = [
  { id: 'lint', title: 'Lint', command: 'npm', args: ['run', 'lint'] },
  { id: 'typecheck', title: 'Typecheck', command: 'npm', args: ['run', 'typecheck'] },
  { id: 'drift', title: 'Migration drift check', command: 'npm', args: ['run', 'db:drift'], database: true },
  { id: 'unit', title: 'Unit tests', command: 'npx', args: ['vitest', 'run', '--project', 'unit'], database: true },
  { id: 'server', title: 'Server tests', command: 'npx', args: ['vitest', 'run', '--project', 'server'], database: true },
  { id: 'build', title: 'Production build', command: 'npx', args: ['next', 'build'], database: true },
  { id: 'e2e', title: 'End-to-end tests', command: 'npx', args: ['playwright', 'test'], database: true, browser: true },
];

const USAGE = `Usage: npm test [-- options]

Runs ${STEPS.map((step) => step.id).join(', ')} in that order against a fresh database,
stopping at the first failure.

Options:
  --only <ids>   run only these steps, comma-separated (e.g. --only unit,server);
                 e2e serves the production build, so pair it with build: --only build,e2e
  --skip-e2e     everything but the end-to-end tests
  [files…]       end-to-end spec files to run instead of all of them
                 (e.g. npm test -- --only build,e2e e2e/marketplace.spec.ts)
  -h, --help     show this help

Database: with DATABASE_URL, a fresh helix_test_* database on that server; without it, an
embedded PostgreSQL in .helix/pgdata-test (port 54330, HELIX_EMBEDDED_PG_TEST_PORT).
The database is dropped at the end unless HELIX_KEEP_TEST_DB=1.`;

const CHROMIUM = '/usr/bin/chromium';
const EMBEDDED_TEST_PORT = 54330;
const TEST_DATABASE_PREFIX = 'helix_test_';

// Fixed values, so every run (and every developer's) sees the same configuration.
const TEST_SETTINGS = {
  AUTH_SECRET: 'helix-test-auth-secret-not-for-production',
  HELIX_ENCRYPTION_KEY: Buffer.from('helix-test-encryption-key-32byte').toString('base64'),
  AUTH_URL: 'http://localhost:3100',
  AUTH_TRUST_HOST: 'true',
  NEXT_TELEMETRY_DISABLED: '1',
};

function parseOptions() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      only: { type: 'string' },
      'skip-e2e': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const known = new Set(STEPS.map((step) => step.id));
  const only = values.only ? values.only.split(',').map((id) => id.trim()).filter(Boolean) : null;
  const unknown = (only ?? []).filter((id) => !known.has(id));
  if (unknown.length > 0) throw new Error(`unknown step ${unknown.join(', ')}; the steps are ${[...known].join(', ')}`);
  const selected = (step) => (!only || only.includes(step.id)) && !(values['skip-e2e'] && step.id === 'e2e');
  const missing = positionals.find((file) => !fs.existsSync(path.resolve(ROOT, file)));
  if (missing) throw new Error(`no such end-to-end spec: ${missing}`);
  const steps = STEPS.filter(selected).map((step) => (step.id === 'e2e' && positionals.length ? { ...step, args: [...step.args, ...positionals] } : step));
  return { steps };
}

/** Playwright drives Debian's chromium (no browser download works here); install it if missing. */
async function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    fail(`the end-to-end tests need Debian's chromium at ${CHROMIUM}. Install it with:\n\n  sudo apt-get update && sudo apt-get install -y chromium\n\nor skip them: npm test -- --skip-e2e`);
    await exit(1);
  }
  await timed(`Installing chromium for the end-to-end tests: ${CHROMIUM} is missing (apt-get update && apt-get install -y chromium)`, async () => {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await runOrThrow('apt-get', ['update'], { env });
    await runOrThrow('apt-get', ['install', '-y', 'chromium'], { env });
  });
}

function testDatabaseName() {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  return `${TEST_DATABASE_PREFIX}${stamp}_${randomBytes(4).toString('hex')}`;
}

/** The server to create the test database on: DATABASE_URL's, or the embedded test cluster. */
async function testServerUrl() {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const port = Number(process.env.HELIX_EMBEDDED_PG_TEST_PORT ?? EMBEDDED_TEST_PORT);
  ensureHelixDir();
  const server = await timed(`Starting the embedded PostgreSQL for tests (port ${port})`, () =>
    startEmbeddedPostgres({
      dataDir: path.join(HELIX_DIR, 'pgdata-test'),
      port,
      logFile: path.join(HELIX_DIR, 'postgres-test.log'),
      durable: false,
      portVariable: 'HELIX_EMBEDDED_PG_TEST_PORT',
    }),
  );
  onCleanup(
    () => server.stop(),
    () => server.stopNow(),
  );
  const url = server.url('postgres');
  // This cluster serves only test runs, one at a time: databases here are from runs that were
  // interrupted before they could drop theirs (or kept with HELIX_KEEP_TEST_DB=1).
  for (const leftover of await listDatabases(url, TEST_DATABASE_PREFIX)) await dropDatabase(url, leftover);
  return url;
}

/** Creates and migrates a fresh database; it is dropped when the run ends. Returns its URL. */
async function createTestDatabase(env) {
  const serverUrl = await testServerUrl();
  const name = testDatabaseName();
  const url = withDatabaseName(serverUrl, name);
  await timed(`Creating and migrating the test database ${name}`, async () => {
    await createDatabase(serverUrl, name);
    if (process.env.HELIX_KEEP_TEST_DB === '1') {
      // Said now, not at the end: the count line must stay the last line CI reads.
      note(`HELIX_KEEP_TEST_DB=1: this database will be kept: ${redactUrl(url)}`);
    } else {
      onCleanup(() => dropDatabase(serverUrl, name));
    }
    await migrateDatabase(url, env);
  });
  return url;
}

async function runSteps(steps, env) {
  const results = [];
  let failed = false;
  for (const [index, step] of steps.entries()) {
    if (failed) {
      results.push({ step, status: 'skipped' });
      continue;
    }
    heading(`[${index + 1}/${steps.length}] ${step.title}: ${[step.command, ...step.args].join(' ')}`);
    const started = Date.now();
    const result = await run(step.command, step.args, { cwd: ROOT, env });
    const ms = Date.now() - started;
    if (result.ok) {
      console.log(green(`✓ ${step.id} passed in ${seconds(ms)}`));
    } else {
      console.log(red(`✗ ${step.id} failed in ${seconds(ms)} (${describeExit(result)})`));
      failed = true;
    }
    results.push({ step, status: result.ok ? 'passed' : 'failed', ms });
    // Interrupted: the step was stopped for it; exit() is cleaning up and ends the process.
    if (isExiting()) await exit(130);
  }
  return results;
}

/** One line per step (the unselected and unreached ones as skipped), then the count line. */
function printSummary(stepResults, started) {
  const results = STEPS.map((step) => stepResults.find((result) => result.step === step) ?? { step, status: 'skipped' });
  const mark = { passed: green('✓ passed'), failed: red('✗ failed'), skipped: yellow('- skipped') };
  console.log(`\n${bold('Summary')} ${dim(`(${seconds(Date.now() - started)} in all)`)}`);
  for (const { step, status, ms } of results) {
    console.log(`  ${step.id.padEnd(10)} ${mark[status]}${ms === undefined ? '' : dim(` ${seconds(ms)}`)}`);
  }
  const count = (status) => results.filter((result) => result.status === status).length;
  // CI reads this exact line.
  console.log(`${count('passed')} passed, ${count('failed')} failed`);
}

async function main() {
  const started = Date.now();
  const { steps } = parseOptions();
  handleStopSignals((signal) => {
    console.log(yellow(`\n${signal}: stopping the tests and cleaning up…`));
    exit(130);
  });

  let env = { ...process.env, ...TEST_SETTINGS, PLAYWRIGHT_HTML_OPEN: process.env.PLAYWRIGHT_HTML_OPEN ?? 'never' };
  try {
    await ensureNodeModules();
    if (steps.some((step) => step.browser)) await ensureChromium();
    if (steps.some((step) => step.database)) {
      env = { ...env, DATABASE_URL: await createTestDatabase(env) };
    }
  } catch (error) {
    if (isExiting()) return;
    fail(`setting up the test run failed: ${error.message}`);
    console.log('0 passed, 1 failed');
    await exit(1);
  }

  const results = await runSteps(steps, env);
  printSummary(results, started);
  await exit(results.some((result) => result.status === 'failed') ? 1 : 0);
}

main().catch((error) => {
  if (!isExiting()) fail(error.message);
  exit(1);
});
