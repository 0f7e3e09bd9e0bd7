// `npm start` skips install, generate and build when what they read did not change, `npm test` its
// format, lint and type checks
// (scripts/fingerprints.mjs): each fingerprint must move with its inputs, and only with them.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { inputsOfBuild, inputsOfChecks, inputsOfGenerate, inputsOfInstall } from '../scripts/fingerprints.mjs';

const root = mkdtempSync(join(tmpdir(), 'pulso-fingerprints-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, content: string) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

write('package.json', '{"name":"pulso"}');
write('pnpm-lock.yaml', 'lockfileVersion: 9');
write('pnpm-workspace.yaml', 'packages: []');
write('scripts/build.mjs', '// build');
write('packages/db/package.json', '{"name":"@x/db","scripts":{"generate":"prisma generate"}}');
write('packages/db/prisma/schema.prisma', 'model A { id Int @id }');
write('packages/db/generated/client.ts', 'export {}');
write('packages/core/package.json', '{"name":"@x/core"}');
write('packages/core/src/index.ts', 'export const a = 1;');
write('apps/server/package.json', '{"name":"@x/server"}');
write('apps/server/src/main.ts', 'console.log(1);');
write('apps/server/dist/main.mjs', 'console.log(1);');
write('apps/server/node_modules/dep/index.js', 'module.exports = 1;');

const all = () => ({
  install: inputsOfInstall(root),
  generate: inputsOfGenerate(root),
  build: inputsOfBuild(root),
  checks: inputsOfChecks(root),
});

it('moves each fingerprint with its own inputs only', () => {
  const before = all();
  // A copy of the same files has the same fingerprints (content, not times or places).
  const copy = `${root}-copy`;
  cpSync(root, copy, { recursive: true });
  try {
    expect({
      install: inputsOfInstall(copy),
      generate: inputsOfGenerate(copy),
      build: inputsOfBuild(copy),
      checks: inputsOfChecks(copy),
    }).toEqual(before);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }

  // Outputs and installed dependencies are not inputs.
  write('apps/server/dist/main.mjs', 'console.log(2);');
  write('packages/db/generated/client.ts', 'export const changed = true;');
  write('apps/server/node_modules/dep/index.js', 'module.exports = 2;');
  expect(all()).toEqual(before);

  write('apps/server/src/main.ts', 'console.log(2);');
  const afterSource = all();
  expect(afterSource.build).not.toBe(before.build);
  expect(afterSource.checks).not.toBe(before.checks);
  expect(afterSource.install).toBe(before.install);
  expect(afterSource.generate).toBe(before.generate);

  write('packages/db/prisma/schema.prisma', 'model A { id Int @id name String }');
  const afterSchema = all();
  expect(afterSchema.generate).not.toBe(afterSource.generate);
  expect(afterSchema.build).not.toBe(afterSource.build);
  expect(afterSchema.install).toBe(before.install);

  write('packages/core/package.json', '{"name":"@x/core","dependencies":{"zod":"4"}}');
  expect(inputsOfInstall(root)).not.toBe(before.install);
  write('pnpm-lock.yaml', 'lockfileVersion: 9\n# changed');
  const afterLock = inputsOfInstall(root);
  write('pnpm-lock.yaml', 'lockfileVersion: 9');
  expect(inputsOfInstall(root)).not.toBe(afterLock);

  // The checks read every file of the checkout: a test, the linter's and the type-checker's configurations.
  const checked: [path: string, content: string][] = [
    ['test/a.test.ts', 'it("a", () => {});'],
    ['biome.jsonc', '{}'],
    ['tsconfig.typecheck.json', '{}'],
  ];
  for (const [path, content] of checked) {
    const checks = inputsOfChecks(root);
    write(path, content);
    expect(inputsOfChecks(root), path).not.toBe(checks);
  }
});
