// Opens the database the server would use, migrated, for a command's run. A folder held by a
// running server is refused with what to do instead (PGlite serves one process at a time); the
// workspace and key commands catch that refusal and go through the server (open-operator.ts).
import {
  type Database,
  DataFolderInUseError,
  DatabaseUnreachableError,
  databaseTargetFromEnv,
  describeTarget,
  openDatabase,
} from '@pulso/database';
import { CommandError } from './command-error.ts';

export async function openConfiguredDatabase(env: NodeJS.ProcessEnv = process.env): Promise<Database> {
  const target = databaseTargetFromEnv(env);
  let database: Database;
  try {
    database = await openDatabase(target);
  } catch (error) {
    if (error instanceof DataFolderInUseError)
      throw new CommandError(`${error.message}: stop the server first, or run Pulso on PostgreSQL (DATABASE_URL)`, 1, {
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
  if (all.length > 1) throw new CommandError('this database has several workspaces: name one with --workspace SLUG');
  return all[0]!;
}
