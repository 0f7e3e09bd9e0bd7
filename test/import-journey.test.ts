// A company's first day, as processes, on each database: the compiled server starts on an empty
// PGlite folder (or a fresh PostgreSQL database) without the demo; `pulso workspace create` prints
// keys that answer at once; `pulso import` checks a CSV export (--dry-run), loads it while the
// server runs, is stopped with Ctrl-C (SIGINT) once part of it is stored, and run again: every row
// is stored once and every customer is scored. On PGlite every run goes through the server holding
// the folder (with a key issued through the administrator key the server left beside it, revoked
// after); on PostgreSQL the first goes through the server with the printed key and the rerun writes
// into the database directly, so a run split across the two ways is proven too. Refusals the
// import meets only through a server (a key it refuses, a server without a key) are checked
// beside. What is stored is read back from the database once the server has stopped.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@pulso/database';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '@pulso/database/testing';
import { CLI_ENTRY, freePort, graphql, repoRoot, startServer, type ServerProcess } from './support/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulso-journey-'));
const servers: ServerProcess[] = [];
const databases: TestPostgresDatabase[] = [];
afterAll(async () => {
  for (const server of servers) if (server.child.exitCode === null) await server.stop('SIGKILL');
  for (const database of databases) await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

const ROWS = 4_000;
const CUSTOMERS = 400;
const DAY_MS = 86_400_000;

/** A help desk's tickets export over the last 60 days (made for the test: no fixed date to age). */
function ticketsCsv(): string {
  const lines = ['Ticket ID,Organization ID,Organization,Plan,Subject,Created at,Satisfaction'];
  const now = Date.now();
  for (let i = 0; i < ROWS; i++) {
    const at = new Date(now - (1 + (i % 60)) * DAY_MS - (i % 1_440) * 60_000).toISOString();
    lines.push(
      `${i},org-${i % CUSTOMERS},Org ${i % CUSTOMERS},${i % 3 ? 'Team' : 'Enterprise'},Ticket ${i},${at},${['good', 'bad', 'offered'][i % 3]}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled `pulso` command; `whileRunning` may signal it. */
function pulso(
  args: string[],
  env: Record<string, string>,
  whileRunning?: (child: ReturnType<typeof spawn>) => void,
): Promise<Run> {
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', INIT_CWD: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  whileRunning?.(child);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Sends SIGINT once the server holds some of the import's customers: the import is then mid-way. */
function interruptOnceStored(url: string, key: string) {
  return (child: ReturnType<typeof spawn>) => {
    const poll = async () => {
      while (child.exitCode === null) {
        const { body } = await graphql(url, '{ statistics { customerCount } }', key);
        if ((body.data?.statistics.customerCount ?? 0) > 0) return void child.kill('SIGINT');
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    void poll();
  };
}

const count = (text: string, what: RegExp) => Number(what.exec(text)?.[1]?.replace(/,/g, '') ?? Number.NaN);

describe.each(['pglite', 'postgres'] as const)('a company imports its data on %s', (kind) => {
  it('starts without the demo, creates its workspace, imports while serving, stops with Ctrl-C and finishes', async () => {
    let env: Record<string, string>;
    if (kind === 'pglite') env = { PULSO_DATA_DIR: join(dir, 'data') };
    else {
      const database = await createTestPostgresDatabase('journey');
      databases.push(database);
      env = { DATABASE_URL: database.url };
    }
    const server = await startServer({ ...env, PORT: String(await freePort()), PULSO_SEED_DEMO: 'false' });
    servers.push(server);
    expect(server.output()).toContain('No workspace yet');

    const created = await pulso(['workspace', 'create', '--name', 'Acme'], env);
    expect([created.code, created.stderr]).toEqual([0, '']);
    const key = /secret: +(pulso_sk_\w+)/.exec(created.stdout)![1]!;
    const asked = await graphql(server.url, '{ workspace { slug customerCount } }', key);
    expect(asked.body.data).toEqual({ workspace: { slug: 'acme', customerCount: 0 } });

    writeFileSync(join(dir, 'tickets.csv'), ticketsCsv());
    const args = ['import', '--config', join(repoRoot, 'docs/import/zendesk-tickets.json'), 'tickets.csv'];
    // Checked first: on PGlite through the server too (with a read-only key issued for the run).
    const checked = await pulso([...args, '--dry-run'], env);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toContain(`interactions: ${ROWS.toLocaleString('en-US')} would be imported`);
    expect(checked.stdout).toContain('dry run: nothing was written');
    // PGlite: the folder is the server's, so the command goes through it; PostgreSQL: told to.
    const through = kind === 'pglite' ? env : { ...env, PULSO_SERVER_URL: server.url, PULSO_API_KEY: key };
    const stopped = await pulso(args, through, interruptOnceStored(server.url, key));
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(130);
    expect(stopped.stdout).toMatch(/through the server/);
    expect(stopped.stdout).toContain('stopped by Ctrl-C');
    expect(stopped.stdout).toContain('run the same command again');
    const first = count(stopped.stdout, /interactions: ([\d,]+) imported/);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(ROWS);

    // Again: through the server on PGlite, straight into the database on PostgreSQL.
    const rerun = await pulso(args, env);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(kind === 'pglite' ? /through the server/ : / on PostgreSQL /);
    expect(count(rerun.stdout, /interactions: ([\d,]+) imported/)).toBe(ROWS - first);
    expect(count(rerun.stdout, /([\d,]+) already imported/)).toBe(first);
    const stats = await graphql(server.url, '{ statistics { customerCount scoredCount } }', key);
    expect(stats.body.data.statistics).toEqual({ customerCount: CUSTOMERS, scoredCount: CUSTOMERS });

    // Refused through a server: a key it does not know (exit 1), a server without a key (usage, exit 2).
    const wrongKey = await pulso(args, {
      ...env,
      PULSO_SERVER_URL: server.url,
      PULSO_API_KEY: 'pulso_sk_notAKey000000000000000',
    });
    expect([wrongKey.code, wrongKey.stderr]).toEqual([
      1,
      expect.stringMatching(/^import: the server at \S+ refused the key/),
    ]);
    const noKey = await pulso(args, { ...env, PULSO_SERVER_URL: server.url });
    expect([noKey.code, noKey.stderr]).toEqual([
      2,
      expect.stringContaining("needs a workspace's secret key (--key or PULSO_API_KEY)"),
    ]);

    expect(await server.stop('SIGTERM')).toBe(0);
    const database = await openDatabase(
      kind === 'pglite'
        ? { kind: 'pglite', dataDir: env.PULSO_DATA_DIR! }
        : { kind: 'postgres', url: env.DATABASE_URL! },
    );
    try {
      const stored = await database.prisma.interaction.groupBy({ by: ['idempotencyKey'], _count: true });
      expect(stored).toHaveLength(ROWS);
      expect(stored.every((k) => k._count === 1)).toBe(true);
      expect(await database.prisma.customer.count({ where: { score: null } })).toBe(0);
      // The key the PGlite runs were given for themselves is revoked.
      expect(await database.prisma.apiKey.count({ where: { name: 'pulso import', revokedAt: null } })).toBe(0);
    } finally {
      await database.close();
    }
  });
});
