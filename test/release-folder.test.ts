// The release folder the Dockerfile builds (scripts/assemble-release.mjs, after `npm run build`),
// run as production runs it: outside the checkout, with no node_modules of the repository around,
// no TypeScript loader and no code generation. The server starts on an embedded database without
// a workspace (migrated beforehand from the tests' template: migrating at start is
// server-lifecycle's and migration-interruption's), says it is ready and serves the widgets; the `pulso` command of the same folder
// creates a workspace through it, and that workspace's key answers. On two Nodes: the one running
// the tests, and the one the production image runs (support/image-node.ts), fetched once.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { openMigratedPGliteFolder } from '@pulso/database/testing';
import { dockerfileNodeMajors, IMAGE_NODE_RUNS_HERE, IMAGE_NODE_VERSION, imageNode } from './support/image-node.ts';
import { freePort, graphql, repoRoot } from './support/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulso-release-'));
const release = join(dir, 'pulso');
let server: ReturnType<typeof spawn> | undefined;

beforeAll(() => {
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'assemble-release.mjs'), release], { stdio: 'ignore' });
});
afterEach(() => {
  server?.kill('SIGKILL');
  server = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(node: string, dataDir: string, args: string[]): { code: number; output: string } {
  try {
    const output = execFileSync(node, args, {
      cwd: release,
      env: { PATH: process.env.PATH ?? '', PULSO_DATA_DIR: dataDir },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, output: failed.stdout + failed.stderr };
  }
}

it("names one Node major in the Dockerfile, the image's Node the tests run", () => {
  expect(new Set(dockerfileNodeMajors())).toEqual(new Set([Number(IMAGE_NODE_VERSION.split('.')[0])]));
});

const RUNTIMES = [
  { id: 'tests', name: `the tests' Node (${process.version})`, node: () => process.execPath },
  // Linux only: the image's binary runs nowhere else (CI and Pulso's machines are Linux).
  ...(IMAGE_NODE_RUNS_HERE
    ? [{ id: 'image', name: `the image's Node (v${IMAGE_NODE_VERSION})`, node: imageNode }]
    : []),
];

it.each(RUNTIMES)('runs the server and the pulso command from the release folder alone, on $name', async (runtime) => {
  const node = runtime.node();
  const dataDir = join(dir, `data-${runtime.id}`);
  await (await openMigratedPGliteFolder(dataDir)).close();

  const port = await freePort();
  const started = performance.now();
  server = spawn(node, ['apps/server/dist/main.mjs'], {
    cwd: release,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      PULSO_DATA_DIR: dataDir,
      PULSO_MAX_EVENT_LOOP_DELAY_MS: '0',
      // Off by default in production; on here to check its assets come from the release folder too.
      PULSO_GRAPHIQL: 'true',
      // Shared state as several instances run it (the tests' Redis, keys of their own).
      REDIS_URL: 'redis://127.0.0.1:6379',
      PULSO_REDIS_PREFIX: `pulso-release-${runtime.id}-${process.pid}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout!.on('data', (chunk) => (output += chunk));
  server.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not listening after 60 s:\n${output}`)), 60_000);
    server!.stdout!.on('data', () => {
      if (output.includes('GraphQL:')) {
        clearTimeout(timer);
        resolve();
      }
    });
    server!.on('exit', (code) => reject(new Error(`exited (${code}):\n${output}`)));
  });
  // A figure for the note, not a check: timing depends on the machine.
  console.info(
    `release folder on ${runtime.name}: start listening after ${Math.round(performance.now() - started)} ms`,
  );
  expect(output).toContain('No workspace yet');

  const ready = await fetch(`${url}/readyz`);
  expect(ready.status).toBe(200);
  const { version } = (await ready.json()) as { version: string };
  expect(run(node, dataDir, ['apps/cli/dist/pulso.mjs', '--version']).output.trim()).toBe(version);
  expect((await fetch(`${url}/widgets/pulso.js`)).status).toBe(200);
  const graphiql = await (await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } })).text();
  expect(graphiql).toContain('/graphiql/graphiql.js');
  for (const asset of ['graphiql.js', 'graphiql.css', 'editor.worker.js', 'json.worker.js', 'graphql.worker.js'])
    expect((await fetch(`${url}/graphiql/${asset}`)).status, asset).toBe(200);

  const created = run(node, dataDir, ['apps/cli/dist/pulso.mjs', 'workspace', 'create', '--name', 'Release check']);
  expect(created.code, created.output).toBe(0);
  const secret = /pulso_sk_\w+/.exec(created.output)?.[0];
  expect(secret, created.output).toBeDefined();
  const { status, body } = await graphql(url, '{ workspace { name customerCount } }', secret);
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  expect(body.data).toEqual({ workspace: { name: 'Release check', customerCount: 0 } });
  // Nothing on stderr but Pulso's own lines: a newer Node's deprecation warnings (ioredis reading
  // REDIS_URL with url.parse() printed DEP0169 on Node 24) are a first line no operator should see.
  expect(output).not.toMatch(/Warning:/);
});
