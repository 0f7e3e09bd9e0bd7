// Helpers for tests that need a real database. Each test gets a fresh database (PGlite in memory,
// or a new database on the local PostgreSQL server, dropped afterwards). When the server is
// unreachable the tests fail with a message saying how to reach one: never skipped silently.
// Migrating costs seconds per database, so each kind is migrated once per set of migrations and
// then copied: PGlite from a dump of its data folder, PostgreSQL with CREATE DATABASE ... TEMPLATE.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import pg from 'pg';
import { PGliteSchemaEngineAdapter } from './pglite-schema-adapter.ts';
import { databaseOnPGlite, openDatabase, type Database } from './database.ts';
import { TestPGlitePool } from './test-pglite-pool.ts';
import { applyMigrations, readMigrations } from './migrations.ts';

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

/** Names what the templates hold: every migration, by name and content. */
async function migrationsKey(): Promise<string> {
  const { migrationDirectories } = await readMigrations();
  const hash = createHash('sha256');
  for (const { path, migrationFile } of migrationDirectories) hash.update(`${path}\0${migrationFile.content.value}\0`);
  return hash.digest('hex').slice(0, 16);
}

/** The folder of PGlite's build: its WebAssembly and file bundle. */
const pgliteDist = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));

let pgliteTemplate: Promise<Blob> | undefined;

/**
 * A migrated PGlite data folder, dumped. Test files run in separate processes, so the dump is kept
 * in the temporary folder under the migrations' key: the first process to need it makes it, and
 * writes it under a unique name first, so a process never reads a half-written one.
 */
function migratedPGliteDump(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    // A dump is read only by the PGlite version that wrote it.
    const { version } = JSON.parse(await readFile(join(pgliteDist, '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    const file = join(tmpdir(), `pulso-test-pglite-${version}-${await migrationsKey()}-lean-sb16.tar`);
    if (existsSync(file)) return new Blob([await readFile(file)]);
    const pglite = await PGlite.create({ ...(await compiledPGlite()), dataDir: 'memory://' });
    try {
      await applyMigrations(new PGliteSchemaEngineAdapter(pglite));
      // initdb's template databases are a third of the folder (15 of 41 MB), unpacked again for
      // every test database, and used only to create databases, which Pulso never does on PGlite:
      // without them a test database opens in about two thirds of the CPU.
      for (const template of ['template0', 'template1']) {
        await pglite.query(`ALTER DATABASE ${template} WITH IS_TEMPLATE false`);
        await pglite.query(`DROP DATABASE ${template}`);
      }
      // PostgreSQL zeroes its whole buffer cache at every start (128 MB by default): a test
      // database holds a few megabytes, and with 16 MB each open costs a fifth less CPU (0.57 →
      // 0.46 s from this dump). Kept in the folder (postgresql.auto.conf), so the server processes
      // started on a copy of it (openMigratedPGliteFolder) start faster too; a production folder,
      // made by initdb, keeps the default.
      await pglite.query("ALTER SYSTEM SET shared_buffers = '16MB'");
      await pglite.query('CHECKPOINT');
      const dump = await pglite.dumpDataDir('none');
      const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
      await rename(partial, file);
      return dump;
    } finally {
      await pglite.close();
    }
  })();
  return pgliteTemplate;
}

let pgliteAssets: Promise<Pick<PGliteOptions, 'pgliteWasmModule' | 'initdbWasmModule' | 'fsBundle'>> | undefined;

type WasmModule = NonNullable<PGliteOptions['pgliteWasmModule']>;
// Node has WebAssembly; this package's TypeScript libs (no DOM) do not declare it.
const { WebAssembly: wasm } = globalThis as unknown as {
  WebAssembly: { compile(code: Uint8Array): Promise<WasmModule> };
};

/** PGlite's WebAssembly, compiled once per process, and its file bundle, read once. */
function compiledPGlite() {
  pgliteAssets ??= (async () => {
    const [pgliteWasm, initdbWasm, bundle] = await Promise.all(
      ['pglite.wasm', 'initdb.wasm', 'pglite.data'].map((file) => readFile(join(pgliteDist, file))),
    );
    return {
      pgliteWasmModule: await wasm.compile(pgliteWasm!),
      initdbWasmModule: await wasm.compile(initdbWasm!),
      fsBundle: new Blob([bundle!]),
    };
  })();
  return pgliteAssets;
}

let postgresTemplate: Promise<string> | undefined;

/**
 * A migrated database on the local server, named for the migrations' key, that tests' databases
 * are created from. It is migrated under a unique name and renamed when done: a concurrent test
 * process either finds it complete or makes its own, and the loser of the rename drops its own.
 */
function migratedPostgresTemplate(): Promise<string> {
  postgresTemplate ??= (async () => {
    const name = `pulso_template_${await migrationsKey()}`;
    const exists = await admin((c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]));
    if (exists.rowCount) return name;
    const building = await createDatabase(`${name}_${randomBytes(4).toString('hex')}`);
    const database = await openDatabase({ kind: 'postgres', url: building.url, poolSize: 1 });
    try {
      await database.migrate();
    } finally {
      await database.close();
    }
    try {
      await admin((c) => whileInUse(() => c.query(`ALTER DATABASE "${building.name}" RENAME TO "${name}"`)));
    } catch (error) {
      await building.drop();
      if ((error as { code?: string }).code !== '42P04') throw error;
    }
    return name;
  })();
  return postgresTemplate;
}

