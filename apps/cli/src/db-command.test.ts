// `pulso db resolve`, in process, on PostgreSQL and on a PGlite folder: a migration left unfinished
// (finished_at NULL, as a process killed during it leaves it) blocks migrating with advice naming
// this command; the command settles it, and refuses what it cannot settle (a typo, a migration that
// finished, a folder another process holds) in one line. The release folder runs the same command
// as processes (test/release-folder.test.ts).
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InterruptedMigrationError, openDatabase, readMigrations } from '@pulso/database';
import {
  createMigratedTestPostgresDatabase,
  openMigratedPGliteFolder,
  type TestPostgresDatabase,
} from '@pulso/database/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulso-cli-resolve-'));
let postgres: TestPostgresDatabase;
let migrations: string[];
beforeAll(async () => {
  postgres = await createMigratedTestPostgresDatabase('cli_resolve');
  migrations = (await readMigrations()).migrationDirectories.map((d) => d.path);
});
afterAll(async () => {
  await postgres?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const pulso = runCaptured;

describe('pulso db resolve on PostgreSQL', () => {
  const env = () => ({ DATABASE_URL: postgres.url });

  async function leaveUnfinished(name: string) {
    const database = await openDatabase({ kind: 'postgres', url: postgres.url });
    try {
      await database.executeScript(
        `UPDATE _prisma_migrations SET finished_at = NULL, rolled_back_at = NULL WHERE migration_name = '${name}'`,
      );
    } finally {
      await database.close();
    }
  }

  async function migrate(): Promise<unknown> {
    const database = await openDatabase({ kind: 'postgres', url: postgres.url });
    try {
      return await database.migrate();
    } catch (error) {
      return error;
    } finally {
      await database.close();
    }
  }

  it('settles the migration a start refuses to go past, with the command that start names', async () => {
    const last = migrations.at(-1)!;
    await leaveUnfinished(last);
    const refused = await migrate();
    expect(refused).toBeInstanceOf(InterruptedMigrationError);
    // The setting the command needs, and the command as typed in a checkout (this test's install).
    expect((refused as Error).message).toContain(
      `\`DATABASE_URL=<the same as the server> npm run pulso -- db resolve --applied ${last}\`, otherwise \`DATABASE_URL=<the same as the server> npm run pulso -- db resolve --rolled-back ${last}\``,
    );

    const resolved = await pulso(['db', 'resolve', '--applied', last], env());
    expect(resolved).toEqual({
      code: 0,
      out: `${last} is marked applied in PostgreSQL ${postgres.url}: start the server again.`,
      notes: '',
    });
    expect(await migrate()).toEqual([]);

    const again = await pulso(['db', 'resolve', '--applied', last], env());
    expect(again.code).toBe(1);
    expect(again.notes).toMatch(
      new RegExp(`^pulso db: ${last} is not unfinished: it finished at \\S+; no migration is unfinished there$`),
    );
  });

  it('marks one rolled back, and refuses a name the database does not hold, saying which are unfinished', async () => {
    const last = migrations.at(-1)!;
    await leaveUnfinished(last);
    const unknown = await pulso(['db', 'resolve', '--rolled-back', '20990101000000_typo'], env());
    expect([unknown.code, unknown.notes]).toEqual([
      1,
      `pulso db: PostgreSQL ${postgres.url} has no migration 20990101000000_typo; unfinished: ${last}`,
    ]);
    const resolved = await pulso(['db', 'resolve', `--rolled-back=${last}`], env());
    expect([resolved.code, resolved.out]).toEqual([
      0,
      `${last} is marked rolled back in PostgreSQL ${postgres.url}: the next start applies it again.`,
    ]);
    const twice = await pulso(['db', 'resolve', '--applied', last], env());
    expect(twice.notes).toMatch(new RegExp(`^pulso db: ${last} is not unfinished: it was rolled back at `));
    // Put back as it was (applied) for the other tests: the migration's changes are there.
    await leaveUnfinished(last);
    expect((await pulso(['db', 'resolve', '--applied', last], env())).code).toBe(0);
  });
});

it('says what to do when a held folder is evaluated: stop its holder, or ask that server', async () => {
  const dataDir = join(dir, 'held-for-evaluation');
  const held = await openMigratedPGliteFolder(dataDir);
  try {
    const refused = await pulso(['evaluate', '--workspace', 'acme'], { PULSO_DATA_DIR: dataDir });
    expect([refused.code, refused.notes]).toEqual([
      1,
      `pulso evaluate: the data folder ${dataDir} is in use by another Pulso process (pid ${process.pid}): stop it first, or ask that server for the evaluation (the evaluateScoringModel mutation, README "Does the score predict churn?")`,
    ]);
  } finally {
    await held.close();
  }
});

describe('pulso db resolve on a PGlite folder', () => {
  it('refuses while a process holds the folder, then settles it once the folder is free', async () => {
    const dataDir = join(dir, 'data');
    const last = migrations.at(-1)!;
    const held = await openMigratedPGliteFolder(dataDir);
    try {
      await held.executeScript(`UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = '${last}'`);
      const refused = await pulso(['db', 'resolve', '--applied', last], { PULSO_DATA_DIR: dataDir });
      expect([refused.code, refused.notes]).toEqual([
        1,
        `pulso db: the data folder ${dataDir} is in use by another Pulso process (pid ${process.pid}): settling a migration needs the folder to itself, so stop that process first`,
      ]);
    } finally {
      await held.close();
    }
    const resolved = await pulso(['db', 'resolve', '--applied', last], { PULSO_DATA_DIR: dataDir });
    expect([resolved.code, resolved.out]).toEqual([
      0,
      `${last} is marked applied in PGlite ${dataDir}: start the server again.`,
    ]);
    const reopened = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const rows = await reopened.prisma.$queryRawUnsafe<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NULL',
      );
      expect(rows).toEqual([{ n: 0 }]);
    } finally {
      await reopened.close();
    }
  });

  it('refuses a folder with no database, and one in memory', async () => {
    const missing = join(dir, 'missing');
    const name = migrations.at(-1)!;
    expect(await pulso(['db', 'resolve', '--applied', name], { PULSO_DATA_DIR: missing })).toEqual({
      code: 1,
      out: '',
      notes: `pulso db: there is no database in ${missing}: check PULSO_DATA_DIR (or DATABASE_URL)`,
    });
    expect((await pulso(['db', 'resolve', '--applied', name], { PULSO_DATA_DIR: 'memory://' })).notes).toBe(
      'pulso db: PULSO_DATA_DIR is in memory: there is no migration to settle',
    );
  });
});

