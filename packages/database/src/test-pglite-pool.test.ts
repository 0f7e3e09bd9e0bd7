import type { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { TestPGlitePool } from './test-pglite-pool.ts';
import { migratedPGlite } from './testing.ts';

/** A pool that counts the databases it had to open. */
function countingPool(resetTimeoutMs?: number) {
  const opened: PGlite[] = [];
  const pool = new TestPGlitePool(async () => {
    const pglite = await migratedPGlite();
    opened.push(pglite);
    return pglite;
  }, resetTimeoutMs);
  return { pool, opened };
}

const workspaces = async (pglite: PGlite) =>
  (await pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM "Workspace"')).rows[0]!.n;

async function addWorkspace(pglite: PGlite, slug: string) {
  await pglite.query(
    `INSERT INTO "Workspace" (id, slug, name, "tokenSigningSecret", "updatedAt")
     VALUES (gen_random_uuid(), $1, $1, 'secret', now())`,
    [slug],
  );
}

describe('test PGlite databases used again', () => {
  it('gives the next test the same database, emptied', async () => {
    const { pool, opened } = countingPool();
    const first = await pool.lease();
    await addWorkspace(first.pglite, 'a');
    expect(await workspaces(first.pglite)).toBe(1);
    await first.release();

    const second = await pool.lease();
    expect(opened).toHaveLength(1);
    expect(await workspaces(second.pglite)).toBe(0);
    await second.release();
  });

  it('refuses every call through a lease once it is released, and the next lease works', async () => {
    const { pool } = countingPool();
    const first = await pool.lease();
    await first.release();
    await expect(first.pglite.query('SELECT 1')).rejects.toThrow('this test database was closed');
    expect(first.pglite.closed).toBe(true);
    const second = await pool.lease();
    expect((await second.pglite.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await second.release();
  });

  it('ends what a test left in its session: an open transaction, settings', async () => {
    const { pool, opened } = countingPool();
    const first = await pool.lease();
    await first.pglite.exec("SET statement_timeout = '1234ms'");
    await first.pglite.exec('BEGIN');
    await addWorkspace(first.pglite, 'never-committed');
    await first.release();

    const second = await pool.lease();
    expect(opened).toHaveLength(1);
    expect((await second.pglite.query('SHOW statement_timeout')).rows).toEqual([{ statement_timeout: '0' }]);
    expect(await workspaces(second.pglite)).toBe(0);
    await second.release();
  });

  it('closes a database whose schema a test changed, and opens a new one', async () => {
    const { pool, opened } = countingPool();
    const first = await pool.lease();
    await first.pglite.exec('ALTER TABLE "Workspace" ADD COLUMN extra text');
    await first.release();
    expect(opened[0]!.closed).toBe(true);

    const second = await pool.lease();
    expect(opened).toHaveLength(2);
    const columns = await second.pglite.query(
      "SELECT 1 FROM information_schema.columns WHERE table_name = 'Workspace' AND column_name = 'extra'",
    );
    expect(columns.rows).toEqual([]);
    await second.release();
  });

  it('gives up on a database a test left inside a transaction that never ends, and opens a new one', async () => {
    const { pool, opened } = countingPool(300);
    const first = await pool.lease();
    let started!: () => void;
    const inside = new Promise<void>((resolve) => (started = resolve));
    void first.pglite.transaction(async () => {
      started();
      await new Promise(() => {});
    });
    await inside;
    await first.release();

    const second = await pool.lease();
    expect(opened).toHaveLength(2);
    expect(await workspaces(second.pglite)).toBe(0);
    await second.release();
  });

  it('closes a database a test closed itself', async () => {
    const { pool, opened } = countingPool();
    const first = await pool.lease();
    await opened[0]!.close();
    await first.release();
    await (await pool.lease()).release();
    expect(opened).toHaveLength(2);
  });
});
