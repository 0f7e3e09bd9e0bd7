// Contenders run as child processes pinned to the server core. A contender's entry (bench/servers)
// prints `listening <url>` (and `key=<api key>` when it made one) once it serves; anything it prints to stderr is passed through.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onServerCore } from './cpu.ts';

export interface ServerProcess {
  url: string;
  /** An API key the contender created for the benchmark, when it prints one (`key=...`). */
  key?: string;
  stop(): Promise<void>;
}

const serversDir = fileURLToPath(new URL('../servers/', import.meta.url));

/** Starts `bench/servers/<entry>` with `env` added; resolves once it listens (60 s at most). */
export function startServer(entry: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const [command, args] = onServerCore(process.execPath, ['--import', 'tsx', `${serversDir}${entry}`]);
  const child: ChildProcess = spawn(command, args, {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
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
        resolve({ url: match[1]!, ...(match[2] ? { key: match[2] } : {}), stop });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited (${signal ?? code}) before listening; it printed: ${output.slice(-500)}`));
    });
  });
}
