// The one place that opens Pulso's database: PGlite in a data folder by default, a PostgreSQL
// server when a connection string is given. Both get the same Prisma client and the same
// migrations, through driver adapters (Prisma 7 needs no native query engine).
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';
import { lockDataFolder } from './data-folder-lock.ts';
import { keepPrivate } from './private-folder.ts';
import { applyMigrationsOnPGlite, type MigrationSettled } from './migration-recovery.ts';
import { applyMigrations, InterruptedMigrationError, nothingToMigrate } from './migrations.ts';
import { dumpPGlite } from './backup.ts';
import { postgresSchemaEngineAdapter } from './postgres-schema-adapter.ts';
import { PGliteInWorker } from './pglite-worker/pglite-in-worker.ts';

export type DatabaseTarget =
  | {
      kind: 'pglite';
      /** A folder, or `memory://` for a throw-away database. */
      dataDir: string;
      /**
       * More of PGlite's options, for tests: `loadDataDir` starts from a dumped data folder (one
       * migrated copy rather than migrating each time), the compiled WebAssembly modules and file
       * bundle are reused rather than read and compiled again for each database.
       */
      pglite?: Pick<PGliteOptions, 'loadDataDir' | 'pgliteWasmModule' | 'initdbWasmModule' | 'fsBundle'>;
    }
  | { kind: 'postgres'; url: string /** Connections in the pool (default 10). */; poolSize?: number };

export interface Database {
  readonly prisma: PrismaClient;
  readonly target: DatabaseTarget;
  /**
   * Applies pending migrations; returns the names applied. On PGlite a migration that a killed
   * process left unfinished is settled first, when the database shows which way (`onSettled` hears
   * of it); on PostgreSQL, and when it cannot be told, InterruptedMigrationError says what to run.
   */
  migrate(onSettled?: MigrationSettled): Promise<string[]>;
  /** Runs a raw SQL script (several statements), for tests and maintenance. */
  executeScript(sql: string): Promise<void>;
  /** PGlite only: a consistent gzipped tarball of the data folder, taken while it runs (backup.ts). */
  backup?: () => Promise<Blob>;
  /**
   * PostgreSQL only: the connection pool as it stands (for metrics). PGlite has one connection,
   * on which queries take turns.
   */
  poolState?: () => { max: number; total: number; idle: number; waiting: number };
  /**
   * PGlite in its worker thread only: settles, with why, if the embedded database stops under the
   * process (its thread failed or exited). It cannot come back in this process: every query fails
   * from then on. (PostgreSQL's connections come back by themselves: a pool reconnects.)
   */
  stopped?: Promise<Error>;
  /** Closes every connection; PGlite flushes its data folder to disk. */
  close(): Promise<void>;
}

