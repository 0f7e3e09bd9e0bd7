// Migrations in Prisma's folder layout (prisma/migrations/<timestamp>_<name>/migration.sql),
// applied and created through the WebAssembly schema engine. The same folders stay usable by the
// standard `prisma migrate deploy` wherever the native engine can be downloaded.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import type { DatabaseTarget } from './database.ts';
import { PGliteSchemaEngineAdapter } from './pglite-schema-adapter.ts';
import { pulsoCommand } from './pulso-command.ts';
import { openSchemaEngine, type SchemaEngine, type SchemaFile } from './schema-engine.ts';

// Found through the package's own name, not a path relative to this file: the same line works from
// the sources and from a compiled bundle that includes this module (apps/server/dist).
const packageDir = dirname(createRequire(import.meta.url).resolve('@pulso/database/package.json'));
export const schemaPath = join(packageDir, 'prisma', 'schema.prisma');
export const migrationsDir = join(packageDir, 'prisma', 'migrations');

const noFilters = { externalTables: [], externalEnums: [] };

export async function readSchema(path = schemaPath): Promise<SchemaFile> {
  return { path: 'schema.prisma', content: await readFile(path, 'utf8') };
}

/** Loads the migration folders the way the Prisma CLI hands them to the engine. */
export async function readMigrations(dir = migrationsDir): Promise<MigrationList> {
  const entries = existsSync(dir) ? await readdir(dir, { withFileTypes: true }) : [];
  const folders = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const lockPath = join(dir, 'migration_lock.toml');
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      folders.map(async (name) => {
        const file = join(dir, name, 'migration.sql');
        const content = existsSync(file)
          ? { tag: 'ok' as const, value: await readFile(file, 'utf8') }
          : { tag: 'error' as const, value: `missing ${file}` };
        return { path: name, migrationFile: { path: 'migration.sql', content } };
      }),
    ),
  };
}

async function withEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  work: (engine: SchemaEngine, schema: SchemaFile) => Promise<T>,
): Promise<T> {
  const schema = await readSchema();
  const engine = await openSchemaEngine(adapterFactory, schema);
  try {
    return await work(engine, schema);
  } finally {
    engine.free();
    // Factories that own a connection pool (see postgres-schema-adapter.ts) release it here.
    await (adapterFactory as { close?: () => Promise<void> }).close?.();
  }
}

/** The SQL from the engine's live database to the schema, or null when they match. */
async function diffLiveToSchema(engine: SchemaEngine, schema: SchemaFile): Promise<string | null> {
  const result = await engine.diff({
    from: { tag: 'schemaDatasource', files: [schema], configDir: packageDir },
    to: { tag: 'schemaDatamodel', files: [schema] },
    script: true,
    exitCode: true,
    filters: noFilters,
  });
  return result.exitCode === 0 ? null : (result.stdout ?? null);
}

/**
 * A migration recorded as started and never finished: its process was killed during it, or its SQL
 * failed. The schema engine then refuses every later migration (Prisma's P3009) until someone says
 * whether its changes are in the database; this says in one line how, with the `pulso` command of
 * the install that runs (pulso-command.ts: a release folder has no scripts/) and, once the database
 * is known (Database.migrate), the setting that command must share with the server.
 */
export class InterruptedMigrationError extends Error {
  override readonly name = 'InterruptedMigrationError';
  constructor(
    readonly migration: string,
    readonly startedAt: string,
    database?: DatabaseTarget,
  ) {
    const resolve = (as: string) => `\`${pulsoCommand(`db resolve --${as} ${migration}`, database)}\``;
    super(
      `the migration ${migration} started at ${startedAt} never finished (the process was stopped during it, or it failed) and blocks the others: ` +
        `if its changes are in the database run ${resolve('applied')}, otherwise ${resolve('rolled-back')}, then start again`,
    );
  }
}

