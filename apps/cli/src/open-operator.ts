// Chooses how the workspace and key commands reach the database:
// - PULSO_SERVER_URL set: through that server's admin fields, with PULSO_ADMIN_KEY;
// - DATABASE_URL set: PostgreSQL directly (any number of processes share it);
// - a PGlite folder: opened directly when no server holds it; when one does, through that server,
//   with the key it left beside the folder for this start (local-admin-file.ts in @pulso/database).
import { existsSync } from 'node:fs';
import { DataFolderInUseError, readLocalAdmin } from '@pulso/database';
import { CommandError } from './command-error.ts';
import { directOperator } from './direct-operator.ts';
import { openConfiguredDatabase, targetFromEnv } from './open-database.ts';
import type { Operator } from './operator.ts';
import { serverOperator } from './server-operator.ts';

/**
 * `mayCreate`: the command may make a database in a PGlite folder that has none yet (creating a
 * workspace before the first start); the others refuse, so a mistyped PULSO_DATA_DIR is said, not
 * answered with an empty list.
 */
export async function openOperator(
  env: NodeJS.ProcessEnv = process.env,
  { mayCreate = false }: { mayCreate?: boolean } = {},
): Promise<Operator> {
  const serverUrl = env.PULSO_SERVER_URL?.trim();
  if (serverUrl) {
    const adminKey = env.PULSO_ADMIN_KEY?.trim();
    if (!adminKey)
      throw new CommandError(
        'PULSO_SERVER_URL needs PULSO_ADMIN_KEY, the administrator key that server was started with',
        2,
      );
    return serverOperator(serverUrl.replace(/\/+$/, ''), adminKey);
  }
  const target = targetFromEnv(env);
  if (target.kind === 'pglite' && !mayCreate && !existsSync(target.dataDir))
    throw new CommandError(
      `there is no database in ${target.dataDir} yet: check PULSO_DATA_DIR (or DATABASE_URL), or create a workspace first`,
    );
  try {
    return directOperator(await openConfiguredDatabase(env));
  } catch (error) {
    const inUse = error instanceof CommandError && error.cause instanceof DataFolderInUseError ? error.cause : null;
    if (!inUse) throw error;
    const admin = readLocalAdmin(inUse.dataDir);
    if (!admin || admin.pid !== inUse.holderPid)
      throw new CommandError(
        `the data folder ${inUse.dataDir} is held by process ${inUse.holderPid}, which left no way in: if it is a server still starting, retry once it prints its URL; otherwise stop it first`,
      );
    return serverOperator(admin.url, admin.key, `the server holding ${inUse.dataDir} (${admin.url}, pid ${admin.pid})`);
  }
}