export class DatabaseUnreachableError extends Error {
  constructor(
    readonly target: DatabaseTarget,
    cause: unknown,
  ) {
    super(
      `cannot reach the database at ${describeTarget(target)}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'DatabaseUnreachableError';
  }
}

/**
 * Query parameters of a connection string that hold a secret: pg (pg-connection-string) and libpq
 * take the password as `?password=` as well as in the user part, and the client key's passphrase as
 * `sslpassword`. Matched loosely (`passfile` names a file, harmless to hide too).
 */
const SECRET_PARAMETER = /pass|secret|token/i;

/** A description safe to print: a connection string loses its password, wherever it holds one. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === 'pglite') return `PGlite ${target.dataDir}`;
  try {
    const url = new URL(target.url);
    if (url.password) url.password = '***';
    // Rewritten pair by pair rather than through searchParams, which would re-encode the others.
    if (url.search.length > 1)
      url.search = url.search
        .slice(1)
        .split('&')
        .map((pair) => {
          const name = pair.split('=', 1)[0]!;
          return SECRET_PARAMETER.test(decodeName(name)) ? `${name}=***` : pair;
        })
        .join('&');
    return `PostgreSQL ${url.toString()}`;
  } catch {
    return 'PostgreSQL (unparseable DATABASE_URL)';
  }
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/** An unfinished migration's advice, given again with the setting its command must share with the server. */
function naming(target: DatabaseTarget): (error: unknown) => never {
  return (error) => {
    if (error instanceof InterruptedMigrationError)
      throw new InterruptedMigrationError(error.migration, error.startedAt, target);
    throw error;
  };
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'pglite' ? openPGlite(target) : openPostgres(target);
}

async function openPGlite(target: Extract<DatabaseTarget, { kind: 'pglite' }>): Promise<Database> {
  const inMemory = target.dataDir.startsWith('memory://');
  let unlock = () => {};
  if (!inMemory) {
    keepPrivate(target.dataDir);
    unlock = lockDataFolder(target.dataDir);
  }
  let pglite: PGlite;
  let worker: PGliteInWorker | undefined;
  try {
    // In a worker thread of its own (pglite-in-worker.ts), unless a test hands PGlite options
    // (compiled modules, a dumped folder) that live in this thread.
    if (target.pglite) pglite = await PGlite.create({ ...target.pglite, dataDir: target.dataDir });
    else {
      worker = await PGliteInWorker.open(target.dataDir);
      pglite = worker.asPGlite();
    }
  } catch (error) {
    unlock();
    throw new DatabaseUnreachableError(target, error);
  }
  const database = databaseOnPGlite(pglite, target, async () => {
    // PGlite writes its pages back to the folder on close; skipping it loses recent writes.
    await pglite.close();
    unlock();
  });
  return worker ? { ...database, stopped: worker.stopped } : database;
}

/**
 * The Database over a PGlite already open; `release` runs on close, after the Prisma client has
 * disconnected (tests hand the instance back to a pool there: test-pglite-pool.ts).
 */
export function databaseOnPGlite(
  pglite: PGlite,
  target: Extract<DatabaseTarget, { kind: 'pglite' }>,
  release: () => Promise<void>,
): Database {
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    target,
    migrate: (onSettled) => applyMigrationsOnPGlite(pglite, onSettled).catch(naming(target)),
    executeScript: async (sql) => {
      await pglite.exec(sql);
    },
    backup: () => dumpPGlite(pglite),
    close: async () => {
      await prisma.$disconnect();
      await release();
    },
  };
}

async function openPostgres(target: Extract<DatabaseTarget, { kind: 'postgres' }>): Promise<Database> {
  const config = { connectionString: target.url, max: target.poolSize ?? 10, connectionTimeoutMillis: 5_000 };
  // Probe with a plain connection first: its errors are one clear line ("connect ECONNREFUSED",
  // "password authentication failed", "database ... does not exist"), Prisma's span several.
  const probe = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: 5_000 });
  try {
    await probe.connect();
    await probe.query('SELECT 1');
  } catch (error) {
    throw new DatabaseUnreachableError(target, error);
  } finally {
    await probe.end().catch(() => {});
  }
  // The pool is made here rather than by the adapter so that its state can be read (metrics); it
  // outlives a Prisma disconnect (a reconnect uses it again) and ends with close().
  const pool = new pg.Pool(config);
  // An idle connection the server ends (a restart, a failover, the database dropped) is an 'error'
  // event on the pool, which would otherwise crash the process; the pool has already discarded
  // that connection and opens another for the next query, and a query in flight gets its own error.
  pool.on('error', () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    target,
    poolState: () => ({ max: config.max, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    // Migrations get their own short-lived pool: the schema engine holds a connection for its session.
    migrate: async () =>
      (await nothingToMigrate((sql) => prisma.$queryRawUnsafe(sql)))
        ? []
        : applyMigrations(postgresSchemaEngineAdapter(target.url)).catch(naming(target)),
    executeScript: async (sql) => {
      await prisma.$executeRawUnsafe(sql);
    },
    close: async () => {
      await prisma.$disconnect();
      if (!pool.ended) await pool.end();
    },
  };
}
