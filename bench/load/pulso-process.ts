// Pulso as production runs it — the compiled server (scripts/build.mjs, built once per run) in its
// own Node process — pinned to the server core. Rate limits are off for the run: they would refuse a load generator that sends
// everything from one address, and what is measured is capacity, not budgets. Load shedding keeps
// its defaults unless PULSO_MAX_REQUESTS_IN_FLIGHT / PULSO_MAX_EVENT_LOOP_DELAY_MS are set for the
// script; every 503 is reported.
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onServerCore } from '../lib/cpu.ts';

export const SECRET_KEY = 'pulso_sk_loadScriptSecret00000000000001';
export const PUBLISHABLE_KEY = 'pulso_pk_loadScriptPublishable000000001';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface PulsoProcess {
  url: string;
  pid: number;
  /** Lines the server logged at level error or fatal so far (pino levels 50, 60). */
  errorLogs(): string[];
  /** SIGTERM (a clean shutdown: requests in flight finish, PGlite flushes); resolves with the exit code. */
  stop(): Promise<number | string>;
}

export const RUN_ENV = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  PORT: '0',
  HOST: '127.0.0.1',
  PULSO_SEED_DEMO: 'true',
  PULSO_DEMO_SECRET_KEY: SECRET_KEY,
  PULSO_DEMO_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
  // No scheduled rescoring in the middle of a measurement.
  PULSO_RESCORE_INTERVAL_MINUTES: '0',
  PULSO_RATE_LIMIT_PER_KEY: '0',
  PULSO_RATE_LIMIT_PER_ADDRESS: '0',
  PULSO_RATE_LIMIT_PER_CUSTOMER_TOKEN: '0',
} as const;

/** Load-shedding variables of this process passed on to the server, to measure with other limits (or none: 0). */
export const SHEDDING_VARIABLES = ['PULSO_MAX_REQUESTS_IN_FLIGHT', 'PULSO_MAX_EVENT_LOOP_DELAY_MS'] as const;
export function sheddingEnv(): Record<string, string> {
  return Object.fromEntries(
    SHEDDING_VARIABLES.filter((name) => process.env[name]).map((name) => [name, process.env[name]!]),
  );
}

let built = false;
function buildOnce() {
  if (!built) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  built = true;
}

export function startPulso(
  database: Record<string, string>,
  { build = true, timeoutMs = 180_000 } = {},
): Promise<PulsoProcess> {
  if (build) buildOnce();
  const [command, args] = onServerCore(process.execPath, ['apps/server/dist/main.mjs']);
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...RUN_ENV, ...sheddingEnv(), ...database },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const errorLogs: string[] = [];
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    if (output.length < 100_000) output += chunk;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) if (/"level":(50|60)\b/.test(line)) errorLogs.push(line);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    process.stderr.write(chunk);
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Pulso did not start within ${timeoutMs / 1000} s:\n${output.slice(-1000)}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`Pulso exited (${code}) before listening:\n${output.slice(-1000)}`));
    });
    const listening = () => {
      const match = /GraphQL:\s+(http:\/\/\S+)\/graphql/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', listening);
      resolve({
        url: match[1]!,
        pid: child.pid!,
        errorLogs: () => errorLogs,
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return exited;
          child.kill('SIGTERM');
          const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
          const code = await exited;
          clearTimeout(kill);
          return code;
        },
      });
    };
    child.stdout.on('data', listening);
  });
}
