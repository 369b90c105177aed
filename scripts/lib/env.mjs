// Environment for the app: .env loading and secrets generated once and kept in .helix/.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { parseEnv } from 'node:util';

/** Loads KEY=value lines from `file` into process.env without overriding real variables. */
export function loadDotEnv(file) {
  if (!fs.existsSync(file)) return [];
  const loaded = [];
  for (const [key, value] of Object.entries(parseEnv(fs.readFileSync(file, 'utf8')))) {
    if (process.env[key] !== undefined) continue;
    process.env[key] = value;
    loaded.push(key);
  }
  return loaded;
}

/** Generators for the secrets the app needs; generated once, then kept in secrets.json. */
export const SECRET_GENERATORS = {
  // Signs Auth.js session tokens; kept so sessions survive restarts.
  AUTH_SECRET: () => randomBytes(32).toString('base64'),
  // Encrypts secrets the app stores in the database; losing it makes them unreadable.
  HELIX_ENCRYPTION_KEY: () => randomBytes(32).toString('base64'),
};

/**
 * Returns a value for each secret: from the environment when set there, else from `file`,
 * generating and saving (mode 0600) the ones it does not hold yet. `created` lists new ones.
 */
export function loadOrCreateSecrets(file, generators = SECRET_GENERATORS) {
  const stored = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  const values = {};
  const created = [];
  for (const [name, generate] of Object.entries(generators)) {
    if (process.env[name]) {
      values[name] = process.env[name];
      continue;
    }
    if (!stored[name]) {
      stored[name] = generate();
      created.push(name);
    }
    values[name] = stored[name];
  }
  if (created.length > 0) writePrivateJson(file, stored);
  return { values, created };
}

function writePrivateJson(file, data) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename, so an interrupted write never leaves a half file that loses the secrets.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}
