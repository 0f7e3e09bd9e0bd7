// A second `npm start` on a checkout whose server runs is refused before it installs, generates or
// builds anything (scripts/start-guard.mjs): on the data folder the running server holds, and on
// its port. scripts/pulso.mjs runs from a copy of the repository's scripts in an empty folder, so
// a guard that let the start through would show there (a .pulso stamp, a node_modules) instead of
// rewriting this checkout under the tests.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openMigratedPGliteFolder } from '@pulso/database/testing';
import { freePort, repoRoot, startServer, type ServerProcess } from './support/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulso-second-start-'));
const dataDir = join(dir, 'data');
const checkout = join(dir, 'checkout');
let server: ServerProcess;

beforeAll(async () => {
  mkdirSync(join(checkout, 'scripts'), { recursive: true });
  for (const file of ['pulso.mjs', 'fingerprints.mjs', 'start-guard.mjs'])
    cpSync(join(repoRoot, 'scripts', file), join(checkout, 'scripts', file));
  cpSync(join(repoRoot, 'package.json'), join(checkout, 'package.json'));
  await (await openMigratedPGliteFolder(dataDir)).close();
  server = await startServer({ PULSO_DATA_DIR: dataDir, PORT: String(await freePort()), PULSO_SEED_DEMO: 'false' });
});
afterAll(async () => {
  if (server && server.child.exitCode === null) await server.stop('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string; ms: number }> {
  const began = Date.now();
  const child = spawn(process.execPath, [join(checkout, 'scripts', 'pulso.mjs'), 'start'], {
    cwd: checkout,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr, ms: Date.now() - began })));
}

it('is refused on the folder or the port a running server holds, before touching the checkout', async () => {
  const pid = server.child.pid;
  const onFolder = await start({ PULSO_DATA_DIR: dataDir, PORT: String(await freePort()) });
  expect([onFolder.code, onFolder.stderr]).toEqual([
    1,
    `pulso: the data folder ${dataDir} is in use by another Pulso process (pid ${pid}); stop it first or choose another PULSO_DATA_DIR\n`,
  ]);

  const port = new URL(server.url).port;
  const onPort = await start({ PULSO_DATA_DIR: join(dir, 'other'), PORT: port });
  expect([onPort.code, onPort.stderr]).toEqual([1, `pulso: PORT: ${port} is already in use on 127.0.0.1\n`]);

  // Nothing was installed, generated, built or stamped.
  expect(readdirSync(checkout).sort()).toEqual(['package.json', 'scripts']);
  expect(existsSync(join(dir, 'other'))).toBe(false);
  console.info(`refused in ${onFolder.ms} ms (folder) and ${onPort.ms} ms (port)`);
});
