// `npm start` (scripts/pulso.mjs start) as a process: a signal that ends it (SIGHUP: the terminal
// closed) is passed on to the server it started, and it ends with the server's code, instead of
// leaving the server under init holding its port and data folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'pulso-launcher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('passes SIGHUP on to the server it started, and ends with its code', async () => {
  const launcher = spawn(process.execPath, [join(repoRoot, 'scripts', 'pulso.mjs'), 'start'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '4863',
      PULSO_DATA_DIR: join(dir, 'data'),
      PULSO_SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  launcher.stdout.on('data', (chunk) => (output += chunk));
  launcher.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => launcher.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start in 90 s:\n${output}`)), 90_000);
    launcher.stdout.on('data', () => {
      if (output.includes('GraphQL:')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const { execFileSync } = await import('node:child_process');
  const server = Number(
    execFileSync('ps', ['-o', 'pid=', '--ppid', String(launcher.pid)], { encoding: 'utf8' }).trim(),
  );
  expect(alive(server)).toBe(true);
  launcher.kill('SIGHUP');
  expect(await exited).toBe(129);
  expect(alive(server)).toBe(false);
}, 120_000);
