import { PGlite } from '@electric-sql/pglite';
import { postgresSchemaEngineAdapter } from './postgres-schema-adapter.ts';
import { PGliteSchemaEngineAdapter } from './pglite-schema-adapter.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, diffDatabaseToSchema, readMigrations } from './migrations.ts';
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
