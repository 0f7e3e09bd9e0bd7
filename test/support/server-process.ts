// Runs Pulso the way `npm start` does — its own Node process, its own port — so tests see exactly
// what a user sees: the printed lines, the exit code, the HTTP answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * The compiled server and `pulso` command (scripts/build.mjs), as a production start runs them:
 * built once per run by this project's global setup (build-once.ts). A start then costs a second of
 * CPU instead of the several seconds tsx spends compiling the sources.
 */
export const SERVER_ENTRY = join(repoRoot, 'apps', 'server', 'dist', 'main.mjs');
export const CLI_ENTRY = join(repoRoot, 'apps', 'cli', 'dist', 'pulso.mjs');

/**
 * Node flags of every server and `pulso` process the tests start: V8 runs PGlite's WebAssembly
 * (PostgreSQL) with its baseline compiler only. By default it also recompiles the busiest functions
 * with its optimizing compiler on other threads, which pays off in a server that runs for days, not
 * in one that lives for seconds: a start took about 1.8 CPU-seconds, 0.85 with the flag, and
 * seeding the demo 6.5 against 5.1, no slower. The code run is the same; production keeps the default.
 */
export const NODE_FLAGS = ['--liftoff-only'];

export const DEMO_SECRET_KEY = 'pulso_sk_testDemoSecret000000000000001';
export const DEMO_PUBLISHABLE_KEY = 'pulso_pk_testDemoPublishable0000000001';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Sends a signal and resolves with the exit code (or the signal that ended it). */
  stop(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Servers still running when their test file ends are killed then, and none starts after: a test
 * that timed out goes on in the background, and the servers it leaves or starts would take the CPU
 * from every file after it. The project's setup file (per-file.ts) calls these around each file:
 * its files share a worker's modules (vitest.config.ts), so this module's state outlives a file.
 */
const running = new Set<ChildProcess>();
let fileDone = false;

export function allowServerStarts(): void {
  fileDone = false;
}

export function killServersLeftRunning(): void {
  fileDone = true;
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

function launch(env: Record<string, string>) {
  if (fileDone) throw new Error('the test file has finished: no server starts after it');
  const child = spawn(process.execPath, [...NODE_FLAGS, SERVER_ENTRY], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LOG_LEVEL: 'warn',
      // Shedding on event-loop delay is off unless a test sets it: on a busy shared machine a
      // server's loop lags through no fault of its own, and a 503 would fail a test about something
      // else. Shedding itself is proven by http/load-shedding.test.ts and overload.test.ts.
      PULSO_MAX_EVENT_LOOP_DELAY_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal!)),
  );
  return { child, exited, output: () => output };
}

/** Runs a server that is expected to refuse to start; resolves with its exit code and output. */
export async function runToExit(
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number | NodeJS.Signals; output: string }> {
  const run = launch(env);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
  const code = await run.exited;
  clearTimeout(timer);
  return { code, output: run.output() };
}

/** Starts a server and waits until it prints its GraphQL URL. */
export async function startServer(env: Record<string, string>, timeoutMs = 90_000): Promise<ServerProcess> {
  const run = launch(env);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not left running: it would take the CPU from every test after this one.
      run.child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${run.output()}`));
    }, timeoutMs);
    const check = () => {
      const match = /GraphQL:\s+(http:\/\/\S+)\/graphql/.exec(run.output());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    run.child.stdout!.on('data', check);
    void run.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before starting:\n${run.output()}`));
    });
  });
  return {
    child: run.child,
    url,
    output: run.output,
    stop: async (signal = 'SIGTERM') => {
      run.child.kill(signal);
      return run.exited;
    },
  };
}

export async function graphql(
  url: string,
  query: string,
  key: string = DEMO_SECRET_KEY,
  variables?: Record<string, unknown>,
) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: { message: string }[] } };
}
