// `pulso db backup FILE` and `pulso db restore FILE`, for the embedded (PGlite) database. A backup
// is taken from the folder itself when no server holds it, else through the server that does
// (GET /admin/backup with the key it left beside the folder, or PULSO_SERVER_URL + PULSO_ADMIN_KEY),
// so it is consistent while the server runs. A restore replaces the folder and is refused while any
// process holds it. PostgreSQL is backed up with pg_dump (README, "Operating Pulso").
// `pulso db resolve --applied|--rolled-back NAME` settles a migration a stopped process left
// unfinished, on PGlite and PostgreSQL: the command a refused start names, in a checkout and in a
// release folder alike (which has no scripts/pulso.mjs and so no packages/database/src/cli.ts).
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type Database,
  DataFolderInUseError,
  DatabaseUnreachableError,
  describeTarget,
  isMigrationName,
  NotAPulsoBackupError,
  openDatabase,
  readLocalAdmin,
  resolveMigration,
  restorePGlite,
} from '@pulso/database';
import { CommandError } from './command-error.ts';
import type { Command } from './command-context.ts';
import { openConfiguredDatabase, targetFromEnv } from './open-database.ts';

export const DB_USAGE = `  db backup FILE    a consistent backup of the embedded database (PGlite), even while the
                    server runs (through it); refuses to overwrite FILE
  db restore FILE   replaces the embedded database with a backup (the server must be stopped;
                    the folder it replaces is kept beside it)
  db resolve --applied NAME | --rolled-back NAME
                    settles a migration a stopped process left unfinished, which a start refused
                    to go past: --applied when its changes are in the database, --rolled-back when
                    they are not (the next start applies it again); the server must be stopped on PGlite`;

const POSTGRES =
  'DATABASE_URL points at PostgreSQL: back it up with pg_dump and restore with pg_restore (README, "Operating Pulso")';

