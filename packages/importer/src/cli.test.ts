// The import command as an operator runs it, a real process on a PGlite folder: its exit codes,
// what it says, and Ctrl-C (SIGINT) then a rerun. What is stored is read back from the folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@pulso/database';
import { acmeFolder, signalOnceSeen, writeNpsMapping } from '../../../test/support/import-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulso-import-cli-'));
const dataDir = join(dir, 'data');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the command; `onStdout` sees its output as it comes (to interrupt it). */
function runImport(
  args: string[],
  onStdout?: (text: string, child: ReturnType<typeof spawn>) => void,
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void,
): Promise<Run> {
  // --liftoff-only: PGlite's WebAssembly on V8's baseline compiler alone, as the cross-process tests
  // run it (test/support/server-process.ts): a process that lives seconds spends half the CPU.
  const child = spawn(
    process.execPath,
    ['--liftoff-only', '--import', 'tsx', join(import.meta.dirname, 'cli.ts'), ...args],
    {
      // As `pnpm run import` starts it: in the package folder, the operator's folder in INIT_CWD.
      cwd: join(import.meta.dirname, '..'),
      env: { PATH: process.env.PATH ?? '', PULSO_DATA_DIR: dataDir, INIT_CWD: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
    onStdout?.(stdout, child);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
    onStderr?.(stderr, child);
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

async function readBack<T>(read: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const database = await openDatabase({ kind: 'pglite', dataDir });
  try {
    return await read(database);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  // A folder an earlier Pulso migrated: the import command's own start is what is tested.
  await acmeFolder(dataDir);
  writeNpsMapping(dir);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the import command', () => {
  it('exits 3 when rows were refused, saying how many, and 0 with --allow-bad-rows', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'id,name,at,score\nb1,B1,2026-05-01,9\nb2,B2,2026-05-01,11\nb3,B3,soon,7\n');
    const refused = await runImport(['--config', 'nps.json', 'bad.csv']);
    expect(refused.code, refused.stderr).toBe(3);
    // The header is not a row: three rows, two bad.
    expect(refused.stdout).toContain('3 rows, 2 bad (skipped)');
    expect(refused.stderr).toContain('2 of 3 rows were refused');
    expect(refused.stderr).toContain('--allow-bad-rows');
    const accepted = await runImport(['--config', 'nps.json', '--allow-bad-rows', 'bad.csv']);
    expect(accepted.code, accepted.stderr).toBe(0);
    // The good row was stored once, by the first run.
    expect(accepted.stdout).toContain('interactions: 0 imported, 1 already imported');
  }, 60_000);

  it('lists the first 100 bad rows and counts the others; a record the parser cannot read is a bad row', async () => {
    const bad = Array.from({ length: 103 }, (_, i) => `,Nameless ${i},2026-05-01,7`);
    writeFileSync(join(dir, 'many-bad.csv'), `id,name,at,score\nok1,OK,2026-05-01,9\nshort,row\n${bad.join('\n')}\n`);
    const run = await runImport(['--config', 'nps.json', 'many-bad.csv']);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toContain('  line 3: 2 fields where the header has 4');
    expect(run.stdout).toContain('  line 4: id: the customer id is empty');
    expect(run.stdout.match(/^ {2}line \d+:/gm)).toHaveLength(100);
    expect(run.stdout).toContain('... and 4 more bad rows (the first 100 are listed)');
    expect(run.stdout).toContain('105 rows, 104 bad (skipped)');
  }, 60_000);

  it('refuses a file whose header lacks a mapped column, counting no row', async () => {
    writeFileSync(join(dir, 'header.csv'), 'id,name,when\nh1,H1,2026-05-01\n');
    const run = await runImport(['--config', 'nps.json', 'header.csv']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the header (line 1) lacks the column(s) "at", "score"');
    expect(run.stdout).not.toMatch(/\d+ rows/);
  }, 60_000);

  it('refuses a Latin-1 file naming --encoding latin1, which then imports it intact', async () => {
    writeFileSync(
      join(dir, 'latin1.csv'),
      Buffer.from('id,name,at,score\nsp,São Paulo Comércio,2026-05-01,8\n', 'latin1'),
    );
    const refused = await runImport(['--config', 'nps.json', 'latin1.csv']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/line 2 is not UTF-8: .*--encoding latin1/);
    const decoded = await runImport(['--config', 'nps.json', '--encoding', 'latin1', 'latin1.csv']);
    expect(decoded.code, decoded.stderr).toBe(0);
    const customer = await readBack((db) =>
      db.prisma.customer.findFirstOrThrow({ where: { externalId: 'sp' }, select: { name: true } }),
    );
    expect(customer.name).toBe('São Paulo Comércio');
  }, 60_000);

  it('stops on Ctrl-C saying how to finish, and the rerun stores every row once and scores every customer', async () => {
    const count = 1_500;
    // Yesterday: the history the import backfills stays a week long.
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const rows = Array.from({ length: count }, (_, i) => `big${i},Big ${i},${day},${i % 11}`);
    writeFileSync(join(dir, 'big.csv'), `id,name,at,score\n${rows.join('\n')}\n`);
    const stop = signalOnceSeen('Importing big.csv', 'SIGINT');
    const stopped = await runImport(['--config', 'nps.json', 'big.csv'], stop.watch);
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(130);
    expect(stopped.stdout).toContain('stopped by Ctrl-C');
    expect(stopped.stdout).toContain('run the same command again');
    const rerun = await runImport(['--config', 'nps.json', 'big.csv']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const stored = await readBack(async (db) => ({
      interactions: await db.prisma.interaction.count({ where: { source: 'import:big.csv' } }),
      keys: (await db.prisma.interaction.groupBy({ by: ['idempotencyKey'], where: { source: 'import:big.csv' } }))
        .length,
      unscored: await db.prisma.customer.count({ where: { externalId: { startsWith: 'big' }, score: null } }),
      customers: await db.prisma.customer.count({ where: { externalId: { startsWith: 'big' } } }),
    }));
    expect(stored).toEqual({ interactions: count, keys: count, unscored: 0, customers: count });
  }, 120_000);

  it('stops on Ctrl-C while it writes the history with exit 130, and the rerun writes the rest', async () => {
    // Ninety days back: the history at past instants is long enough to be stopped in.
    const day = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
    const rows = Array.from({ length: 400 }, (_, i) => `hist${i},Hist ${i},${day},${i % 11}`);
    writeFileSync(join(dir, 'history.csv'), `id,name,at,score\n${rows.join('\n')}\n`);
    const stop = signalOnceSeen('history:', 'SIGINT');
    const stopped = await runImport(['--config', 'nps.json', 'history.csv'], undefined, stop.watch);
    expect(stop.sent).toBe(true);
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(130);
    expect(stopped.stdout).toContain('interactions: 400 imported');
    expect(stopped.stdout).toContain('stopped by Ctrl-C');
    expect(stopped.stdout).toContain('run the same command again');
    const rerun = await runImport(['--config', 'nps.json', 'history.csv']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('400 already imported');
  }, 120_000);

  it('stops on SIGTERM as on Ctrl-C: the counts, how to finish, exit 143', async () => {
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const rows = Array.from({ length: 1_500 }, (_, i) => `term${i},Term ${i},${day},${i % 11}`);
    writeFileSync(join(dir, 'term.csv'), `id,name,at,score\n${rows.join('\n')}\n`);
    const stop = signalOnceSeen('Importing term.csv', 'SIGTERM');
    const stopped = await runImport(['--config', 'nps.json', 'term.csv'], stop.watch);
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(143);
    expect(stopped.stdout).toContain('stopped by SIGTERM');
    expect(stopped.stdout).toContain('run the same command again');
  }, 120_000);
});