/**
 * Applies every migration the database has not seen yet; returns the names applied. `list` replaces
 * the committed migrations (a prefix of them, to build an earlier schema).
 */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  list?: MigrationList,
): Promise<string[]> {
  const migrationsList = list ?? (await readMigrations());
  return withEngine(adapterFactory, async (engine) => {
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: noFilters });
      return appliedMigrationNames;
    } catch (error) {
      const failed = /The `([^`]+)` migration started at (.+?) failed/.exec(
        error instanceof Error ? error.message : String(error),
      );
      if (failed) throw new InterruptedMigrationError(failed[1]!, failed[2]!);
      throw error;
    }
  });
}

/**
 * True when the database has finished every committed migration and holds no other record: a start
 * then has nothing to apply and skips the schema engine, whose WebAssembly costs a few hundred
 * milliseconds to load (most of the gap between a warm PGlite start and the 2-second target). Any
 * other state — a new database, a migration pending, unfinished or rolled back, a record this code
 * does not ship (a newer release ran here) — goes to the engine, which decides as before.
 */
export async function nothingToMigrate(
  query: <Row>(sql: string) => Promise<Row[]>,
  list?: MigrationList,
): Promise<boolean> {
  // Asked first so that a new database logs no "relation does not exist" error.
  const [table] = await query<{ present: boolean }>("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present");
  if (!table?.present) return false;
  const records = await query<{ migration_name: string; finished: boolean; rolled_back: boolean }>(
    'SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back FROM _prisma_migrations',
  );
  const committed = (list ?? (await readMigrations())).migrationDirectories.map((d) => d.path);
  if (records.length !== committed.length) return false;
  const finished = new Set(records.filter((r) => r.finished && !r.rolled_back).map((r) => r.migration_name));
  return committed.every((name) => finished.has(name));
}

const MIGRATION_NAME = /^\d{14}_[a-z0-9_]+$/;

/** A migration folder's name as the engine records it: `<14-digit timestamp>_<snake_case>`. */
export const isMigrationName = (name: string): boolean => MIGRATION_NAME.test(name);

/**
 * Settles a migration that never finished, as `prisma migrate resolve` does: `applied` when its
 * changes are in the database, `rolled-back` when they are not (it is then applied again at the
 * next start). Returns false when no unfinished migration has that name.
 */
export async function resolveMigration(
  executeQuery: (sql: string) => Promise<number>,
  migration: string,
  as: 'applied' | 'rolled-back',
): Promise<boolean> {
  if (!MIGRATION_NAME.test(migration)) throw new Error(`"${migration}" is not a migration folder name`);
  const set = as === 'applied' ? 'finished_at = now(), applied_steps_count = 1' : 'rolled_back_at = now()';
  // The name is checked above: it is safe inside the statement.
  const changed = await executeQuery(
    `UPDATE _prisma_migrations SET ${set} WHERE migration_name = '${migration}' AND finished_at IS NULL AND rolled_back_at IS NULL`,
  );
  return changed > 0;
}

/**
 * The SQL that would turn the live database into what schema.prisma describes; empty when they
 * match. Used to prove the committed migrations are complete.
 */
export async function diffDatabaseToSchema(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  return withEngine(adapterFactory, async (engine, schema) => (await diffLiveToSchema(engine, schema)) ?? '');
}

function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * Writes a new migration with the changes from the committed migrations to schema.prisma.
 * The committed migrations are replayed on a throw-away in-memory PGlite, so no server is needed.
 * Returns the folder written, or null when the schema has no change.
 */
export async function createMigration(name: string, now = new Date()): Promise<string | null> {
  if (!/^[a-z0-9_]+$/.test(name))
    throw new Error(`migration name must be snake_case letters and digits, got "${name}"`);
  const migrationsList = await readMigrations();
  const scratch = new PGlite();
  try {
    const sql = await withEngine(new PGliteSchemaEngineAdapter(scratch), async (engine, schema) => {
      await engine.applyMigrations({ migrationsList, filters: noFilters });
      return diffLiveToSchema(engine, schema);
    });
    if (sql === null) return null;
    const folder = join(migrationsDir, `${timestamp(now)}_${name}`);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'migration.sql'), sql);
    const lock = join(migrationsDir, 'migration_lock.toml');
    if (!existsSync(lock)) {
      await writeFile(
        lock,
        '# Written by the migration tooling; keep it in version control.\nprovider = "postgresql"\n',
      );
    }
    return folder;
  } finally {
    await scratch.close();
  }
}
