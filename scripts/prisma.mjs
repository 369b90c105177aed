#!/usr/bin/env node
// Runs the Prisma CLI offline: `node scripts/prisma.mjs <prisma args…>` (dependency-free on purpose,
// it runs as postinstall).
//
// The CLI insists on a native `schema-engine` binary that it would download; downloads are impossible
// here. PRISMA_SCHEMA_ENGINE_BINARY makes it use scripts/prisma-engine/schema-engine.mjs instead, a
// small Node program that answers the CLI's JSON-RPC with the WASM schema engine
// (see /work/shared/notes/STACK.md, "Prisma 7 without its native schema engine").
import { spawn } from 'node:child_process';
import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const engine = path.join(root, 'scripts', 'prisma-engine', 'schema-engine.mjs');

// The CLI spawns the engine directly, so it must be executable (a checkout or copy can lose the bit).
try {
  accessSync(engine, constants.X_OK);
} catch {
  chmodSync(engine, statSync(engine).mode | 0o111);
}

let prismaCli;
try {
  prismaCli = createRequire(path.join(root, 'package.json')).resolve('prisma/build/index.js');
} catch {
  console.error('scripts/prisma.mjs: the `prisma` package is not installed (run npm install).');
  process.exit(1);
}

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || engine,
  // No update check, no telemetry: both would try the network.
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
  // The engine's `#!/usr/bin/env node` must find this same Node, even when it is not on PATH.
  PATH: [path.dirname(process.execPath), process.env.PATH].filter(Boolean).join(path.delimiter),
};

const child = spawn(process.execPath, [prismaCli, ...process.argv.slice(2)], { stdio: 'inherit', env });

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('error', (error) => {
  console.error(`scripts/prisma.mjs: could not start the Prisma CLI: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else {
    process.exit(code ?? 1);
  }
});
