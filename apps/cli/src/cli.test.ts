// The `pulso` command's dispatch, in process: every command and subcommand answers --help and -h
// with its own usage; refusals are one line with the documented exit code (impossible dates, a
// DATABASE_URL that is no postgres:// URL, a missing --workspace among several: usage, 2). And as
// a process (the compiled command): a reader that stops reading ends it quietly.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiKey, createWorkspace } from '@pulso/core';
import { openMigratedPGliteFolder } from '@pulso/database/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNpsMapping } from '../../../test/support/import-fixtures.ts';
import { runCaptured } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulso-cli-dispatch-'));
const dataDir = join(dir, 'data');
beforeAll(async () => {
  const database = await openMigratedPGliteFolder(dataDir);
  try {
    const { workspaceId } = await createWorkspace(database.prisma, { slug: 'acme', name: 'Acme' });
    await createWorkspace(database.prisma, { slug: 'globex', name: 'Globex' });
    for (let i = 0; i < 40; i++)
      await createApiKey(database.prisma, workspaceId, {
        name: `key ${i}`,
        kind: 'READ_ONLY',
        allowedOrigins: [],
        expiresAt: null,
      });
  } finally {
    await database.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeNpsMapping(dir);

const pulso = (argv: string[], env: NodeJS.ProcessEnv = { PULSO_DATA_DIR: dataDir }) => runCaptured(argv, env);

describe('--help', () => {
  it('is answered by every command and subcommand with its own usage, exit 0', async () => {
    const cases: [string[], string, string?][] = [
      [['workspace', '--help'], '  workspace create --name NAME'],
      [['workspace', 'list', '--help'], '  workspace list [--json]', 'workspace create'],
      [['key', 'create', '--help'], '  key create --workspace SLUG', 'key list'],
      [['key', '-h'], '  key revoke --workspace SLUG KEY_ID'],
      [['db', 'backup', '--help'], '  db backup FILE', 'db restore'],
      [['evaluate', '--help'], '  evaluate   how well the scoring model predicts churn'],
      [['scores', 'verify', '--help'], '  scores verify'],
      [['demo', 'remove', '--help'], '  demo remove [--yes]'],
      [['help', 'key', 'create'], '  key create --workspace SLUG', 'key list'],
    ];
    for (const [argv, shown, notShown] of cases) {
      const run = await pulso(argv, {});
      expect([run.code, run.notes], argv.join(' ')).toEqual([0, '']);
      expect(run.out, argv.join(' ')).toMatch(/^usage \(as .*<command>\):\n/);
      expect(run.out, argv.join(' ')).toContain(shown);
      if (notShown) expect(run.out, argv.join(' ')).not.toContain(notShown);
    }
    const general = await pulso(['-h'], {});
    expect([general.code, general.out]).toEqual([0, expect.stringMatching(/^usage: .*<command> \[options\]/)]);
  });

  it('of import is the importer own, with every option; so is `help import`', async () => {
    for (const argv of [
      ['import', '--help'],
      ['help', 'import'],
    ]) {
      const run = await pulso(argv, {});
      expect([run.code, run.notes], argv.join(' ')).toEqual([0, '']);
      expect(run.out, argv.join(' ')).toContain('usage: import --config mapping.json [options] file.csv');
    }
  });
});

describe('one-line refusals', () => {
  it('refuses a day the calendar does not have, as the importer does, instead of rolling it over', async () => {
    expect(
      await pulso(['key', 'create', '--workspace', 'acme', '--kind', 'secret', '--expires', '2027-02-30']),
    ).toEqual({
      code: 2,
      out: '',
      notes: 'pulso key: --expires: "2027-02-30" is not a real date: 2027-02 has 28 days',
    });
    expect(await pulso(['evaluate', '--from', '2026-02-30'])).toEqual({
      code: 2,
      out: '',
      notes: 'pulso evaluate: --from: "2026-02-30" is not a real date: 2026-02 has 28 days',
    });
    expect((await pulso(['evaluate', '--to', '2026-04-31T10:00:00Z'])).notes).toBe(
      'pulso evaluate: --to: "2026-04-31T10:00:00Z" is not a real date: 2026-04 has 30 days',
    );
    const usage = await pulso(['key', 'create', '--help'], {});
    expect(usage.out).toContain('a date alone is 00:00 UTC of that day');
  });

  it('says a DATABASE_URL that is no postgres:// URL is one, rather than a host not found', async () => {
    const said =
      'DATABASE_URL is not a postgres:// URL: set it like postgres://user:password@host:5432/pulso, or unset it to use the embedded database (PULSO_DATA_DIR)';
    for (const argv of [
      ['workspace', 'list'],
      ['scores', 'verify'],
      ['db', 'resolve', '--applied', '20261201120000_x'],
    ])
      expect(await pulso(argv, { DATABASE_URL: 'notaurl' }), argv.join(' ')).toEqual({
        code: 1,
        out: '',
        notes: `pulso ${argv[0]}: ${said}`,
      });
  });

  it('a missing --workspace among several is usage (exit 2) for every command', async () => {
    const verify = await pulso(['scores', 'verify']);
    expect([verify.code, verify.notes]).toEqual([
      2,
      'pulso scores: this database has several workspaces: name one with --workspace SLUG',
    ]);
    expect((await pulso(['evaluate'])).code).toBe(2);
    expect((await pulso(['key', 'list'])).code).toBe(2);
    expect((await pulso(['key', 'create', '--kind', 'secret'])).code).toBe(2);
    writeFileSync(join(dir, 'one.csv'), 'id,name,at,score\na1,A1,2026-05-01,9\n');
    const imported = await pulso(['import', '--config', 'nps.json', 'one.csv'], {
      PULSO_DATA_DIR: dataDir,
      INIT_CWD: dir,
    });
    expect([imported.code, imported.notes]).toEqual([
      2,
      'import: this database has several workspaces: name one with --workspace <slug>',
    ]);
  });

  it('import names the file it cannot read, the URL it cannot use, and the delimiter a header seems to use', async () => {
    const env = { PULSO_DATA_DIR: dataDir, INIT_CWD: dir };
    const run = (...args: string[]) => pulso(['import', '--config', 'nps.json', '--workspace', 'acme', ...args], env);
    expect(await run('missing.csv')).toEqual({ code: 1, out: '', notes: 'import: missing.csv: no such file' });
    mkdirSync(join(dir, 'folder.csv'), { recursive: true });
    expect(await run('folder.csv')).toEqual({
      code: 1,
      out: '',
      notes: 'import: folder.csv is a folder: give the CSV file',
    });
    writeFileSync(join(dir, 'semicolons.csv'), 'id;name;at;score\ns1;S1;2026-05-01;9\n');
    const semicolons = await run('semicolons.csv');
    expect(semicolons.code).toBe(1);
    expect(semicolons.notes).toContain('the header (line 1) lacks the column(s) "id"');
    expect(semicolons.notes).toMatch(
      /; the header looks separated by ";", not ",": set "delimiter": ";" in the mapping$/,
    );
    const badUrl = await pulso(['import', '--config', 'nps.json', 'one.csv'], { ...env, DATABASE_URL: 'notaurl' });
    expect([badUrl.code, badUrl.notes]).toEqual([
      1,
      'import: DATABASE_URL is not a postgres:// URL: set it like postgres://user:password@host:5432/pulso, or unset it to use the embedded database (PULSO_DATA_DIR)',
    ]);
  });
});

it('ends quietly when the reader stops reading (`key list --all | head -1`)', async () => {
  const command = fileURLToPath(new URL('../dist/pulso.mjs', import.meta.url));
  const child = spawn(process.execPath, ['--liftoff-only', command, 'key', 'list', '--workspace', 'acme', '--all'], {
    env: { PATH: process.env.PATH ?? '', PULSO_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The reader is gone before the first line: every line meets a closed pipe.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
  expect([code, stderr]).toEqual([0, '']);
});
