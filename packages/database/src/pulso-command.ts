// The `pulso` command as an operator types it where this code runs, for the hints Pulso prints (an
// unfinished migration's advice, the start banner, the command's own notes). A checkout has
// scripts/pulso.mjs, behind `npm run pulso -- …`; a release folder (scripts/assemble-release.mjs:
// the Docker image, the systemd unit) has neither scripts nor a package manager, and runs the
// compiled command with Node, as the README says: `node /opt/pulso/apps/cli/dist/pulso.mjs …`.
// Which one is read off the files, found like Pulso's version (@pulso/version): from this module up
// to the package.json named "pulso", the same from the sources and from either bundle.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseTarget } from './database.ts';

export interface PulsoInstall {
  /** A checkout (scripts/pulso.mjs present), rather than a release folder. */
  checkout: boolean;
  /** What comes before the command's arguments: `npm run pulso --`, or `node <folder>/apps/cli/dist/pulso.mjs`. */
  invocation: string;
}

/** The install the folder `from` belongs to (the folder holding the package.json named "pulso", or one under it). */
export function pulsoInstallAt(from: string): PulsoInstall {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && readName(file) === 'pulso') {
      if (existsSync(join(dir, 'scripts', 'pulso.mjs'))) return CHECKOUT;
      // Absolute: the operator's shell is rarely in the release folder (systemd's WorkingDirectory).
      return { checkout: false, invocation: `node ${shellWord(join(dir, 'apps', 'cli', 'dist', 'pulso.mjs'))}` };
    }
    // Not inside an install (a consumer bundling this package): the documented command.
    if (dirname(dir) === dir) return CHECKOUT;
  }
}

const CHECKOUT: PulsoInstall = { checkout: true, invocation: 'npm run pulso --' };

let here: PulsoInstall | undefined;

/** The install this process runs from. */
export function pulsoInstall(): PulsoInstall {
  here ??= pulsoInstallAt(dirname(fileURLToPath(import.meta.url)));
  return here;
}

/**
 * `pulso <args>` as typed where this process runs; given the database a server uses, with the
 * setting the command must share with it (it opens the same database, or asks the server holding
 * a PGlite folder). A release names the folder even when PULSO_DATA_DIR is unset: its default is
 * relative to the directory the server was started from, which the operator's shell seldom is.
 */
export function pulsoCommand(
  args: string,
  database?: DatabaseTarget,
  env: NodeJS.ProcessEnv = process.env,
  install: PulsoInstall = pulsoInstall(),
): string {
  let setting = '';
  if (database?.kind === 'postgres') setting = 'DATABASE_URL=<the same as the server> ';
  else if (database && (env.PULSO_DATA_DIR?.trim() || !install.checkout))
    setting = `PULSO_DATA_DIR=${JSON.stringify(database.dataDir)} `;
  return `${setting}${install.invocation} ${args}`;
}

function readName(file: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** A path as one shell word: quoted only when it holds more than letters, digits and `/._-`. */
function shellWord(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : JSON.stringify(path);
}
