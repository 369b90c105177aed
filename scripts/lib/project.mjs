// Where things are, and keeping node_modules and the production build up to date.
import fs from 'node:fs';
import path from 'node:path';
import { URL, fileURLToPath } from 'node:url';
import { note, timed } from './output.mjs';
import { runOrThrow } from './processes.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Project-local state (embedded Postgres data, generated secrets); gitignored. */
export const HELIX_DIR = path.join(ROOT, '.helix');

export function projectPath(...parts) {
  return path.join(ROOT, ...parts);
}

/** `file` relative to the project when inside it (for messages), else absolute. */
export function displayPath(file) {
  const relative = path.relative(ROOT, file);
  return relative && !relative.startsWith('..') ? relative : file;
}

export function ensureHelixDir() {
  fs.mkdirSync(HELIX_DIR, { recursive: true });
  return HELIX_DIR;
}

function mtimeMs(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

/** Why node_modules must be (re)installed, or null when it matches package-lock.json. */
function installReason() {
  if (!fs.existsSync(projectPath('node_modules'))) return 'node_modules is missing';
  const lock = mtimeMs(projectPath('package-lock.json'));
  // npm writes node_modules/.package-lock.json on every install: it dates the installed tree.
  const installed = mtimeMs(projectPath('node_modules', '.package-lock.json'));
  if (installed === null) return 'node_modules was not installed by npm (no node_modules/.package-lock.json)';
  if (lock !== null && lock > installed) return 'package-lock.json is newer than node_modules';
  return null;
}

export async function ensureNodeModules() {
  const reason = installReason();
  if (!reason) return;
  const hasLock = fs.existsSync(projectPath('package-lock.json'));
  const args = hasLock ? ['ci'] : ['install'];
  await timed(`Installing dependencies: ${reason} (npm ${args[0]})`, () => runOrThrow('npm', args, { cwd: ROOT }));
}

// What the production build is made from. server/generated is left out: `npm ci` regenerates it
// (postinstall) from prisma/, which is watched instead, so an install alone forces no rebuild.
const BUILD_INPUT_DIRS = ['app', 'components', 'server', 'prisma'];
const BUILD_IGNORED = new Set([projectPath('server', 'generated')]);
const BUILD_INPUT_FILES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'next.config.js',
  'next.config.mjs',
  'next.config.ts',
  'postcss.config.js',
  'postcss.config.mjs',
  'postcss.config.cjs',
  'tailwind.config.js',
  'tailwind.config.mjs',
  'tailwind.config.ts',
  'proxy.ts',
  'middleware.ts',
  'instrumentation.ts',
];

/**
 * First file or directory under `dir` modified after `since`, or null. Directories count
 * because deleting or renaming a file changes only its directory's mtime.
 */
function findNewerFile(dir, since) {
  if ((mtimeMs(dir) ?? 0) > since) return dir;
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return null;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (BUILD_IGNORED.has(full) || entry.name === 'node_modules') continue;
    if (entry.isDirectory()) {
      const found = findNewerFile(full, since);
      if (found) return found;
    } else if ((mtimeMs(full) ?? 0) > since) {
      return full;
    }
  }
  return null;
}

// The BUILD_ID of the last build that buildIfStale() made. `npm test` builds into the same .next
// with test settings (AUTH_URL on port 3100, a test database), so `npm start` must not serve it.
const BUILD_STAMP = path.join(HELIX_DIR, 'start-build-id');

function readText(file) {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Why `next build` must run, or null when .next/BUILD_ID is ours and newer than every input. */
export function buildReason() {
  const buildIdFile = projectPath('.next', 'BUILD_ID');
  const built = mtimeMs(buildIdFile);
  if (built === null) return 'no production build yet';
  if (readText(buildIdFile) !== readText(BUILD_STAMP)) return 'the current build was made by another command (npm test or next build)';
  for (const file of BUILD_INPUT_FILES) {
    if ((mtimeMs(projectPath(file)) ?? 0) > built) return `${file} changed since the last build`;
  }
  for (const dir of BUILD_INPUT_DIRS) {
    const changed = findNewerFile(projectPath(dir), built);
    if (changed) return `${path.relative(ROOT, changed)} changed since the last build`;
  }
  return null;
}

export async function buildIfStale(env) {
  const reason = buildReason();
  if (!reason) {
    note('Production build is up to date.');
    return;
  }
  await timed(`Building the app: ${reason} (next build)`, () => runOrThrow('npx', ['next', 'build'], { cwd: ROOT, env }));
  ensureHelixDir();
  fs.writeFileSync(BUILD_STAMP, `${readText(projectPath('.next', 'BUILD_ID'))}\n`);
}
