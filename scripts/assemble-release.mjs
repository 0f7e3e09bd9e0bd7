#!/usr/bin/env node
// Assembles a release folder from a built checkout (`npm run build`): everything a production
// start needs and nothing else — the compiled server and `pulso` command, the two dependencies
// they load from disk (PGlite, Prisma's WebAssembly schema engine), the widgets' bundle, the
// migrations, and the root package.json (Pulso's version). About 70 MB, against ~420 MB for a
// `pnpm deploy` of the server with every dependency the bundle already holds.
//
//   node scripts/assemble-release.mjs OUT   then   node OUT/apps/server/dist/main.mjs
//
// The Dockerfile runs exactly this script; test/release-folder.test.ts runs it and starts the
// server and the command from the folder it makes, with no node_modules of the checkout around.
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Files copied from the checkout as they are (folders whole). */
const FROM_CHECKOUT = [
  'package.json',
  'LICENSE',
  'CHANGELOG.md',
  'apps/server/package.json',
  'apps/server/dist',
  'apps/cli/package.json',
  'apps/cli/dist',
];

/** Packages the bundles resolve at run time, with the parts of each they read. */
const PACKAGES = [
  { name: '@electric-sql/pglite', parts: null },
  { name: '@prisma/schema-engine-wasm', parts: null },
  { name: '@pulso/widgets', parts: ['package.json', 'dist'] },
  { name: '@pulso/database', parts: ['package.json', 'prisma/schema.prisma', 'prisma/migrations'] },
];

export function assembleRelease(out) {
  const target = resolve(out);
  for (const file of ['apps/server/dist/main.mjs', 'apps/cli/dist/pulso.mjs'])
    if (!existsSync(join(root, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const path of FROM_CHECKOUT) cpSync(join(root, path), join(target, path), { recursive: true });
  // Resolved as the server resolves them, so the copies are the versions it was built against.
  const require = createRequire(join(root, 'apps', 'server', 'package.json'));
  for (const { name, parts } of PACKAGES) {
    const from = packageDir(require, name);
    const to = join(target, 'node_modules', name);
    if (parts === null) cpSync(from, to, { recursive: true, dereference: true });
    else for (const part of parts) cpSync(join(from, part), join(to, part), { recursive: true, dereference: true });
  }
  return target;
}

function packageDir(require, name) {
  // A package's folder from its entry point: walk up to the package.json that names it (some
  // packages do not export their package.json).
  let dir = dirname(realpathSync(require.resolve(name)));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).name === name) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json for ${name}`);
    dir = dirname(dir);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node scripts/assemble-release.mjs OUT');
    process.exit(2);
  }
  try {
    console.log(`release: ${assembleRelease(out)}`);
  } catch (error) {
    console.error(`release: ${error.message}`);
    process.exit(1);
  }
}
