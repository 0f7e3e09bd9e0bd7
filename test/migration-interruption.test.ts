// A server killed in the middle of a migration starts cleanly next time, or says in one line what
// to do. On PostgreSQL the moment is made certain: the database already has the first migration,
// the test holds a lock on the table the second one alters, so the server's migration is caught
// half-way (its bookkeeping row written, its ALTER waiting) when it is killed with SIGKILL.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '@pulso/database/testing';
import { applyMigrations, readMigrations } from '../packages/database/src/migrations.ts';
import { postgresSchemaEngineAdapter } from '../packages/database/src/postgres-schema-adapter.ts';
import {
  CLI_ENTRY,
  freePort,
  NODE_FLAGS,
  repoRoot,
  SERVER_ENTRY,
  type ServerProcess,
  startServer,
} from './support/server-process.ts';

/** Starts Node with `args` and only `env` (and PATH), collecting what it prints. */
function launch(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [...NODE_FLAGS, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout.on('data', (c) => (printed += c));
  child.stderr.on('data', (c) => (printed += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, exited, output: () => printed };
}

/** Runs Node with `args` to its end. */
async function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const script = launch(args, env);
  const code = await script.exited;
  return { code, output: script.output() };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Applies only the first migration, as an older Pulso would have left the database. */
async function applyFirstMigrationOnly(url: string) {
  const migrations = await readMigrations();
  await applyMigrations(postgresSchemaEngineAdapter(url), {
    ...migrations,
    migrationDirectories: migrations.migrationDirectories.slice(0, 1),
  });
}

describe('a server killed during a migration', () => {
  let database: TestPostgresDatabase | undefined;
  afterAll(async () => database?.drop());

  it('on PostgreSQL, starts cleanly next time or says in one line what to do', async () => {
    database = await createTestPostgresDatabase('migration_kill');
    await applyFirstMigrationOnly(database.url);

    const blocker = new pg.Client({ connectionString: database.url });
    await blocker.connect();
    const env = {
      DATABASE_URL: database.url,
      PORT: String(await freePort()),
      PULSO_SEED_DEMO: 'false',
      LOG_LEVEL: 'error',
    };
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE "Customer" IN ACCESS EXCLUSIVE MODE');
      const { child, exited, output } = launch([SERVER_ENTRY], env);
      // Wait until the server's ALTER waits on our lock: the migration is under way.
      const watcher = new pg.Client({ connectionString: database.url });
      await watcher.connect();
      try {
        for (let waited = 0; ; waited += 50) {
          const { rows } = await watcher.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%ALTER TABLE%'`,
          );
          if (rows[0].n > 0) break;
          expect(waited, `the migration never reached the locked table:\n${output()}`).toBeLessThan(60_000);
          await sleep(50);
        }
        const before = await watcher.query(
          `SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY started_at`,
        );
        console.info(`killed during migration; _prisma_migrations: ${JSON.stringify(before.rows)}`);
      } finally {
        await watcher.end();
      }
      child.kill('SIGKILL');
      await exited;
    } finally {
      // The server's backend may still run the migration to the end once the lock is gone.
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    await sleep(500);

    let server: ServerProcess | undefined;
    try {
      server = await startServer(env);
    } catch (error) {
      // Refusing is allowed only with one clear line that says what to do — and doing it works.
      const lines = (error as Error).message
        .split('\n')
        .slice(1)
        .filter((l) => l.trim() !== '');
      console.info(`second start refused: ${lines.join('\n')}`);
      expect(lines).toHaveLength(1);
      // The `pulso` command as typed in a checkout, with the setting it must share with the server.
      const advice =
        /`DATABASE_URL=<the same as the server> npm run pulso -- (db resolve --applied \S+)`, otherwise `DATABASE_URL=<the same as the server> npm run pulso -- (db resolve --rolled-back \S+)`/.exec(
          lines[0]!,
        );
      expect(advice, lines[0]).not.toBeNull();
      const check = new pg.Client({ connectionString: database.url });
      await check.connect();
      const { rows } = await check.query(
        `SELECT 1 FROM information_schema.columns WHERE table_name = 'Customer' AND column_name = 'scoreChange30d'`,
      );
      await check.end();
      const command = (rows.length ? advice![1]! : advice![2]!).split(' ');
      console.info(
        `the migration's changes are ${rows.length ? '' : 'not '}in the database: running pulso ${command.join(' ')}`,
      );
      // What `npm run pulso --` runs once built (scripts/pulso.mjs): the compiled command.
      const resolved = await run([CLI_ENTRY, ...command], env);
      expect(resolved.code, resolved.output).toBe(0);
      server = await startServer(env);
    }
    try {
      const migrations = new pg.Client({ connectionString: database.url });
      await migrations.connect();
      const { rows } = await migrations.query(
        `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
      );
      await migrations.end();
      expect(rows.map((r) => r.migration_name)).toEqual(
        (await readMigrations()).migrationDirectories.map((d) => d.path),
      );
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  });
});

describe('a server killed again and again during its first start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pulso-first-start-kills-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // PGlite runs the migrations inside the server process, so no outside lock can hold one open:
  // instead the same fresh folder is killed at growing delays, which lands the kills at different
  // points of opening (initdb), migrating and preparing, until one start gets through. Delays count
  // from the moment the process takes the data folder's lock (the lock file names its pid), when
  // opening begins: the seconds of loading code before it are the same at every attempt and would
  // only be waited through again and again.
  it('on PGlite, starts cleanly next time', async () => {
    const env = {
      PULSO_DATA_DIR: join(dir, 'data'),
      PORT: String(await freePort()),
      PULSO_SEED_DEMO: 'false',
      LOG_LEVEL: 'error',
    };
    const lockFile = `${env.PULSO_DATA_DIR}.lock`;
    const holdsLock = (pid: number | undefined) => {
      try {
        return (JSON.parse(readFileSync(lockFile, 'utf8')) as { pid?: number }).pid === pid;
      } catch {
        return false; // Not there yet, or being written.
      }
    };
    const kills: number[] = [];
    // Delays double (0.2, 0.5, 1.1, 2.3, 4.7, 9.5, 19.1 s...): dense where opening begins, and the
    // whole loop stays about twice the length of one start's database work.
    for (let delay = 200; delay <= 40_000; delay = delay * 2 + 100) {
      const { child, exited, output } = launch([SERVER_ENTRY], env);
      while (child.exitCode === null && child.signalCode === null && !holdsLock(child.pid)) await sleep(10);
      await sleep(delay);
      const started = output().includes('GraphQL:');
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      if (started) break;
      // A start that ended by itself (not killed) must have said why in one line.
      if (child.signalCode !== 'SIGKILL') {
        const lines = output()
          .split('\n')
          .filter((l) => l.trim() !== '');
        expect(lines, output()).toHaveLength(1);
        console.info(`start refused after ${kills.length} kills: ${lines[0]}`);
        break;
      }
      kills.push(delay);
    }
    console.info(`killed during the first start at ${kills.join(', ')} ms after taking the folder's lock`);
    expect(kills.length).toBeGreaterThan(0);

    // A kill leaves a migration's changes all in or all out (its script is one transaction) and the
    // next start settles either itself (packages/database/src/migration-recovery.ts, where each
    // state is made on purpose): the start after the kills must succeed.
    const server = await startServer(env);
    try {
      const { status } = await fetch(`${server.url}/healthz`);
      expect(status).toBe(200);
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  });
});
