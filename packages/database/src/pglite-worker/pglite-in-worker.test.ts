// PGlite in its worker thread: the server's event loop runs while a statement executes (in the
// same thread it stops), values come back as PGlite parses them in-process, statements outside a
// transaction wait for it, errors keep their codes, and backups work inside a transaction.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { dumpPGlite } from '../backup.ts';
import { openDatabase, type Database } from '../database.ts';
import { PGliteInWorker } from './pglite-in-worker.ts';

const LONG_STATEMENT = 'SELECT count(*) FROM generate_series(1, 4000000)';

/** Timer callbacks that ran while `work` was in progress (every 5 ms if the loop is free). */
async function ticksDuring(work: () => Promise<unknown>): Promise<{ ticks: number; ms: number }> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { ticks, ms: performance.now() - started };
}

describe('PGlite in a worker thread', () => {
  let folder: string;
  let database: Database;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'pulso-pglite-worker-'));
    database = await openDatabase({ kind: 'pglite', dataDir: join(folder, 'data') });
    await database.migrate();
  }, 120_000);
  afterAll(async () => {
    await database?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('leaves the event loop free while a statement runs, where PGlite in this thread stops it', async () => {
    const inWorker = await ticksDuring(() => database.prisma.$queryRawUnsafe(LONG_STATEMENT));
    const here = await PGlite.create();
    try {
      const inThread = await ticksDuring(() => here.query(LONG_STATEMENT));
      // The same statement: in this thread no timer runs until it ends.
      expect(inThread.ticks).toBeLessThanOrEqual(1);
      expect(inWorker.ticks).toBeGreaterThanOrEqual(Math.min(10, inWorker.ms / 20));
    } finally {
      await here.close();
    }
  }, 60_000);

  it('returns values as PGlite parses them in this thread, through Prisma and directly', async () => {
    const sql = `SELECT TIMESTAMP '2026-12-06 10:11:12.345' AS "at", '{"a": [1, 2.5, null]}'::jsonb AS "doc",
      9007199254740993::int8 AS "big", 12.50::numeric(6, 2) AS "amount", true AS "yes", NULL::text AS "none",
      'b7f4e5a8-3c9f-4e5e-9a53-0b9c8f4a2d11'::uuid AS "id", ARRAY['x', 'y'] AS "list", '\\x0102'::bytea AS "bytes",
      1.5::float8 AS "ratio"`;
    const here = await PGlite.create();
    try {
      const worker = await openDatabase({ kind: 'pglite', dataDir: join(folder, 'values') });
      try {
        const inThread = await openDatabase({ kind: 'pglite', dataDir: 'memory://', pglite: {} });
        try {
          // Prisma's adapter parses several types itself (its parsers reach the worker as type ids).
          const [fromWorker] = await worker.prisma.$queryRawUnsafe<unknown[]>(sql);
          const [fromThread] = await inThread.prisma.$queryRawUnsafe<unknown[]>(sql);
          expect(fromWorker).toEqual(fromThread);
          expect((fromWorker as { at: Date }).at).toEqual(new Date('2026-12-06T10:11:12.345Z'));
        } finally {
          await inThread.close();
        }
        const direct = await PGliteInWorker.open(join(folder, 'direct'));
        try {
          expect((await direct.query(sql)).rows).toEqual((await here.query(sql)).rows);
          expect(await direct.exec('SELECT 1 AS one; SELECT 2 AS two')).toEqual(
            await here.exec('SELECT 1 AS one; SELECT 2 AS two'),
          );
        } finally {
          await direct.close();
        }
      } finally {
        await worker.close();
      }
    } finally {
      await here.close();
    }
  }, 120_000);

  it('runs a statement sent during a transaction after it, and rolls back what a failed one wrote', async () => {
    const prisma = database.prisma;
    const workspace = await prisma.workspace.create({ data: { slug: 'worker-tx', name: 'Worker' } });
    const order: string[] = [];
    const transaction = prisma.$transaction(async (tx) => {
      await tx.customer.create({ data: { workspaceId: workspace.id, externalId: 'c1', name: 'C1' } });
      await new Promise((resolve) => setTimeout(resolve, 200));
      order.push('transaction');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const outside = prisma.customer.count({ where: { workspaceId: workspace.id } }).then((n) => {
      order.push('outside');
      return n;
    });
    await transaction;
    // PGlite has one connection: the read waited for the commit, and sees its row.
    expect(await outside).toBe(1);
    expect(order).toEqual(['transaction', 'outside']);

    await expect(
      prisma.$transaction(async (tx) => {
        await tx.customer.create({ data: { workspaceId: workspace.id, externalId: 'c2', name: 'C2' } });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await prisma.customer.count({ where: { workspaceId: workspace.id } })).toBe(1);
  });

  it('keeps database errors as PGlite raises them, so Prisma maps them', async () => {
    const prisma = database.prisma;
    const workspace = await prisma.workspace.create({ data: { slug: 'worker-errors', name: 'Errors' } });
    await prisma.customer.create({ data: { workspaceId: workspace.id, externalId: 'same', name: 'One' } });
    await expect(
      prisma.customer.create({ data: { workspaceId: workspace.id, externalId: 'same', name: 'Two' } }),
    ).rejects.toMatchObject({ code: 'P2002' });
    await expect(prisma.$queryRawUnsafe('SELECT FROM nowhere')).rejects.toThrow(/nowhere/);
    // The connection is usable after them.
    expect(await prisma.customer.count({ where: { workspaceId: workspace.id } })).toBe(1);
  });

  it('backs up inside a transaction of its own, and loads the backup', async () => {
    const direct = await PGliteInWorker.open(join(folder, 'backup'));
    let backup: Blob;
    try {
      await direct.exec('CREATE TABLE kept (n int); INSERT INTO kept VALUES (1), (2)');
      backup = await dumpPGlite(direct.asPGlite());
    } finally {
      await direct.close();
    }
    const restored = await PGlite.create({ loadDataDir: backup });
    try {
      expect((await restored.query<{ n: number }>('SELECT sum(n)::int AS n FROM kept')).rows).toEqual([{ n: 3 }]);
    } finally {
      await restored.close();
    }
  }, 60_000);

  it('settles `stopped` only for a thread that ends on its own, not when closed', async () => {
    // A thread ending under the server is proven with a real server process (test/embedded-database-lost.test.ts).
    const closing = await PGliteInWorker.open(join(folder, 'closed-on-purpose'));
    let settled = false;
    void closing.stopped.then(() => (settled = true));
    await closing.query('SELECT 1');
    await closing.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBe(false);
  }, 60_000);

  it('refuses work once closed, and says why it cannot open', async () => {
    const direct = await PGliteInWorker.open(join(folder, 'closing'));
    await direct.close();
    expect(direct.closed).toBe(true);
    await expect(direct.query('SELECT 1')).rejects.toThrow('PGlite is closed');
    // A database that cannot open says why (a file where its folder should be).
    await expect(PGliteInWorker.open('/dev/null/data')).rejects.toThrow(/ENOTDIR|not a directory/i);
  }, 60_000);
});