export const dbCommand: Command = async (argv, { io, env }) => {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { applied: { type: 'string' }, 'rolled-back': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [action, given, ...extra] = positionals;
  // npm runs the command from the repository's root: FILE is relative to where it was typed, as
  // for import and PULSO_DATA_DIR (INIT_CWD).
  const file = given && resolvePath(env.INIT_CWD ?? process.cwd(), given);
  if (action === 'resolve') {
    if (positionals.length > 1)
      throw new CommandError(`unexpected ${positionals.slice(1).join(' ')}\n${RESOLVE_USAGE}`, 2);
    const applied = values.applied;
    const rolledBack = values['rolled-back'];
    if ((applied === undefined) === (rolledBack === undefined))
      throw new CommandError(
        `${applied === undefined ? 'give --applied NAME or --rolled-back NAME' : 'one of --applied and --rolled-back, not both'}\n${RESOLVE_USAGE}`,
        2,
      );
    return resolve(applied ?? rolledBack!, applied !== undefined ? 'applied' : 'rolled-back', { io, env });
  }
  if (
    (action !== 'backup' && action !== 'restore') ||
    !file ||
    extra.length > 0 ||
    values.applied !== undefined ||
    values['rolled-back'] !== undefined
  )
    throw new CommandError(`usage:\n${DB_USAGE}`, 2);
  const target = env.PULSO_SERVER_URL?.trim() ? undefined : targetFromEnv(env);
  if (target?.kind === 'postgres') throw new CommandError(POSTGRES);
  if (target?.kind === 'pglite' && target.dataDir.startsWith('memory://'))
    throw new CommandError('PULSO_DATA_DIR is in memory: there is nothing to back up or restore');

  if (action === 'backup') {
    if (existsSync(file)) throw new CommandError(`${given} already exists: choose a new file name`);
    // Checked before the dump, which takes seconds and stalls a running server: a FILE that cannot
    // be written is said first.
    writableFolder(file, given!);
    const { tarball, from } = target
      ? await backupFolder(target.dataDir, env)
      : await backupThrough(serverFromEnv(env));
    // Written beside its final name, then renamed: a FILE that exists is a whole backup.
    const partial = `${file}.partial`;
    try {
      // Every workspace's data and token signing secrets: readable by its owner only.
      await writeFile(partial, tarball, { mode: 0o600 });
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    io.out(`Backed up ${from} to ${given} (${formatBytes(tarball.length)}).`);
    return 0;
  }

  if (!target)
    throw new CommandError('restore acts on the folder itself: unset PULSO_SERVER_URL and set PULSO_DATA_DIR');
  if (!existsSync(file)) throw new CommandError(`${given}: no such file`);
  if (statSync(file).isDirectory()) throw new CommandError(`${given} is a folder: give the backup file`);
  const backup = new Blob([new Uint8Array(await readFile(file))]);
  try {
    const { previous } = await restorePGlite(target.dataDir, backup);
    io.out(`Restored ${given} into ${target.dataDir}.`);
    if (previous) io.out(`The folder it replaced is kept at ${previous}: delete it once the restore is checked.`);
    return 0;
  } catch (error) {
    if (error instanceof DataFolderInUseError)
      throw new CommandError(`${error.holder}: a restore replaces the whole folder, so stop that process first`);
    if (error instanceof NotAPulsoBackupError) throw new CommandError(`${given}: ${error.message}`);
    throw error;
  }
};

const RESOLVE_USAGE =
  'usage: db resolve --applied NAME | --rolled-back NAME   (NAME: the migration the refused start named)';

interface MigrationRecord {
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Marks the unfinished migration `name` applied or rolled back (resolveMigration, as `prisma migrate
 * resolve` does), on the database opened as it is: not migrated, which the unfinished migration
 * would refuse. Anything else named (a typo, a migration that finished or was rolled back) is
 * refused with what the database does hold.
 */
async function resolve(
  name: string,
  as: 'applied' | 'rolled-back',
  { io, env }: Parameters<Command>[1],
): Promise<number> {
  if (!isMigrationName(name))
    throw new CommandError(
      `"${name}" is not a migration's name (a timestamp and a name, like 20261201120000_add_notes): give the one the refused start named`,
      2,
    );
  if (!env.DATABASE_URL?.trim() && !env.PULSO_DATA_DIR?.trim() && env.PULSO_SERVER_URL?.trim())
    throw new CommandError(
      'resolve acts on the database itself, not through a server: set DATABASE_URL or PULSO_DATA_DIR as the server has them',
      2,
    );
  const target = targetFromEnv(env);
  if (target.kind === 'pglite') {
    if (target.dataDir.startsWith('memory://'))
      throw new CommandError('PULSO_DATA_DIR is in memory: there is no migration to settle');
    if (!existsSync(target.dataDir))
      throw new CommandError(`there is no database in ${target.dataDir}: check PULSO_DATA_DIR (or DATABASE_URL)`);
  }
  let database: Database;
  try {
    database = await openDatabase(target);
  } catch (error) {
    if (error instanceof DataFolderInUseError)
      throw new CommandError(
        `${error.holder}: settling a migration needs the folder to itself, so stop that process first`,
      );
    if (error instanceof DatabaseUnreachableError) throw new CommandError(error.message);
    throw error;
  }
  const where = describeTarget(target);
  try {
    const prisma = database.prisma;
    const [table] = await prisma.$queryRawUnsafe<{ present: boolean }[]>(
      "SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present",
    );
    if (!table?.present) throw new CommandError(`${where} has no migration recorded: there is nothing to settle`);
    const records = await prisma.$queryRawUnsafe<MigrationRecord[]>(
      'SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at',
    );
    const unfinished = records.filter((r) => !r.finished_at && !r.rolled_back_at).map((r) => r.migration_name);
    if (!unfinished.includes(name)) {
      const last = records.filter((r) => r.migration_name === name).at(-1);
      const state = !last
        ? `${where} has no migration ${name}`
        : last.finished_at
          ? `${name} is not unfinished: it finished at ${last.finished_at.toISOString()}`
          : `${name} is not unfinished: it was rolled back at ${last.rolled_back_at!.toISOString()} (the next start applies it again)`;
      throw new CommandError(
        `${state}; ${unfinished.length ? `unfinished: ${unfinished.join(', ')}` : 'no migration is unfinished there'}`,
      );
    }
    // Between the check and the update, another process may have settled it: the update says.
    if (!(await resolveMigration((sql) => prisma.$executeRawUnsafe(sql), name, as)))
      throw new CommandError(`${name} was settled meanwhile by another process: nothing changed`);
    io.out(
      as === 'applied'
        ? `${name} is marked applied in ${where}: start the server again.`
        : `${name} is marked rolled back in ${where}: the next start applies it again.`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

async function backupFolder(dataDir: string, env: NodeJS.ProcessEnv): Promise<{ tarball: Buffer; from: string }> {
  if (!existsSync(dataDir)) throw new CommandError(`there is no database in ${dataDir}: check PULSO_DATA_DIR`);
  let database: Awaited<ReturnType<typeof openConfiguredDatabase>>;
  try {
    database = await openConfiguredDatabase(env);
  } catch (error) {
    const inUse = error instanceof CommandError && error.cause instanceof DataFolderInUseError ? error.cause : null;
    if (!inUse) throw error;
    const admin = readLocalAdmin(inUse.dataDir);
    if (!admin || admin.pid !== inUse.holderPid)
      throw new CommandError(
        `the data folder ${inUse.dataDir} is in use by another Pulso process (pid ${inUse.holderPid}), which serves no backup (an import, a command): retry once it has finished, or stop it first (a server still starting serves one once it prints its URL)`,
      );
    return backupThrough({ url: admin.url, key: admin.key });
  }
  try {
    return { tarball: Buffer.from(await (await database.backup!()).arrayBuffer()), from: `PGlite ${dataDir}` };
  } finally {
    await database.close();
  }
}

/** Refuses, before anything is dumped, a FILE whose folder is missing, not a folder, or not writable. */
function writableFolder(file: string, given: string): void {
  const folder = dirname(file);
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    throw new CommandError(`${given}: there is no folder ${folder} to write the backup in`);
  }
  if (!isFolder) throw new CommandError(`${given}: ${folder} is not a folder`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new CommandError(`${given}: the folder ${folder} is not writable by this user`);
  }
}

function serverFromEnv(env: NodeJS.ProcessEnv): { url: string; key: string } {
  const key = env.PULSO_ADMIN_KEY?.trim();
  if (!key)
    throw new CommandError(
      'PULSO_SERVER_URL needs PULSO_ADMIN_KEY, the administrator key that server was started with',
      2,
    );
  return { url: env.PULSO_SERVER_URL!.trim().replace(/\/+$/, ''), key };
}

async function backupThrough(server: { url: string; key: string }): Promise<{ tarball: Buffer; from: string }> {
  let response: Response;
  try {
    response = await fetch(`${server.url}/admin/backup`, {
      headers: { authorization: `Bearer ${server.key}` },
      signal: AbortSignal.timeout(10 * 60_000),
    });
  } catch (error) {
    throw new CommandError(`cannot reach the server at ${server.url}: ${(error as Error).message}`);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    throw new CommandError(
      `the server at ${server.url} refused the backup (${response.status}): ${body.error ?? response.statusText}`,
    );
  }
  return { tarball: Buffer.from(await response.arrayBuffer()), from: `the server at ${server.url}` };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
