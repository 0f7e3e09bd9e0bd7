// What an instance without any workspace tells its operator, in the start banner and on the demo
// page alike: the exact command that creates one, as typed where this server runs (`npm run pulso`
// in a checkout, Node and the release folder's compiled command elsewhere: @pulso/database's
// pulsoCommand), with the database setting the command must share with the server (it opens the
// same database, or asks this server when it holds a PGlite folder).
import { type DatabaseTarget, pulsoCommand as pulsoCommandHere } from '@pulso/database';

export function createWorkspaceCommand(database: DatabaseTarget, env: NodeJS.ProcessEnv = process.env): string {
  return pulsoCommand(database, 'workspace create --name "Your company"', env);
}

/** `pulso <args>` as typed where this server runs, with the database setting the command must share with it. */
export function pulsoCommand(database: DatabaseTarget, args: string, env: NodeJS.ProcessEnv = process.env): string {
  return pulsoCommandHere(args, database, env);
}

export function firstWorkspaceHint(database: DatabaseTarget, env: NodeJS.ProcessEnv = process.env): string {
  return `No workspace yet. Create your company's workspace and its keys with:\n  ${createWorkspaceCommand(database, env)}`;
}
