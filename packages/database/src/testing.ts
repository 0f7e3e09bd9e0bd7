// Helpers for tests that need a real PostgreSQL server. Each test run gets a fresh database on the
// local server and drops it afterwards. When the server is unreachable the tests fail with a
// message saying how to reach one: they are never skipped silently.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from './database.ts';

/** The server tests use: PULSO_TEST_POSTGRES_URL, else the local server's `test` database. */
export const testPostgresAdminUrl = process.env.PULSO_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestPostgresDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testPostgresAdminUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL tests need a server at ${testPostgresAdminUrl} (set PULSO_TEST_POSTGRES_URL to use another): ${(error as Error).message}`,
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createTestPostgresDatabase(label = 'test'): Promise<TestPostgresDatabase> {
  const name = `pulso_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(testPostgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

export interface TestDatabase {
  database: Database;
  /** Closes it; a PostgreSQL one is dropped too. */
  close(): Promise<void>;
}

/**
 * A migrated, empty database for a test: PGlite in memory, or a fresh database on the local
 * PostgreSQL server (dropped by `close`).
 */
export async function openTestDatabase(kind: 'pglite' | 'postgres', label = 'test'): Promise<TestDatabase> {
  const postgres = kind === 'postgres' ? await createTestPostgresDatabase(label) : undefined;
  const database = await openDatabase(
    postgres ? { kind: 'postgres', url: postgres.url } : { kind: 'pglite', dataDir: 'memory://' },
  );
  await database.migrate();
  return {
    database,
    async close() {
      await database.close();
      await postgres?.drop();
    },
  };
}