/**
 * Renaming or copying a database is refused while another session is connected to it (55006).
 * None stays connected to a template, but the one that migrated it may still be leaving.
 */
async function whileInUse<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function databaseName(label: string): string {
  return `pulso_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
}

/** An empty database (no tables) on the local server, for tests of migrating itself. */
export async function createTestPostgresDatabase(label = 'test'): Promise<TestPostgresDatabase> {
  return createDatabase(databaseName(label));
}

/** A migrated database on the local server, copied from the template. */
export async function createMigratedTestPostgresDatabase(label = 'test'): Promise<TestPostgresDatabase> {
  const template = await migratedPostgresTemplate();
  return createDatabase(databaseName(label), template);
}

async function createDatabase(name: string, template?: string): Promise<TestPostgresDatabase> {
  const from = template ? ` TEMPLATE "${template}"` : '';
  await admin((client) => whileInUse(() => client.query(`CREATE DATABASE "${name}"${from}`)));
  const url = new URL(testPostgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** A bare in-memory PGlite with every migration applied (from the migrated template). */
export async function migratedPGlite(): Promise<PGlite> {
  return PGlite.create({ ...(await compiledPGlite()), dataDir: 'memory://', loadDataDir: await migratedPGliteDump() });
}

/**
 * A PGlite data folder on disk, written from the migrated template and opened: for tests whose
 * server processes work on a folder that an earlier Pulso already made (a restart, a crash loop),
 * where a fresh folder's initdb and migrations (about ten seconds of CPU) prove nothing. Tests
 * of a first start on an empty folder must not use it. The folder must be empty or absent.
 */
export async function openMigratedPGliteFolder(dataDir: string): Promise<Database> {
  return openDatabase({
    kind: 'pglite',
    dataDir,
    pglite: { ...(await compiledPGlite()), loadDataDir: await migratedPGliteDump() },
  });
}

/**
 * This thread's in-memory test databases: reset when closed and given to the next test. Only in
 * worker threads (Vitest's test workers, which Vitest ends itself): an idle PGlite keeps its
 * process alive (PostgreSQL's timers inside it), so a process that ends on its own when its work
 * is done, a global setup's, a benchmark's or a probe's, closes its databases as before.
 */
const pglitePool = isMainThread ? undefined : new TestPGlitePool(migratedPGlite);

export interface TestDatabase {
  database: Database;
  /** Closes it; a PostgreSQL one is dropped too. */
  close(): Promise<void>;
}

/**
 * A migrated, empty database for a test: PGlite in memory, or a fresh database on the local
 * PostgreSQL server (dropped by `close`), both copied from a migrated template. A PGlite one is
 * reset to the template's state by `close` and given to the thread's next test (test-pglite-pool.ts).
 */
export async function openTestDatabase(
  kind: 'pglite' | 'postgres',
  label = 'test',
  options: { poolSize?: number } = {},
): Promise<TestDatabase> {
  if (kind === 'pglite' && pglitePool) {
    const lease = await pglitePool.lease();
    const database = databaseOnPGlite(lease.pglite, { kind: 'pglite', dataDir: 'memory://' }, lease.release);
    return { database, close: () => database.close() };
  }
  const postgres = kind === 'postgres' ? await createMigratedTestPostgresDatabase(label) : undefined;
  const database = postgres
    ? await openDatabase({ kind: 'postgres', url: postgres.url, poolSize: options.poolSize })
    : await openDatabase({
        kind: 'pglite',
        dataDir: 'memory://',
        pglite: { ...(await compiledPGlite()), loadDataDir: await migratedPGliteDump() },
      });
  return {
    database,
    async close() {
      await database.close();
      await postgres?.drop();
    },
  };
}

/**
 * Waits until `count` sessions of a PostgreSQL database wait for a lock: a test that orders
 * concurrent transactions lets the next step go once the one before is blocked where it means to
 * block it. Fails after about 2.5 s, naming `what` was expected to wait.
 */
export async function waitForLockWaits(
  prisma: { $queryRaw<T>(query: TemplateStringsArray, ...values: unknown[]): Promise<T> },
  count: number,
  what: string,
): Promise<void> {
  for (let tries = 0; tries < 500; tries++) {
    const [row] = await prisma.$queryRaw<{ waiting: number }[]>`
      SELECT count(*)::int AS "waiting" FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (row!.waiting >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`${what} never waited for a lock`);
}
