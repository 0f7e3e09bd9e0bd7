import { resolve } from 'node:path';
import type { DatabaseTarget } from './database.ts';

export const DEFAULT_DATA_DIR = '.pulso/data';

/**
 * The database the environment asks for: PostgreSQL when DATABASE_URL is set, otherwise PGlite in
 * PULSO_DATA_DIR (default `.pulso/data`, relative to the directory the command was started from).
 */
export function databaseTargetFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  cwd = env.INIT_CWD ?? process.cwd(),
): DatabaseTarget {
  const url = env.DATABASE_URL?.trim();
  if (url) return { kind: 'postgres', url };
  const dataDir = env.PULSO_DATA_DIR?.trim() || DEFAULT_DATA_DIR;
  return { kind: 'pglite', dataDir: dataDir.startsWith('memory://') ? dataDir : resolve(cwd, dataDir) };
}
