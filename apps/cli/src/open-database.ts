// Opens the database the server would use, migrated, for a command's run. A folder held by a
// running server is refused with what to do instead (PGlite serves one process at a time); the
// workspace and key commands catch that refusal and go through the server (open-operator.ts).
import {
  type Database,
  type DatabaseTarget,
  DataFolderInUseError,
  DatabaseUnreachableError,
  databaseTargetFromEnv,
  describeTarget,
  openDatabase,
} from '@pulso/database';
import { CommandError } from './command-error.ts';

/**
 * The database the environment names (databaseTargetFromEnv), once DATABASE_URL, when set, is known
 * to be a postgres:// URL: anything else was taken for a host name and refused as
 * `getaddrinfo ENOTFOUND base`. (The importer checks it alike, connect.ts.)
 */
export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  const url = env.DATABASE_URL?.trim();
  if (url && !/^postgres(ql)?:\/\//i.test(url))
    throw new CommandError(
      'DATABASE_URL is not a postgres:// URL: set it like postgres://user:password@host:5432/pulso, or unset it to use the embedded database (PULSO_DATA_DIR)',
    );
  return databaseTargetFromEnv(env);
}

export async function openConfiguredDatabase(env: NodeJS.ProcessEnv = process.env): Promise<Database> {
  const target = targetFromEnv(env);
  let database: Database;
  try {
    database = await openDatabase(target);
  } catch (error) {
    if (error instanceof DataFolderInUseError)
      throw new CommandError(`${error.holder}: stop it first, or run Pulso on PostgreSQL (DATABASE_URL)`, 1, {
        cause: error,
      });
    if (error instanceof DatabaseUnreachableError) throw new CommandError(error.message);
    throw error;
  }
  try {
    await database.migrate();
  } catch (error) {
    await database.close().catch(() => {});
    throw new CommandError(
      `could not prepare ${describeTarget(target)}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return database;
}

/** The workspace a command works on: the one named, or the only one. */
export async function chooseWorkspace(
  database: Database,
  slug: string | undefined,
): Promise<{ id: string; slug: string }> {
  if (slug) {
    const found = await database.prisma.workspace.findUnique({ where: { slug }, select: { id: true, slug: true } });
    if (!found) throw new CommandError(`no workspace "${slug}"`);
    return found;
  }
  const all = await database.prisma.workspace.findMany({ select: { id: true, slug: true }, take: 2 });
  if (all.length === 0) throw new CommandError('this database has no workspace yet');
  // Usage (exit 2), as key create and key list refuse a missing --workspace.
  if (all.length > 1) throw new CommandError('this database has several workspaces: name one with --workspace SLUG', 2);
  return all[0]!;
}
