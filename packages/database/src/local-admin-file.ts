// How the `pulso` command reaches a server that holds a PGlite folder (PGlite serves one process
// at a time, so the command cannot open the folder beside it): the server leaves, beside the
// folder and its lock, a file naming its loopback URL and an administrator key made for this
// start, readable by its own user only. Whoever can read it could open the folder itself, so it
// grants nothing more. The server removes it when it stops; one left by a killed server names a
// pid that no longer holds the lock, and is ignored.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

export interface LocalAdmin {
  pid: number;
  /** The server's URL on loopback, e.g. http://127.0.0.1:4000. */
  url: string;
  /** A pulso_ak_ key the server accepts until it stops. */
  key: string;
}

export function localAdminPath(dataDir: string): string {
  return `${dataDir}.admin.json`;
}

/** Writes the file whole (a reader never sees half of it), readable by this user only. */
export function writeLocalAdmin(dataDir: string, admin: LocalAdmin): void {
  const path = localAdminPath(dataDir);
  const partial = `${path}.${process.pid}`;
  writeFileSync(partial, JSON.stringify(admin), { mode: 0o600 });
  renameSync(partial, path);
}

/** The file's content, or null when there is none (or it is not one Pulso wrote). */
export function readLocalAdmin(dataDir: string): LocalAdmin | null {
  try {
    const parsed = JSON.parse(readFileSync(localAdminPath(dataDir), 'utf8')) as Partial<LocalAdmin>;
    if (typeof parsed.pid !== 'number' || typeof parsed.url !== 'string' || typeof parsed.key !== 'string') return null;
    return { pid: parsed.pid, url: parsed.url, key: parsed.key };
  } catch {
    return null;
  }
}

export function removeLocalAdmin(dataDir: string): void {
  rmSync(localAdminPath(dataDir), { force: true });
}
