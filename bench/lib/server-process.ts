// Contenders run as child processes pinned to the server core. A contender's entry (bench/servers)
// prints `listening <url>` (and `key=<api key>` when it made one) once it serves; anything it prints to stderr is passed through.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onServerCore } from './cpu.ts';

export interface ServerProcess {
  url: string;
  /** An API key the contender created for the benchmark, when it prints one (`key=...`). */
  key?: string;
  /**
   * CPU time the server process has used so far, in seconds (user + system, from /proc): what a
   * burst of load cost the server itself, which a busy machine disturbs far less than req/s.
   * Null where /proc is not there.
   */
  cpuSeconds(): number | null;
  stop(): Promise<void>;
}

// Linux's /proc/<pid>/stat counts in clock ticks, 100 a second on every architecture Node runs on.
const TICKS_PER_SECOND = 100;

function cpuSecondsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, inside parentheses): utime is the 14th
    // field of the line, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * Starts `bench/servers/<entry>` with `env` added; resolves once it listens (60 s at most).
 * `benchDir`: another checkout's bench/ folder, to pair this code against that one in one run.
 */
export function startServer(
  entry: string,
  env: Record<string, string> = {},
  benchDir = fileURLToPath(new URL('..', import.meta.url)),
): Promise<ServerProcess> {
  const [command, args] = onServerCore(process.execPath, ['--import', 'tsx', join(benchDir, 'servers', entry)]);
  const child: ChildProcess = spawn(command, args, {
    cwd: benchDir,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${entry} did not start within 60 s; it printed: ${output.slice(-500)}`));
    }, 60_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      output += chunk;
      const match = /listening (\S+)(?: key=(\S+))?\n/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve({
          url: match[1]!,
          ...(match[2] ? { key: match[2] } : {}),
          cpuSeconds: () => cpuSecondsOf(child.pid),
          stop,
        });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited (${signal ?? code}) before listening; it printed: ${output.slice(-500)}`));
    });
  });
}
