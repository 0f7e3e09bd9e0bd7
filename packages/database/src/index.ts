export {
  openDatabase,
  describeTarget,
  DatabaseUnreachableError,
  type Database,
  type DatabaseTarget,
} from './database.ts';
export { DataFolderInUseError } from './data-folder-lock.ts';
export { dumpPGlite, NotAPulsoBackupError, restorePGlite } from './backup.ts';
export {
  localAdminPath,
  readLocalAdmin,
  removeLocalAdmin,
  writeLocalAdmin,
  type LocalAdmin,
} from './local-admin-file.ts';
export {
  applyMigrations,
  InterruptedMigrationError,
  isMigrationName,
  resolveMigration,
  createMigration,
  diffDatabaseToSchema,
  readMigrations,
  migrationsDir,
  schemaPath,
} from './migrations.ts';
export { pulsoCommand, pulsoInstall, pulsoInstallAt, type PulsoInstall } from './pulso-command.ts';
export { databaseTargetFromEnv, DEFAULT_DATA_DIR } from './target-from-env.ts';
export { isUuid } from './uuid.ts';
export { workspaceKey } from './workspace-key.ts';
export * from '../generated/prisma/client.ts';
