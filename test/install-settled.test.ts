// `npm start` on a fresh clone must print no instruction its user cannot follow. pnpm 10 runs no
// dependency's install script unless the repository allows it, and otherwise ends its install with
// a box asking to run `pnpm approve-builds` (pnpm is not on the user's PATH). So every installed
// package that has an install script (or a native build, binding.gyp) must be settled in
// pnpm-workspace.yaml: allowed (onlyBuiltDependencies) or declined (ignoredBuiltDependencies).
// Read from the installed tree, so a new dependency that brings a script fails here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from './support/server-process.ts';

/** The entries of a top-level list in pnpm-workspace.yaml. */
function yamlList(text: string, key: string): string[] {
  const block = new RegExp(`^${key}:\\n((?:  - .*\\n)+)`, 'm').exec(text)?.[1] ?? '';
  return [...block.matchAll(/^ {2}- "?([^"\n]+)"?$/gm)].map((m) => m[1]!);
}

/** Every package in pnpm's virtual store whose installation would run a script. */
function packagesWithBuilds(): string[] {
  const store = join(repoRoot, 'node_modules', '.pnpm');
  const found = new Set<string>();
  for (const entry of readdirSync(store)) {
    const modules = join(store, entry, 'node_modules');
    if (!existsSync(modules)) continue;
    for (const name of readdirSync(modules)) {
      const dirs = name.startsWith('@')
        ? readdirSync(join(modules, name)).map((sub) => join(modules, name, sub))
        : [join(modules, name)];
      for (const dir of dirs) {
        const manifest = join(dir, 'package.json');
        if (!existsSync(manifest)) continue;
        const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; scripts?: Record<string, string> };
        const scripts = pkg.scripts ?? {};
        if (scripts.preinstall || scripts.install || scripts.postinstall || existsSync(join(dir, 'binding.gyp')))
          found.add(pkg.name);
      }
    }
  }
  return [...found].sort();
}

it("settles every dependency's install script, so no install asks for `pnpm approve-builds`", () => {
  const workspace = readFileSync(join(repoRoot, 'pnpm-workspace.yaml'), 'utf8');
  const settled = new Set([
    ...yamlList(workspace, 'onlyBuiltDependencies'),
    ...yamlList(workspace, 'ignoredBuiltDependencies'),
  ]);
  const building = packagesWithBuilds();
  expect(building.length, 'the installed tree was read').toBeGreaterThan(0);
  expect(building.filter((name) => !settled.has(name))).toEqual([]);
});
