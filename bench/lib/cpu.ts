// Core pinning: servers on core 0, the load generator (this process) on core 1, so that the two
// do not compete for one core and a contender's figure is its own. Without taskset or a second
// core the suite still runs, with a warning that its figures mix both sides.
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';

export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

let pinning: boolean | undefined;

/** Whether processes can be pinned here (taskset present, two cores or more); warns once when not. */
export function canPin(): boolean {
  if (pinning !== undefined) return pinning;
  let reason = '';
  if (availableParallelism() < 2) reason = `only ${availableParallelism()} core`;
  else {
    try {
      execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    } catch {
      reason = 'taskset is not installed (Debian: apt-get install util-linux)';
    }
  }
  pinning = reason === '';
  if (!pinning)
    console.warn(`warning: not pinning processes to cores (${reason}): servers and load generator share the CPU`);
  return pinning;
}

/** Pins the running process (the load generator) to its core. */
export function pinSelfToLoadCore(): void {
  if (canPin()) execFileSync('taskset', ['-cp', String(LOAD_CORE), String(process.pid)], { stdio: 'ignore' });
}

/** The command line that runs `command args` pinned to the server core, when pinning is possible. */
export function onServerCore(command: string, args: string[]): [string, string[]] {
  return canPin() ? ['taskset', ['-c', String(SERVER_CORE), command, ...args]] : [command, args];
}

/**
 * Runs `start` (which spawns processes) with this process unpinned, then pins it back: what it
 * spawns may use every core. For a browser, whose work (not the harness's) a benchmark measures.
 */
export async function spawnOnAllCores<T>(start: () => Promise<T>): Promise<T> {
  if (!canPin()) return start();
  // cpus(), not availableParallelism(): once pinned, this process sees one core available.
  execFileSync('taskset', ['-cp', `0-${cpus().length - 1}`, String(process.pid)], { stdio: 'ignore' });
  try {
    return await start();
  } finally {
    pinSelfToLoadCore();
  }
}
