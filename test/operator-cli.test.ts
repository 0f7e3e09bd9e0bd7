// A company's first steps on a fresh PGlite folder, as processes: the server starts without the
// demo and says how to create a workspace (banner and page at `/`); `pulso workspace create`, run
// while the server holds the folder, goes through that server and prints keys that work at once;
// once the server stops, the command opens the folder itself. One server start, three commands.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CLI_ENTRY, freePort, graphql, repoRoot, startServer, type ServerProcess } from './support/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulso-operator-'));
const dataDir = join(dir, 'data');
let server: ServerProcess | undefined;

afterAll(async () => {
  if (server && server.child.exitCode === null) await server.stop('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

function pulso(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PULSO_DATA_DIR: dataDir },
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

  const refused = await pulso(['key', 'create', '--workspace', 'globex', '--kind', 'secret']);
  expect([refused.code, refused.stderr.trim()]).toEqual([1, 'pulso key: workspace: no workspace "globex"']);

  expect(await server.stop('SIGTERM')).toBe(0);
  expect(existsSync(`${dataDir}.admin.json`)).toBe(false);
  const listed = await pulso(['workspace', 'list', '--json']);
  expect(listed.code).toBe(0);
  expect(JSON.parse(listed.stdout)).toMatchObject([{ slug: 'acme', name: 'Acme', activeApiKeys: 2 }]);
});
