// What an instance without any workspace tells its operator, in the start banner and on the demo
// page alike: the exact command that creates one, with the database setting the command must
// share with the server (it opens the same database, or asks this server when it holds a PGlite folder).
import type { DatabaseTarget } from '@pulso/database';

export function createWorkspaceCommand(database: DatabaseTarget, env: NodeJS.ProcessEnv = process.env): string {
  return pulsoCommand(database, 'workspace create --name "Your company"', env);
}

/** `npm run pulso -- <args>`, with the database setting the command must share with this server. */
export function pulsoCommand(database: DatabaseTarget, args: string, env: NodeJS.ProcessEnv = process.env): string {
  const setting =
    database.kind === 'postgres'
      ? 'DATABASE_URL=<the same as the server> '
      : env.PULSO_DATA_DIR?.trim()
        ? `PULSO_DATA_DIR=${JSON.stringify(database.dataDir)} `
        : '';
  return `${setting}npm run pulso -- ${args}`;
}

export function firstWorkspaceHint(database: DatabaseTarget, env: NodeJS.ProcessEnv = process.env): string {
  return `No workspace yet. Create your company's workspace and its keys with:\n  ${createWorkspaceCommand(database, env)}`;
}