it('refuses a resolve without one flag, with both, with a malformed name or extra words (usage, exit 2)', async () => {
  const env = { PULSO_DATA_DIR: join(dir, 'never-opened') };
  const usage = 'usage: db resolve --applied NAME | --rolled-back NAME   (NAME: the migration the refused start named)';
  expect(await pulso(['db', 'resolve'], env)).toEqual({
    code: 2,
    out: '',
    notes: `pulso db: give --applied NAME or --rolled-back NAME\n${usage}`,
  });
  expect((await pulso(['db', 'resolve', '--applied', 'a', '--rolled-back', 'b'], env)).notes).toBe(
    `pulso db: one of --applied and --rolled-back, not both\n${usage}`,
  );
  expect(await pulso(['db', 'resolve', '--applied', 'add_notes'], env)).toEqual({
    code: 2,
    out: '',
    notes:
      'pulso db: "add_notes" is not a migration\'s name (a timestamp and a name, like 20261201120000_add_notes): give the one the refused start named',
  });
  expect((await pulso(['db', 'resolve', '--applied', '20261201120000_x', 'more'], env)).code).toBe(2);
  expect((await pulso(['db', 'resolve', '--applied'], env)).code).toBe(2);
  expect((await pulso(['db', 'backup', 'f.tar.gz', '--applied', '20261201120000_x'], env)).code).toBe(2);
  expect(
    (await pulso(['db', 'resolve', '--applied', '20261201120000_x'], { PULSO_SERVER_URL: 'http://127.0.0.1:1' })).notes,
  ).toBe(
    'pulso db: resolve acts on the database itself, not through a server: set DATABASE_URL or PULSO_DATA_DIR as the server has them',
  );
});

describe('pulso db backup and restore on a PGlite folder', () => {
  const dataDir = join(dir, 'backed-up');
  beforeAll(async () => {
    await (await openMigratedPGliteFolder(dataDir)).close();
  });

  it('reads FILE from the folder the command was typed in (INIT_CWD), as import does', async () => {
    const typedIn = mkdtempSync(join(dir, 'typed-in-'));
    const env = { PULSO_DATA_DIR: dataDir, INIT_CWD: typedIn };
    const backedUp = await pulso(['db', 'backup', 'b.tar.gz'], env);
    expect(backedUp.code, backedUp.notes).toBe(0);
    expect(backedUp.out).toMatch(/^Backed up PGlite .* to b\.tar\.gz \(/);
    expect(existsSync(join(typedIn, 'b.tar.gz'))).toBe(true);
    // It holds every workspace's signing secrets: its owner's alone, whatever the umask.
    expect(statSync(join(typedIn, 'b.tar.gz')).mode & 0o777).toBe(0o600);
    expect(existsSync(join(process.cwd(), 'b.tar.gz'))).toBe(false);
    const restored = await pulso(['db', 'restore', 'b.tar.gz'], env);
    expect([restored.code, restored.out.split('\n')[0]]).toEqual([0, `Restored b.tar.gz into ${dataDir}.`]);
    expect((await pulso(['db', 'restore', 'none.tar.gz'], env)).notes).toBe('pulso db: none.tar.gz: no such file');
  });

  it('refuses a FILE in a folder it cannot write, in one line and before dumping anything', async () => {
    const started = Date.now();
    expect(await pulso(['db', 'backup', '/nonexistent/dir/b.tar.gz'], { PULSO_DATA_DIR: dataDir })).toEqual({
      code: 1,
      out: '',
      notes: 'pulso db: /nonexistent/dir/b.tar.gz: there is no folder /nonexistent/dir to write the backup in',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('names the process holding the folder as another Pulso process, as restore does', async () => {
    const held = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const refused = await pulso(['db', 'backup', join(dir, 'held.tar.gz')], { PULSO_DATA_DIR: dataDir });
      expect(refused.code).toBe(1);
      expect(refused.notes).toBe(
        `pulso db: the data folder ${dataDir} is in use by another Pulso process (pid ${process.pid}), which serves no backup (an import, a command): retry once it has finished, or stop it first (a server still starting serves one once it prints its URL)`,
      );
    } finally {
      await held.close();
    }
  });
});
