// Loads the WASM schema engine published as @prisma/schema-engine-wasm.
//
// Trap 1 (STACK.md): the package's entry point does `import * as wasm from "./schema_engine_bg.wasm"`,
// which Node 20 cannot import ("Unknown file extension .wasm"). So we load the JS glue
// (`schema_engine_bg.js`) ourselves, instantiate the .wasm with WebAssembly.instantiate using the glue
// as its import object, and hand the instance back to the glue through `__wbg_set_wasm`.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

// The engine reports Rust panics through this global before throwing a RuntimeError
// (`global.PRISMA_WASM_PANIC_REGISTRY.set_message(...)` in the glue); without it a panic would
// surface as "Cannot read properties of undefined".
class PanicRegistry {
  message = '';
  set_message(message) {
    this.message = message;
  }
  take() {
    const message = this.message;
    this.message = '';
    return message;
  }
}

let loaded;

/** @returns {Promise<{ SchemaEngine: any, version: () => string, panics: PanicRegistry, packageVersion: string }>} */
export function loadWasmEngine() {
  loaded ??= load();
  return loaded;
}

/** Where the package is and its version (e.g. 8.1.0-2.<engine commit>), without starting the engine. */
export async function wasmPackageInfo() {
  // The package's "exports" only expose "." and "./schema_engine_bg"; locate the folder through the latter.
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const pkgDir = path.dirname(gluePath);
  const { version } = JSON.parse(await readFile(path.join(pkgDir, 'package.json'), 'utf8'));
  return { gluePath, pkgDir, version, commit: version.split('.').pop() };
}

async function load() {
  const { gluePath, pkgDir, version: packageVersion } = await wasmPackageInfo();

  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= new PanicRegistry();

  const glue = await import(pathToFileURL(gluePath).href);
  const bytes = await readFile(path.join(pkgDir, 'schema_engine_bg.wasm'));
  // The .wasm imports every glue function from the module named "./schema_engine_bg.js".
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();

  return {
    SchemaEngine: glue.SchemaEngine,
    version: glue.version,
    panics: globalThis.PRISMA_WASM_PANIC_REGISTRY,
    packageVersion,
  };
}
