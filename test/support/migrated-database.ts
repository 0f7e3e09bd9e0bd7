// The database a test prepares before any server process runs on it, already migrated as a Pulso
// that ran before would have left it: a PGlite folder written from the migrated template, or a
// PostgreSQL database copied from it (createMigratedTestPostgresDatabase). A fresh folder's initdb
// and the migrations cost about ten seconds of CPU and prove nothing in these tests; the first
// start on an empty folder or database is tested on its own (server-lifecycle, postgres-server,
// migration-interruption).
import { openDatabase, type Database, type DatabaseTarget } from '@pulso/database';
import { openMigratedPGliteFolder } from '@pulso/database/testing';

/** Opens a target whose PGlite folder is new (written from the template) or whose PostgreSQL database is migrated. */
export function openMigratedDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'pglite' ? openMigratedPGliteFolder(target.dataDir) : openDatabase(target);
}
