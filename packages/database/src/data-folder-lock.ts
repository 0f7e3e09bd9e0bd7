// PGlite has no lock of its own: two processes on one data folder corrupt it. A lock file beside
// the folder, created atomically and naming its holder's pid, makes a second server fail at once.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export class DataFolderInUseError extends Error {
  /** Who holds the folder, without advice: for callers that say what to do in their own case. */
  readonly holder: string;
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    const holder = `the data folder ${dataDir} is in use by another Pulso process (pid ${holderPid})`;
    super(`${holder}; stop it first or choose another PULSO_DATA_DIR`);
    this.holder = holder;
    this.name = 'DataFolderInUseError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Locks this process holds. A lock file naming our own pid that is not in here was left by an
// earlier process that had the same pid (common in containers, where the server is often pid 1).
const heldHere = new Set<string>();

/** Takes the lock for a data folder; returns the function that releases it. */
export function lockDataFolder(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  if (heldHere.has(lockPath)) throw new DataFolderInUseError(dataDir, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      closeSync(fd);
      heldHere.add(lockPath);
      return () => {
        heldHere.delete(lockPath);
        rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: { pid?: number; host?: string } = {};
      try {
        holder = JSON.parse(readFileSync(lockPath, 'utf8'));
      } catch {
        // A lock file cut short by a crash holds no live process.
      }
      const pid = Number(holder.pid);
      if (holder.host === hostname() && Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
        throw new DataFolderInUseError(dataDir, pid);
      }
      // The holder died without releasing it (kill -9, power loss): the lock is stale.
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`could not lock the data folder ${dataDir}`);
}
