// The database a test prepares before any server process runs on it, already migrated as a Pulso
// that ran before would have left it: a PGlite folder written from the migrated template, or a
// PostgreSQL database copied from it (createMigratedTestPostgresDatabase). A fresh folder's initdb
// and the migrations cost about ten seconds of CPU and prove nothing in these tests; the first
// start on an empty folder or database is tested on its own (server-lifecycle, postgres-server,
// migration-interruption).
import { createWorkspace } from '@pulso/core';
import { openDatabase, type Database, type DatabaseTarget, type PrismaClient } from '@pulso/database';
import { openMigratedPGliteFolder } from '@pulso/database/testing';

/** Opens a target whose PGlite folder is new (written from the template) or whose PostgreSQL database is migrated. */
export function openMigratedDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'pglite' ? openMigratedPGliteFolder(target.dataDir) : openDatabase(target);
}

/** The workspace a test writes before any server runs: its slug, name and fixed keys. */
export interface PreparedWorkspace {
  slug: string;
  name: string;
  secretKey: string;
  publishableKey: string;
}

/**
 * Writes a workspace into a migrated target before any server runs, then what else the test needs
 * (`more`: customers, a webhook endpoint), and closes it for the server to open. Returns the
 * workspace's id and what `more` returned.
 */
export async function prepareWorkspace<T = undefined>(
  target: DatabaseTarget,
  workspace: PreparedWorkspace,
  more?: (prisma: PrismaClient, workspaceId: string) => Promise<T>,
): Promise<{ workspaceId: string; more: T }> {
  const database = await openMigratedDatabase(target);
  try {
    const { workspaceId } = await createWorkspace(database.prisma, workspace);
    return { workspaceId, more: (await more?.(database.prisma, workspaceId)) as T };
  } finally {
    await database.close();
  }
}
