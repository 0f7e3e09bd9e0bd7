import { PGlite } from '@electric-sql/pglite';
import { postgresSchemaEngineAdapter } from './postgres-schema-adapter.ts';
import { PGliteSchemaEngineAdapter } from './pglite-schema-adapter.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { applyMigrations, diffDatabaseToSchema, nothingToMigrate, readMigrations } from './migrations.ts';
import { createTestPostgresDatabase, type TestPostgresDatabase } from './testing.ts';

describe('committed migrations', () => {
  it('are in Prisma folder layout, each with a migration.sql', async () => {
    const list = await readMigrations();
    expect(list.migrationDirectories.length).toBeGreaterThan(0);
    for (const dir of list.migrationDirectories) {
      expect(dir.path).toMatch(/^\d{14}_[a-z0-9_]+$/);
      expect(dir.migrationFile.content.tag).toBe('ok');
    }
    expect(list.lockfile.content).toContain('provider = "postgresql"');
  });

  it('applied to an empty PGlite, yield exactly schema.prisma', async () => {
    const pglite = new PGlite();
    try {
      const applied = await applyMigrations(new PGliteSchemaEngineAdapter(pglite));
      expect(applied).toEqual((await readMigrations()).migrationDirectories.map((d) => d.path));
      expect(await diffDatabaseToSchema(new PGliteSchemaEngineAdapter(pglite))).toBe('');
      // A second run finds nothing to do.
      expect(await applyMigrations(new PGliteSchemaEngineAdapter(pglite))).toEqual([]);
    } finally {
      await pglite.close();
    }
  });

  describe('on the PostgreSQL server', () => {
    let database: TestPostgresDatabase;
    beforeAll(async () => {
      database = await createTestPostgresDatabase('migrations');
    });
    afterAll(async () => {
      await database?.drop();
    });

    it('applied to an empty database, yield exactly schema.prisma', async () => {
      const adapter = () => postgresSchemaEngineAdapter(database.url);
      const applied = await applyMigrations(adapter());
      expect(applied.length).toBeGreaterThan(0);
      expect(await diffDatabaseToSchema(adapter())).toBe('');
      expect(await applyMigrations(adapter())).toEqual([]);
    });
  });

  // What lets a start skip the schema engine: wrong in either direction, a start would run on a
  // database missing a migration, or pay the engine's load for nothing.
  async function provesNothingToMigrate(
    query: <Row>(sql: string) => Promise<Row[]>,
    migrate: (list?: Awaited<ReturnType<typeof readMigrations>>) => Promise<string[]>,
  ) {
    const list = await readMigrations();
    const allButLast = { ...list, migrationDirectories: list.migrationDirectories.slice(0, -1) };
    const last = list.migrationDirectories.at(-1)!.path;
    expect(await nothingToMigrate(query)).toBe(false); // a new database: no migration table
    await migrate(allButLast);
    expect(await nothingToMigrate(query)).toBe(false); // the last one pending
    expect(await nothingToMigrate(query, allButLast)).toBe(true);
    await migrate();
    expect(await nothingToMigrate(query)).toBe(true);
    // A record this code does not ship (a newer release migrated this database): the engine decides.
    expect(await nothingToMigrate(query, allButLast)).toBe(false);
    await query(`UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = '${last}'`);
    expect(await nothingToMigrate(query)).toBe(false); // unfinished: recovery's business
    await query(
      `UPDATE _prisma_migrations SET finished_at = now(), rolled_back_at = now() WHERE migration_name = '${last}'`,
    );
    expect(await nothingToMigrate(query)).toBe(false); // rolled back: applied again by the engine
  }

  it('skip the engine only when every committed migration is finished (PGlite)', async () => {
    const pglite = new PGlite();
    try {
      await provesNothingToMigrate(
        async (sql) => (await pglite.query(sql)).rows as never[],
        (list) => applyMigrations(new PGliteSchemaEngineAdapter(pglite), list),
      );
    } finally {
      await pglite.close();
    }
  });

  it('skip the engine only when every committed migration is finished (PostgreSQL)', async () => {
    const database = await createTestPostgresDatabase('nothing_to_migrate');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await provesNothingToMigrate(
        async (sql) => (await client.query(sql)).rows,
        (list) => applyMigrations(postgresSchemaEngineAdapter(database.url), list),
      );
    } finally {
      await client.end();
      await database.drop();
    }
  });

  it('notices a schema change that no migration covers', async () => {
    const pglite = new PGlite();
    try {
      await applyMigrations(new PGliteSchemaEngineAdapter(pglite));
      await pglite.exec('ALTER TABLE "Customer" DROP COLUMN "segment"');
      expect(await diffDatabaseToSchema(new PGliteSchemaEngineAdapter(pglite))).toMatch(/segment/);
    } finally {
      await pglite.close();
    }
  });
});
