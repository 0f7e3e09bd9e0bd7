#!/usr/bin/env node
// The production build: the server and the `pulso` command, each compiled with its workspace
// packages and their dependencies into an ES module (apps/server/dist/main.mjs,
// apps/cli/dist/pulso.mjs; chunks/ beside it holds what it imports lazily), so that a production start loads no TypeScript loader, runs no code
// generation and resolves a handful of files instead of thousands.
//
// esbuild does it because it bundles TypeScript as written here (type-only imports, `.ts`
// specifiers, ES modules mixed with CommonJS dependencies) in about a second, and is already the
// TypeScript transformer under tsx and Vite. Two dependencies stay outside the bundle because they
// load files next to their own modules at run time: PGlite (its WebAssembly and data files) and
// Prisma's WebAssembly schema engine. Both apps depend on them directly, so they resolve from dist/.
// OpenTelemetry's SDK and Prisma's instrumentation stay outside too, for another reason: the server
// imports them only when tracing is asked for (apps/server/src/tracing/start-tracing.ts), so a
// default start neither loads nor parses them; inlined, they would be parsed at every start.
import { basename, dirname, join } from 'node:path';
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
  '@opentelemetry/context-async-hooks',
  '@opentelemetry/core',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/resources',
  '@opentelemetry/sdk-trace',
  '@prisma/instrumentation',
];

// CommonJS dependencies bundled into an ES module still call `require` for Node's built-ins.
const banner =
  "import { createRequire as __pulsoRequire } from 'node:module'; const require = __pulsoRequire(import.meta.url);";

export async function buildAll({ quiet = false } = {}) {
  const started = performance.now();
  for (const { entry, outfile } of bundles) {
    // Split into chunks, so that what the entry imports dynamically (the tracing set-up) is a file
    // of its own, loaded only when imported: esbuild hoists an external import to the top of the
    // module that holds it. The entry keeps its name (main.mjs, pulso.mjs).
    await build({
      absWorkingDir: root,
      entryPoints: { [basename(outfile, '.mjs')]: entry },
      outdir: dirname(outfile),
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunks/[name]-[hash]',
      splitting: true,
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
