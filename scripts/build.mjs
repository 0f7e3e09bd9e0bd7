#!/usr/bin/env node
// The production build: the server and the `pulso` command, each compiled with its workspace
// packages and their dependencies into one ES module (apps/server/dist/main.mjs,
// apps/cli/dist/pulso.mjs), so that a production start loads no TypeScript loader, runs no code
// generation and resolves a handful of files instead of thousands.
//
// esbuild does it because it bundles TypeScript as written here (type-only imports, `.ts`
// specifiers, ES modules mixed with CommonJS dependencies) in about a second, and is already the
// TypeScript transformer under tsx and Vite. Two dependencies stay outside the bundle because they
// load files next to their own modules at run time: PGlite (its WebAssembly and data files) and
// Prisma's WebAssembly schema engine. Both apps depend on them directly, so they resolve from dist/.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const bundles = [
  { entry: 'apps/server/src/main.ts', outfile: 'apps/server/dist/main.mjs' },
  { entry: 'apps/cli/src/main.ts', outfile: 'apps/cli/dist/pulso.mjs' },
];

const external = [
  '@electric-sql/pglite',
  '@electric-sql/pglite/*',
  '@prisma/schema-engine-wasm',
  '@prisma/schema-engine-wasm/*',
];

// CommonJS dependencies bundled into an ES module still call `require` for Node's built-ins.
const banner =
  "import { createRequire as __pulsoRequire } from 'node:module'; const require = __pulsoRequire(import.meta.url);";

export async function buildAll({ quiet = false } = {}) {
  const started = performance.now();
  for (const { entry, outfile } of bundles) {
    await build({
      absWorkingDir: root,
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20.19',
      external,
      banner: { js: banner },
      sourcemap: 'linked',
      legalComments: 'linked',
      logLevel: 'warning',
    });
  }
  if (!quiet)
    console.log(`build: ${bundles.map((b) => b.outfile).join(', ')} in ${Math.round(performance.now() - started)} ms`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildAll();
