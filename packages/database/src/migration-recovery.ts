// Settles, without asking anyone, a migration that a killed process left unfinished on PGlite.
//
// The schema engine records a migration as started, runs its script, then records it finished. A
// script is one simple query, which PostgreSQL runs as one transaction: after a kill its changes
// are either all in the database or none are. Which one is read off the database itself, by
// comparing its structure with the structure the migrations build on a scratch database — up to
// and including the unfinished one (it is applied) or up to the one before (it is rolled back and
// runs again). Anything else (a change by hand, a failed script) is left to a person, with the
// one-line advice of InterruptedMigrationError.
//
// Only on PGlite: the process holds the data folder's lock, so nobody else can be migrating. On a
// PostgreSQL server another instance may be running that very migration.
import { PGlite } from '@electric-sql/pglite';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import {
  applyMigrations,
  InterruptedMigrationError,
  nothingToMigrate,
  readMigrations,
  resolveMigration,
} from './migrations.ts';
import { PGliteSchemaEngineAdapter } from './pglite-schema-adapter.ts';

/** How an unfinished migration was settled: its changes were in ('applied'), or it ran again. */
export type MigrationSettled = (migration: string, as: 'applied' | 'rolled-back') => void;

/** What a database is made of, one line per column, index, constraint, enum, function and trigger. */
const STRUCTURE = `
  SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS line
    FROM information_schema.columns WHERE table_schema = current_schema()
  UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()
  UNION ALL SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
  UNION ALL SELECT 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = current_schema()::regnamespace GROUP BY t.typname
  UNION ALL SELECT 'function ' || proname || '(' || pg_get_function_identity_arguments(oid) || ')'
    FROM pg_proc WHERE pronamespace = current_schema()::regnamespace
  UNION ALL SELECT 'trigger ' || tgrelid::regclass::text || ' ' || tgname FROM pg_trigger
    WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = current_schema()::regnamespace)
  ORDER BY 1`;

async function structureOf(pglite: PGlite): Promise<string[]> {
  const { rows } = await pglite.query<{ line: string }>(STRUCTURE);
  return rows.map((r) => r.line);
}

interface Structures {
  /** After the migrations before the unfinished one. */
  before: string[];
  /** After the unfinished one too. */
  after: string[];
}

// Built once per process for each migration (a scratch database takes seconds).
const built = new Map<string, Promise<Structures>>();

/** The structures the migrations build on an empty database before and after the one at `index`. */
function structuresAround(migrations: MigrationList, index: number): Promise<Structures> {
  const key = migrations.migrationDirectories
    .slice(0, index + 1)
    .map((d) => d.path)
    .join();
  let structures = built.get(key);
  if (!structures) {
    structures = build(migrations, index);
    built.set(key, structures);
    structures.catch(() => built.delete(key));
  }
  return structures;
}

async function build(migrations: MigrationList, index: number): Promise<Structures> {
  const script = migrations.migrationDirectories[index]!.migrationFile.content;
  if (script.tag !== 'ok') throw new Error(script.value);
  const scratch = new PGlite();
  try {
    await applyMigrations(new PGliteSchemaEngineAdapter(scratch), {
      ...migrations,
      migrationDirectories: migrations.migrationDirectories.slice(0, index),
    });
    const before = await structureOf(scratch);
    // The script alone, as the engine runs it: its bookkeeping row changes no structure.
    await scratch.exec(script.value);
    return { before, after: await structureOf(scratch) };
  } finally {
    await scratch.close();
  }
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((line, i) => line === b[i]);

/**
 * Whether the unfinished `migration`'s changes are all in `live` ('applied'), none are
 * ('rolled-back'), or the database is in neither state (null: a person must look).
 */
export async function settleInterruptedMigration(
  live: PGlite,
  migrations: MigrationList,
  migration: string,
): Promise<'applied' | 'rolled-back' | null> {
  const index = migrations.migrationDirectories.findIndex((d) => d.path === migration);
  if (index < 0) return null; // A migration this version of Pulso does not have.
  const now = await structureOf(live);
  const { before, after } = await structuresAround(migrations, index);
  if (same(now, after)) return 'applied';
  if (same(now, before)) return 'rolled-back';
  return null;
}

/**
 * Applies pending migrations on PGlite, first settling any migration a killed process left
 * unfinished (see above); returns the names applied. Throws InterruptedMigrationError when the
 * database is in neither state.
 */
export async function applyMigrationsOnPGlite(
  pglite: PGlite,
  onSettled: MigrationSettled = () => {},
): Promise<string[]> {
  if (await nothingToMigrate(async (sql) => (await pglite.query(sql)).rows as never[])) return [];
  const settled = new Set<string>();
  for (;;) {
    try {
      return await applyMigrations(new PGliteSchemaEngineAdapter(pglite));
    } catch (error) {
      if (!(error instanceof InterruptedMigrationError) || settled.has(error.migration)) throw error;
      const as = await settleInterruptedMigration(pglite, await readMigrations(), error.migration);
      if (!as) throw error;
      await resolveMigration(async (sql) => (await pglite.query(sql)).affectedRows ?? 0, error.migration, as);
      settled.add(error.migration);
      onSettled(error.migration, as);
    }
  }
}
