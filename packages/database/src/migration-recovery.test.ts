// A migration a killed process left unfinished on PGlite: the states a kill can leave (its row
// written, its script's one transaction committed or not) are made directly, then the next start's
// migrate settles them, or refuses with the one-line advice when the database is in neither state.
import { createHash, randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { applyMigrationsOnPGlite } from './migration-recovery.ts';
import { applyMigrations, InterruptedMigrationError, readMigrations, resolveMigration } from './migrations.ts';
import { PGliteSchemaEngineAdapter } from './pglite-schema-adapter.ts';
import { migratedPGlite } from './testing.ts';

let pglite: PGlite;
afterEach(() => pglite?.close());
afterAll(async () => (await startedOnly)?.close());

let startedOnly: Promise<PGlite> | undefined;

/** A database with every migration but the last, whose row says it started and never finished. */
async function lastMigrationStartedOnly(): Promise<string> {
  const migrations = await readMigrations();
  const last = migrations.migrationDirectories.at(-1)!;
  // Made once, then copied for each test: replaying the migrations takes seconds.
  startedOnly ??= (async () => {
    const original = new PGlite();
    await applyMigrations(new PGliteSchemaEngineAdapter(original), {
      ...migrations,
      migrationDirectories: migrations.migrationDirectories.slice(0, -1),
    });
    const content = last.migrationFile.content;
    if (content.tag !== 'ok') throw new Error(content.value);
    await original.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
      [randomUUID(), createHash('sha256').update(content.value).digest('hex'), last.path],
    );
    return original;
  })();
  pglite = (await (await startedOnly).clone()) as PGlite;
  return last.path;
}

/** A database with every migration applied, the last one's row then saying it never finished. */
async function lastMigrationUnrecorded(): Promise<string> {
  const names = (await readMigrations()).migrationDirectories.map((d) => d.path);
  pglite = await migratedPGlite();
  await pglite.query(
    `UPDATE _prisma_migrations SET finished_at = NULL, applied_steps_count = 0 WHERE migration_name = $1`,
    [names.at(-1)],
  );
  return names.at(-1)!;
}

async function finishedMigrations(): Promise<string[]> {
  const { rows } = await pglite.query<{ migration_name: string }>(
    `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
  return rows.map((r) => r.migration_name);
}

describe('a migration left unfinished on PGlite', () => {
  it('is marked applied when its changes are in the database', async () => {
    const last = await lastMigrationUnrecorded();
    const settled: string[] = [];
    expect(await applyMigrationsOnPGlite(pglite, (m, as) => settled.push(`${m} ${as}`))).toEqual([]);
    expect(settled).toEqual([`${last} applied`]);
    expect(await finishedMigrations()).toEqual((await readMigrations()).migrationDirectories.map((d) => d.path));
  });

  it('runs again when none of its changes are in the database', async () => {
    const last = await lastMigrationStartedOnly();
    const settled: string[] = [];
    expect(await applyMigrationsOnPGlite(pglite, (m, as) => settled.push(`${m} ${as}`))).toEqual([last]);
    expect(settled).toEqual([`${last} rolled-back`]);
    expect(await finishedMigrations()).toEqual((await readMigrations()).migrationDirectories.map((d) => d.path));
  });

  it('is left to a person, with the one-line advice, when the database is in neither state', async () => {
    const last = await lastMigrationStartedOnly();
    await pglite.exec('ALTER TABLE "Customer" ADD COLUMN "addedByHand" integer');
    const refused = await applyMigrationsOnPGlite(pglite).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InterruptedMigrationError);
    expect((refused as Error).message).toContain(`db resolve --applied ${last}`);
    expect((refused as Error).message).not.toContain('\n');
  });

  it('that is wrongly marked rolled back fails as an error the caller sees, not as a crash', async () => {
    // The stock PGlite adapter did not wait for a migration's script: its failure was an unhandled
    // rejection that ended the process with a stack trace.
    const last = await lastMigrationUnrecorded();
    await resolveMigration(async (sql) => (await pglite.query(sql)).affectedRows ?? 0, last, 'rolled-back');
    const failed = await applyMigrations(new PGliteSchemaEngineAdapter(pglite)).catch((error: unknown) => error);
    // Applying the last migration again fails on what it already did (a column or constraint that
    // already exists, or one it drops that no longer does).
    expect(String(failed)).toMatch(/already exists|does not exist|failed/);
  });
});
