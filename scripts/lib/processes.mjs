// Child processes and shutdown for `npm start` and `npm test`.
//
// Every child runs in its own process group (detached), so a terminal Ctrl-C reaches only this
// script, which then stops things in order: children first, then the cleanups (drop the test
// database, stop the embedded Postgres). The alternative, children sharing our group, lets
// Ctrl-C hit Postgres while the app still uses it. npm also forwards the terminal's SIGINT to us,
// so one Ctrl-C arrives twice; repeats within a moment count as one.
import { spawn } from 'node:child_process';
import process from 'node:process';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { dim, fail, warn, yellow } from './output.mjs';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const REPEAT_WINDOW_MS = 1500;
const CHILD_STOP_TIMEOUT_MS = 15_000;

/** Children started and not yet seen exiting, in start order. */
const running = new Set();
/** Cleanups in registration order; they run last-first. */
const cleanups = [];
let exiting = null;

/**
 * Starts a child in its own process group and tracks it until it exits.
 * `stopSignal` is what a graceful stop sends to its group: SIGINT for tools (what Ctrl-C
 * would send), SIGTERM for servers.
 */
export function startChild(command, args, { env = process.env, cwd, stdio = 'inherit', stopSignal = 'SIGINT', name = command } = {}) {
  if (exiting) throw new Error(`not starting ${name}: shutting down`);
  const child = spawn(command, args, { env, cwd, stdio, detached: true });
  const handle = { name, child, stopSignal };
  handle.exited = new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: 127, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  }).then((result) => {
    running.delete(handle);
    return result;
  });
  running.add(handle);
  return handle;
}

/** Runs a command to completion with inherited output; resolves to { ok, code, signal, error }. */
export async function run(command, args, options = {}) {
  const result = await startChild(command, args, options).exited;
  return { ...result, ok: result.code === 0 };
}

/** Like run(), but a failure throws with the command in the message. */
export async function runOrThrow(command, args, options = {}) {
  const result = await run(command, args, options);
  if (!result.ok) throw new Error(`\`${[command, ...args].join(' ')}\` ${describeExit(result)}`);
  return result;
}

export function describeExit({ code, signal, error }) {
  if (error) return `could not start (${error.message})`;
  if (signal) return `was killed by ${signal}`;
  return `exited with code ${code}`;
}

/**
 * Starts a long-running service ({ name, command, args, env, cwd }) with its output prefixed by
 * its name, so several services can share the terminal.
 */
export function startService(service) {
  const handle = startChild(service.command, service.args, {
    env: service.env,
    cwd: service.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    stopSignal: 'SIGTERM',
    name: service.name,
  });
  const prefix = dim(`[${service.name}]`);
  for (const stream of [handle.child.stdout, handle.child.stderr]) {
    const sink = stream === handle.child.stderr ? process.stderr : process.stdout;
    readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => sink.write(`${prefix} ${line}\n`));
  }
  return handle;
}

/** Signals the child's whole process group (a server's workers, npm's child); gone is fine. */
function signalGroup(handle, signal) {
  try {
    process.kill(-handle.child.pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') warn(`could not send ${signal} to ${handle.name}: ${error.message}`);
  }
}

async function stopChild(handle) {
  signalGroup(handle, handle.stopSignal);
  const stopped = await Promise.race([handle.exited.then(() => true), sleep(CHILD_STOP_TIMEOUT_MS, false, { ref: false })]);
  if (!stopped) {
    warn(`${handle.name} did not stop within ${CHILD_STOP_TIMEOUT_MS / 1000}s; killing it`);
    signalGroup(handle, 'SIGKILL');
    await handle.exited;
  }
}

/** Stops running children, newest first (a gateway before the app it talks to). */
async function stopChildren() {
  for (const handle of [...running].reverse()) await stopChild(handle);
}

/**
 * Registers cleanup work for the end of the run (drop a database, stop a server). `urgent` is an
 * optional synchronous variant used when the user insists on stopping now (a second Ctrl-C).
 * Returns a function that unregisters it.
 */
export function onCleanup(run, urgent) {
  const entry = { run, urgent };
  cleanups.push(entry);
  return () => {
    const index = cleanups.indexOf(entry);
    if (index !== -1) cleanups.splice(index, 1);
  };
}

/**
 * The one way these scripts end: stop children, run cleanups, exit with `code`. Calling it again
 * while it runs returns the same promise (a failing step and a Ctrl-C may both ask).
 */
export function exit(code) {
  exiting ??= (async () => {
    await stopChildren();
    for (const entry of cleanups.splice(0).reverse()) {
      try {
        await entry.run();
      } catch (error) {
        warn(`cleanup failed: ${error.message}`);
      }
    }
    process.exit(code);
  })();
  return exiting;
}

export function isExiting() {
  return exiting !== null;
}

function exitNow(code) {
  console.error(yellow('\nStopping immediately.'));
  for (const handle of running) signalGroup(handle, 'SIGKILL');
  for (const entry of cleanups.splice(0).reverse()) entry.urgent?.();
  process.exit(code);
}

/**
 * First SIGINT/SIGTERM/SIGHUP calls `onStop(signal)`, which should end in exit(). A signal that
 * arrives later than REPEAT_WINDOW_MS after it means "stop now": kill children, exit.
 * Uncaught errors also go through exit() so cleanups still run.
 */
export function handleStopSignals(onStop) {
  let firstAt = 0;
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      const now = Date.now();
      if (!firstAt) {
        firstAt = now;
        onStop(signal);
      } else if (now - firstAt > REPEAT_WINDOW_MS) {
        exitNow(130);
      }
    });
  }
  const crash = (error) => {
    fail(error?.stack ?? String(error));
    exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}

// Last resort for an exit that skipped exit() (process.exit elsewhere): don't leave children running.
process.on('exit', () => {
  for (const handle of running) signalGroup(handle, 'SIGTERM');
});
