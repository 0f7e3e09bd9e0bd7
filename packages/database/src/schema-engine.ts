// Prisma's schema engine (migrations, diffs) compiled to WebAssembly. The Prisma CLI would download
// a native engine binary first, which cannot be reached offline; the WebAssembly build ships on npm
// and runs over the same driver adapters as the client, so migrations work on PGlite and on a
// PostgreSQL server alike.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

export type { SchemaEngine };

const require = createRequire(import.meta.url);
let loaded: Promise<void> | undefined;

// TypeScript's ES libraries do not declare WebAssembly (only the DOM library does); this is the
// part of it used here.
interface WebAssemblyApi {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WebAssemblyApi };

// The package is built for bundlers (it imports its .wasm file as a module), so Node loads the glue
// module and instantiates the WebAssembly itself.
function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const wasmPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': glue });
    const exports = instance.exports as Record<string, unknown> & { __wbindgen_start(): void };
    glue.__wbg_set_wasm(exports as never);
    exports.__wbindgen_start();
  })();
  return loaded;
}

export interface SchemaFile {
  path: string;
  content: string;
}

/** Opens the schema engine on a database reached through a driver adapter factory. */
export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  schema: SchemaFile,
  log: (message: string) => void = () => {},
): Promise<SchemaEngine> {
  await loadWasm();
  // Unwrapped factories make the engine fail with "Cannot read properties of null": it expects
  // the error-capturing wrapper the CLI puts around adapters.
  const bound = bindMigrationAwareSqlAdapterFactory(adapterFactory);
  return (glue.SchemaEngine as unknown as typeof SchemaEngine).new(
    { datamodels: [[schema.path, schema.content]] },
    (message: string) => log(message),
    bound,
  );
}
