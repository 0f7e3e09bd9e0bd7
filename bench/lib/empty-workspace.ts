// A new, empty workspace (the default catalogue, no customers) in a fresh database, as an operator's
// `pulso workspace create` leaves it: a new PostgreSQL database on the tests' server, or a new PGlite
// data folder. Both start migrated (copies of the tests' migrated templates): what a benchmark
// measures is what follows, not a first start's migrations.
import { rmSync } from 'node:fs';
import { createWorkspace } from '@pulso/core';
import { openDatabase, type Database, type DatabaseTarget } from '@pulso/database';
import { createMigratedTestPostgresDatabase, openMigratedPGliteFolder } from '@pulso/database/testing';
import { dataRoot } from './pglite-dataset.ts';

export interface EmptyWorkspace {
  kind: 'postgres' | 'pglite';
  target: DatabaseTarget;
  /** Environment that points a Pulso server process (servers/pulso-configured.ts) at it. */
  env: Record<string, string>;
  workspaceId: string;
  secretKey: string;
  drop(): Promise<void>;
}

async function withWorkspace(database: Database): Promise<{ workspaceId: string; secretKey: string }> {
  try {
    const { workspaceId, secretKey } = await createWorkspace(database.prisma, { slug: 'bench', name: 'Bench' });
    return { workspaceId, secretKey: secretKey.key };
  } finally {
    await database.close();
  }
}

export async function emptyPostgresWorkspace(label: string): Promise<EmptyWorkspace> {
  const created = await createMigratedTestPostgresDatabase(label);
  const target: DatabaseTarget = { kind: 'postgres', url: created.url, poolSize: 2 };
  return {
    kind: 'postgres',
    target,
    env: { DATABASE_URL: created.url, PULSO_DATA_DIR: '' },
    ...(await withWorkspace(await openDatabase(target))),
    drop: created.drop,
  };
}

export async function emptyPgliteWorkspace(label: string): Promise<EmptyWorkspace> {
  const dataDir = `${dataRoot}${label}`;
  rmSync(dataDir, { recursive: true, force: true });
  return {
    kind: 'pglite',
    target: { kind: 'pglite', dataDir },
    env: { PULSO_DATA_DIR: dataDir, DATABASE_URL: '' },
    ...(await withWorkspace(await openMigratedPGliteFolder(dataDir))),
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
