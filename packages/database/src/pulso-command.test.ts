// The `pulso` command as hints name it: `npm run pulso --` in a checkout, the release folder's
// compiled command run by Node elsewhere (no scripts/, no package manager: the image, systemd).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pulsoCommand, pulsoInstall, pulsoInstallAt } from './pulso-command.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulso-install-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function folder(name: string, files: string[]): string {
  const root = join(dir, name);
  for (const file of files) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(
      join(root, file),
      file.endsWith('package.json') ? JSON.stringify({ name: file === 'package.json' ? 'pulso' : '@pulso/cli' }) : '',
    );
  }
  return root;
}

describe('the install a hint names', () => {
  it('is this checkout when run from the sources', () => {
    expect(pulsoInstall()).toEqual({ checkout: true, invocation: 'npm run pulso --' });
  });

  it("is a release folder's compiled command, by its absolute path, where scripts/pulso.mjs is absent", () => {
    const release = folder('release', ['package.json', 'apps/cli/package.json', 'apps/cli/dist/pulso.mjs']);
    expect(pulsoInstallAt(join(release, 'apps', 'cli', 'dist', 'chunks'))).toEqual({
      checkout: false,
      invocation: `node ${join(release, 'apps', 'cli', 'dist', 'pulso.mjs')}`,
    });
    const spaced = folder('with space', ['package.json']);
    expect(pulsoInstallAt(join(spaced, 'apps')).invocation).toBe(
      `node ${JSON.stringify(join(spaced, 'apps', 'cli', 'dist', 'pulso.mjs'))}`,
    );
    const checkout = folder('checkout', ['package.json', 'scripts/pulso.mjs']);
    expect(pulsoInstallAt(join(checkout, 'apps', 'server', 'dist'))).toEqual({
      checkout: true,
      invocation: 'npm run pulso --',
    });
  });

  it('adds the database setting the command must share with the server', () => {
    const release = pulsoInstallAt(folder('release-2', ['package.json']));
    const pglite = { kind: 'pglite', dataDir: '/var/lib/pulso/data' } as const;
    const postgres = { kind: 'postgres', url: 'postgres://x@h/db' } as const;
    expect(pulsoCommand('workspace list')).toBe('npm run pulso -- workspace list');
    expect(pulsoCommand('workspace list', pglite, {})).toBe('npm run pulso -- workspace list');
    expect(pulsoCommand('workspace list', pglite, { PULSO_DATA_DIR: 'data' })).toBe(
      'PULSO_DATA_DIR="/var/lib/pulso/data" npm run pulso -- workspace list',
    );
    expect(pulsoCommand('db resolve --applied M', postgres, {})).toBe(
      'DATABASE_URL=<the same as the server> npm run pulso -- db resolve --applied M',
    );
    // A release's default folder is relative to where the server started: always named.
    expect(pulsoCommand('workspace list', pglite, {}, release)).toBe(
      `PULSO_DATA_DIR="/var/lib/pulso/data" ${release.invocation} workspace list`,
    );
  });
});
