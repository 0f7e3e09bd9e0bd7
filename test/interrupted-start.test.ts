// A server killed during its first start (while seeding the demo) starts cleanly next time, with
// a complete demo rather than a half-written one.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openMigratedPGliteFolder } from '@pulso/database/testing';
import {
  DEMO_SECRET_KEY,
  freePort,
  graphql,
  NODE_FLAGS,
  repoRoot,
  SERVER_ENTRY,
  startServer,
} from './support/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulso-interrupted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('recovers from a kill -9 in the middle of seeding the demo', async () => {
  // The folder is already migrated, as a start killed after its migrations leaves it: seeding is
  // what this test interrupts (kills during initdb and migrations: migration-interruption.test.ts).
  await (await openMigratedPGliteFolder(join(dir, 'data'))).close();
  const env = {
    PULSO_DATA_DIR: join(dir, 'data'),
    PORT: String(await freePort()),
    PULSO_DEMO_SECRET_KEY: DEMO_SECRET_KEY,
    LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, [...NODE_FLAGS, SERVER_ENTRY], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      // Interactions are stored, scores are not: the demo is half written.
      if (output.includes('stored') && child.exitCode === null) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', () => reject(new Error(`the server finished before it could be interrupted:\n${output}`)));
  }).catch((error) => {
    if (child.exitCode === null && child.signalCode === null) throw error;
  });
  await exited;
  expect(output).not.toContain('GraphQL:');

  const server = await startServer(env);
  try {
    expect(server.output()).toContain('Discarded a demo workspace left unfinished by an interrupted start.');
    expect(server.output()).toContain('Demo workspace ready');
    const { body } = await graphql(
      server.url,
      '{ workspace { name customerCount } customers(first: 1) { totalCount edges { node { score } } } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.workspace.customerCount).toBe(body.data.customers.totalCount);
    expect(body.data.customers.edges[0].node.score).not.toBeNull();
  } finally {
    expect(await server.stop('SIGTERM')).toBe(0);
  }
});
