// A company's first steps on a fresh PGlite folder, as processes: the server starts without the
// demo and says how to create a workspace (banner and page at `/`); `pulso workspace create`, run
// while the server holds the folder, goes through that server and prints keys that work at once;
// once the server stops, the command opens the folder itself. `pulso db backup`, run while the
// server holds the folder and writes keep arriving, goes through it too: the backup, restored into
// a new folder, holds every write acknowledged before the command started, and a restore over the
// folder in use is refused. One server start.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '@pulso/database';
import {
  CLI_ENTRY,
  freePort,
  graphql,
  NODE_FLAGS,
  repoRoot,
  startServer,
  type ServerProcess,
} from './support/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulso-operator-'));
const dataDir = join(dir, 'data');
let server: ServerProcess | undefined;

afterAll(async () => {
  if (server && server.child.exitCode === null) await server.stop('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

function pulso(args: string[], folder = dataDir): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...NODE_FLAGS, CLI_ENTRY, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PULSO_DATA_DIR: folder },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

it('creates a workspace through the running server, then on the folder itself once it stops', async () => {
  server = await startServer({ PULSO_DATA_DIR: dataDir, PORT: String(await freePort()), PULSO_SEED_DEMO: 'false' });
  const command = `PULSO_DATA_DIR=${JSON.stringify(dataDir)} npm run pulso -- workspace create --name "Your company"`;
  expect(server.output()).toContain(
    `No workspace yet. Create your company's workspace and its keys with:\n  ${command}`,
  );
  expect(server.output()).not.toContain('demo page');
  const page = await fetch(`${server.url}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain(command);

  const created = await pulso(['workspace', 'create', '--name', 'Acme']);
  expect(created.stderr).toBe('');
  expect(created.code).toBe(0);
  expect(created.stdout).toContain(`curl -s ${server.url}/graphql`);
  const secretKey = /secret: +(pulso_sk_\w+)/.exec(created.stdout)![1]!;
  const asked = await graphql(server.url, '{ workspace { slug name customerCount } }', secretKey);
  expect(asked.body.errors).toBeUndefined();
  expect(asked.body.data.workspace).toEqual({ slug: 'acme', name: 'Acme', customerCount: 0 });

  await backUpUnderWriteLoad(server.url, secretKey);

  const refused = await pulso(['key', 'create', '--workspace', 'globex', '--kind', 'secret']);
  expect([refused.code, refused.stderr.trim()]).toEqual([1, 'pulso key: workspace: no workspace "globex"']);

  expect(await server.stop('SIGTERM')).toBe(0);
  expect(existsSync(`${dataDir}.admin.json`)).toBe(false);
  const listed = await pulso(['workspace', 'list', '--json']);
  expect(listed.code).toBe(0);
  expect(JSON.parse(listed.stdout)).toMatchObject([{ slug: 'acme', name: 'Acme', activeApiKeys: 2 }]);
});

const RECORD = `mutation ($input: RecordInteractionInput!) {
  recordInteraction(input: $input) { __typename ... on UserError { message } }
}`;

/** Writes from four clients at once; backs up through the server meanwhile; restores into a new folder and checks it. */
async function backUpUnderWriteLoad(url: string, secretKey: string) {
  const acknowledged: string[] = [];
  let writing = true;
  let sent = 0;
  let failure: Error | undefined;
  const writers = Array.from({ length: 4 }, async () => {
    while (writing && !failure) {
      const idempotencyKey = `load-${sent++}`;
      const { body } = await graphql(url, RECORD, secretKey, {
        input: { customer: { externalId: `c-${sent % 7}`, name: 'Loaded' }, type: 'meeting', idempotencyKey },
      });
      if (body.data?.recordInteraction?.__typename === 'RecordedInteraction') acknowledged.push(idempotencyKey);
      else failure ??= new Error(`write refused: ${JSON.stringify(body)}\n${server?.output()}`);
    }
  });
  while (acknowledged.length < 20 && !failure) await new Promise((resolve) => setTimeout(resolve, 20));
  if (failure) throw failure;
  const before = [...acknowledged];
  const file = join(dir, 'pulso.backup.tar.gz');
  const backedUp = await pulso(['db', 'backup', file]);
  const duringBackup = acknowledged.length - before.length;
  writing = false;
  await Promise.all(writers);
  expect(backedUp.stderr).toBe('');
  expect(backedUp.code).toBe(0);
  expect(backedUp.stdout).toMatch(new RegExp(`^Backed up the server at ${url} to ${file} \\([\\d.]+ [KM]B\\)\\.`));
  expect(duringBackup, 'writes went on while the backup ran').toBeGreaterThan(0);
  expect((await pulso(['db', 'backup', file])).stderr).toContain('already exists');

  // The folder the server holds is not replaced under it.
  const overInUse = await pulso(['db', 'restore', file]);
  expect(overInUse.code).toBe(1);
  expect(overInUse.stderr).toContain('is in use by another Pulso process');

  const restoredDir = join(dir, 'restored');
  const restored = await pulso(['db', 'restore', file], restoredDir);
  expect(restored.stderr).toBe('');
  expect(restored.stdout).toContain(`Restored ${file} into ${restoredDir}.`);
  const database = await openDatabase({ kind: 'pglite', dataDir: restoredDir });
  try {
    const found = await database.prisma.interaction.findMany({
      where: { idempotencyKey: { in: before } },
      select: { idempotencyKey: true },
    });
    expect(found.map((i) => i.idempotencyKey).sort()).toEqual([...before].sort());
    expect(await database.prisma.workspace.count({ where: { slug: 'acme' } })).toBe(1);
  } finally {
    await database.close();
  }
  console.info(
    `backup under load: ${before.length} writes acknowledged before it, ${duringBackup} during it; all ${before.length} restored`,
  );
}
