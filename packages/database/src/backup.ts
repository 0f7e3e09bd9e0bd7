// Backups of an embedded (PGlite) database: PGlite's own dumpDataDir, a gzipped tarball of the data
// folder, and its loadDataDir to start a database from one. A PostgreSQL server is backed up with
// pg_dump instead (README, "Operating Pulso").
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { lockDataFolder } from './data-folder-lock.ts';
import { keepPrivate } from './private-folder.ts';

/**
 * A consistent tarball of a running PGlite: taken while no other transaction is open and after a
 * CHECKPOINT, so the files hold every committed write; writes and reads wait for it (PGlite has
 * one connection).
 */
export async function dumpPGlite(pglite: PGlite): Promise<Blob> {
  // Inside a transaction of its own: PGlite runs one at a time, so none other is open meanwhile
  // (query() and exec() take the same lock, so it cannot be taken around them). The dump itself
  // takes PGlite's query lock, free between the statements of this transaction.
  return pglite.transaction(async (tx) => {
    await tx.exec('CHECKPOINT');
    return pglite.dumpDataDir('gzip');
  });
}

export class NotAPulsoBackupError extends Error {
  override readonly name = 'NotAPulsoBackupError';
}

/**
 * Replaces the data folder with a backup. Refused (DataFolderInUseError) while a process holds the
 * folder. The backup is loaded into a folder beside it first and checked; only then is the old
 * folder moved aside (returned as `previous`, kept until the operator deletes it) and the new one
 * put in its place: a failed restore leaves the folder as it was.
 */
export async function restorePGlite(dataDir: string, backup: Blob): Promise<{ previous: string | undefined }> {
  const unlock = lockDataFolder(dataDir);
  const staging = `${dataDir}.restoring`;
  try {
    rmSync(staging, { recursive: true, force: true });
    keepPrivate(staging);
    let pglite: PGlite;
    try {
      pglite = await PGlite.create({ dataDir: staging, loadDataDir: backup });
    } catch (error) {
      throw new NotAPulsoBackupError(
        `not a Pulso backup (a tarball made by \`pulso db backup\`): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    try {
      await pglite.query('SELECT 1 FROM _prisma_migrations LIMIT 1');
    } catch {
      throw new NotAPulsoBackupError('not a Pulso backup: the database in it has no Pulso migrations');
    } finally {
      await pglite.close();
    }
    let previous: string | undefined;
    if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
      previous = `${dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(dataDir, previous);
      keepPrivate(previous);
    } else {
      rmSync(dataDir, { recursive: true, force: true });
    }
    renameSync(staging, dataDir);
    return { previous };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    unlock();
  }
}
