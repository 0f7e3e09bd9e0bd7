// A fingerprint of every table in one cheap query: its row count and the sum of its rows' `xmin`
// (the id of the transaction that wrote each row version). Any committed insert, update (even to
// the same values) or delete changes one or the other, so two equal fingerprints mean nothing was
// written. Hashing every row's text said the same, five times slower.
//
// Most fuzz cases are refused at the door and write nothing, and reading the fingerprints before
// and after each of them was half of the fuzzer's time. A reader keeps the last fingerprints with
// the transaction snapshot they were read under (`pg_current_snapshot()`: the next transaction id
// and the ones in progress): while the snapshot is the same, no transaction has ended since (a
// commit moves the next id past its own, or drops its id from those in progress), so nothing can
// have been written and the fingerprints still hold. Any other snapshot reads them again.
import type { Database } from '@pulso/database';

export type TableFingerprints = Record<string, { rows: number; hash: string }>;

async function tableNames(database: Database): Promise<string[]> {
  const tables = await database.prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY 1`,
  );
  if (tables.length === 0) throw new Error('no tables to fingerprint: is the database migrated?');
  return tables.map(({ name }) => name);
}

export async function tableFingerprints(database: Database, tables?: string[]): Promise<TableFingerprints> {
  const sql = (tables ?? (await tableNames(database)))
    .map(
      (name) =>
        `SELECT '${name}' AS name, count(*)::int AS rows, coalesce(sum(xmin::text::bigint), 0)::text AS hash FROM "${name}" t`,
    )
    .join(' UNION ALL ');
  const rows = await database.prisma.$queryRawUnsafe<{ name: string; rows: number; hash: string }[]>(sql);
  return Object.fromEntries(rows.map((r) => [r.name, { rows: r.rows, hash: r.hash }]));
}

/**
 * Reads the fingerprints as of now, again only when a transaction has ended since the last read.
 * The tables are listed once: nothing the fuzzer sends changes the schema.
 */
export function fingerprintReader(database: Database): () => Promise<TableFingerprints> {
  let tables: Promise<string[]> | undefined;
  let last: { snapshot: string; fingerprints: TableFingerprints } | undefined;
  return async () => {
    const [row] = await database.prisma.$queryRawUnsafe<{ snapshot: string }[]>(
      'SELECT pg_current_snapshot()::text AS snapshot',
    );
    const snapshot = row!.snapshot;
    // Read after the snapshot: a commit in between is then in the fingerprints, and the next read
    // sees another snapshot and reads them again.
    if (last?.snapshot !== snapshot)
      last = { snapshot, fingerprints: await tableFingerprints(database, await (tables ??= tableNames(database))) };
    return last.fingerprints;
  };
}

/** Tables whose fingerprint differs. */
export function changedTables(before: TableFingerprints, after: TableFingerprints): string[] {
  return Object.keys({ ...before, ...after }).filter(
    (name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]),
  );
}
