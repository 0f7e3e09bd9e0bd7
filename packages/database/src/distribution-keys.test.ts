// Pulso outgrows one PostgreSQL by distributing it by workspace (Citus; docs/scale.md). Citus holds
// a table distributed by a column only if its primary key and every unique index contain that
// column, and a foreign key between two distributed tables only if it joins them on it. This test
// reads the migrated schema on a real PostgreSQL and proves that of every table but the reference
// tables (small, read on every request, copied to every node), with the workspace leading each key
// so that a lookup by key goes to one node.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedTestPostgresDatabase, type TestPostgresDatabase } from './testing.ts';

/** Copied to every node rather than distributed. `_prisma_migrations` is Prisma's own bookkeeping. */
const REFERENCE_TABLES = ['Workspace', 'ApiKey', '_prisma_migrations'];
const DISTRIBUTION_COLUMN = 'workspaceId';

interface KeyRow {
  table: string;
  name: string;
  kind: 'p' | 'u' | 'f';
  columns: string[];
  referencedTable: string | null;
  referencedColumns: string[] | null;
}

let database: TestPostgresDatabase;
let client: pg.Client;
let tables: { table: string; columns: string[] }[];
let keys: KeyRow[];

beforeAll(async () => {
  database = await createMigratedTestPostgresDatabase('distribution_keys');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  tables = (
    await client.query<{ table: string; columns: string[] }>(`
      SELECT c.relname AS "table", array_agg(a.attname::text ORDER BY a.attnum) AS "columns"
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
      GROUP BY c.relname ORDER BY c.relname`)
  ).rows;
  // Primary keys, foreign keys, and every unique index (a unique constraint is one too), with
  // their columns in key order.
  keys = (
    await client.query<KeyRow>(`
      SELECT t.relname AS "table", con.conname AS "name", con.contype AS "kind",
        (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, i)
          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS "columns",
        r.relname AS "referencedTable",
        (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, i)
          JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS "referencedColumns"
      FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace LEFT JOIN pg_class r ON r.oid = con.confrelid
      WHERE n.nspname = 'public' AND con.contype IN ('p', 'f')
      UNION ALL
      SELECT t.relname, i.relname, 'u',
        (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, i)
          JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum),
        NULL, NULL
      FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND ix.indisunique AND NOT ix.indisprimary`)
  ).rows;
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

const distributed = () => tables.filter((t) => !REFERENCE_TABLES.includes(t.table));

describe('every table but the reference tables can be distributed by workspace as it is', () => {
  it('knows every table: the distributed ones and the reference ones', () => {
    expect(tables.map((t) => t.table)).toEqual(expect.arrayContaining(REFERENCE_TABLES));
    // The check below would pass vacuously on an empty or unmigrated schema.
    expect(distributed().length).toBeGreaterThanOrEqual(13);
  });

  it('each has the workspace column', () => {
    expect(distributed().filter((t) => !t.columns.includes(DISTRIBUTION_COLUMN))).toEqual([]);
  });

  it('each has a primary key led by the workspace', () => {
    const led = new Set(keys.filter((k) => k.kind === 'p' && k.columns[0] === DISTRIBUTION_COLUMN).map((k) => k.table));
    expect(
      distributed()
        .filter((t) => !led.has(t.table))
        .map((t) => t.table),
    ).toEqual([]);
  });

  it('each unique index is led by the workspace', () => {
    const offending = keys.filter(
      (k) => k.kind === 'u' && !REFERENCE_TABLES.includes(k.table) && k.columns[0] !== DISTRIBUTION_COLUMN,
    );
    expect(offending.map((k) => `${k.table}.${k.name} (${k.columns.join(', ')})`)).toEqual([]);
  });

  it('each foreign key between distributed tables joins them on the workspace, leading', () => {
    const between = keys.filter(
      (k) => k.kind === 'f' && !REFERENCE_TABLES.includes(k.table) && !REFERENCE_TABLES.includes(k.referencedTable!),
    );
    expect(between.length).toBeGreaterThanOrEqual(10);
    const offending = between.filter(
      (k) => k.columns[0] !== DISTRIBUTION_COLUMN || k.referencedColumns![0] !== DISTRIBUTION_COLUMN,
    );
    expect(offending.map((k) => `${k.table}.${k.name} (${k.columns.join(', ')})`)).toEqual([]);
  });

  it('a foreign key to a reference table is only ever to the workspace itself', () => {
    // Citus allows distributed → reference keys; Pulso needs none but the workspace's.
    const toReference = keys.filter(
      (k) => k.kind === 'f' && !REFERENCE_TABLES.includes(k.table) && REFERENCE_TABLES.includes(k.referencedTable!),
    );
    expect(
      toReference
        .filter((k) => k.referencedTable !== 'Workspace' || k.columns.join() !== DISTRIBUTION_COLUMN)
        .map((k) => `${k.table}.${k.name}`),
    ).toEqual([]);
  });
});
