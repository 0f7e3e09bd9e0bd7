// The release folder the Dockerfile builds (scripts/assemble-release.mjs, after `npm run build`),
// run as production runs it: outside the checkout, with no node_modules of the repository around,
// no TypeScript loader and no code generation. The server starts on an embedded database without
// a workspace (migrated beforehand from the tests' template: migrating at start is
// server-lifecycle's and migration-interruption's), says it is ready and serves the widgets; the `pulso` command of the same folder
// creates a workspace through it, and that workspace's key answers. On two Nodes: the one running
// the tests, and the one the production image runs (support/image-node.ts), fetched once. Every
// command the folder prints is one that works there (it has no scripts/ and no `npm run pulso`):
// the banner's, the command's own, and the one a start refused by an unfinished migration names,
// which is run as printed before the next start (on PostgreSQL, whose start never settles it
// itself, and on PGlite, changed by hand so that its start cannot tell).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readMigrations } from '@pulso/database';
import {
  createMigratedTestPostgresDatabase,
  openMigratedPGliteFolder,
  type TestPostgresDatabase,
} from '@pulso/database/testing';
import { dockerfileNodeMajors, IMAGE_NODE_RUNS_HERE, IMAGE_NODE_VERSION, imageNode } from './support/image-node.ts';
import { freePort, graphql, repoRoot } from './support/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulso-release-'));
const release = join(dir, 'pulso');
/** How the release folder's hints name its command: Node and its absolute path (README, "Production build"). */
const cli = `node ${join(release, 'apps', 'cli', 'dist', 'pulso.mjs')}`;
/** A text as a regular expression that matches it alone. */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
let server: ReturnType<typeof spawn> | undefined;

beforeAll(() => {
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'assemble-release.mjs'), release], { stdio: 'ignore' });
});
afterEach(() => {
  server?.kill('SIGKILL');
  server = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs Node with `args` in the release folder: its exit code, its stdout, and both streams as they came. */
function run(
  node: string,
  dataDir: string,
  args: string[],
  env: Record<string, string> = { PULSO_DATA_DIR: dataDir },
): { code: number; stdout: string; output: string } {
  const ran = spawnSync(node, args, {
    cwd: release,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: ran.status ?? 1, stdout: ran.stdout, output: ran.stdout + ran.stderr };
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
  const createCommand = `PULSO_DATA_DIR=${JSON.stringify(dataDir)} ${cli} workspace create --name "Your company"`;
  expect(output).toContain(`No workspace yet. Create your company's workspace and its keys with:\n  ${createCommand}`);
  expect(output).not.toContain('npm run');
  expect(await (await fetch(`${url}/`)).text()).toContain(createCommand);

  const ready = await fetch(`${url}/readyz`);
  expect(ready.status).toBe(200);
  const { version } = (await ready.json()) as { version: string };
  // The whole of stdout: the version and its line's end.
  expect(run(node, dataDir, ['apps/cli/dist/pulso.mjs', '--version'])).toEqual({
    code: 0,
    stdout: `${version}\n`,
    output: `${version}\n`,
  });
  expect(run(node, dataDir, ['apps/cli/dist/pulso.mjs']).output).toMatch(
    new RegExp(`^usage: ${literal(cli)} <command> \\[options\\]\n`),
  );
  const none = run(node, dataDir, ['apps/cli/dist/pulso.mjs', 'workspace', 'list']);
  expect(none.output).toContain(`: ${cli} workspace create --name "Acme"`);
  expect((await fetch(`${url}/widgets/pulso.js`)).status).toBe(200);
  const graphiql = await (await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } })).text();
  expect(graphiql).toContain('/graphiql/graphiql.js');
  for (const asset of ['graphiql.js', 'graphiql.css', 'editor.worker.js', 'json.worker.js', 'graphql.worker.js'])
    expect((await fetch(`${url}/graphiql/${asset}`)).status, asset).toBe(200);

  const created = run(node, dataDir, ['apps/cli/dist/pulso.mjs', 'workspace', 'create', '--name', 'Release check']);
  expect(created.code, created.output).toBe(0);
  const secret = /pulso_sk_\w+/.exec(created.output)?.[0];
  expect(secret, created.output).toBeDefined();
  // With the folder it was created in, as the create command the banner prints.
  expect(created.output).toContain(
    `Lost a key? PULSO_DATA_DIR=${JSON.stringify(dataDir)} ${cli} key create --workspace release-check --kind secret`,
  );
  const { status, body } = await graphql(url, '{ workspace { name customerCount } }', secret);
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  expect(body.data).toEqual({ workspace: { name: 'Release check', customerCount: 0 } });
  // Nothing on stderr but Pulso's own lines: a newer Node's deprecation warnings (ioredis reading
  // REDIS_URL with url.parse() printed DEP0169 on Node 24) are a first line no operator should see.
  expect(output).not.toMatch(/Warning:/);
});

/** Starts the release's server on the tests' Node with `env`; resolves when it listens, or with its exit and output. */
function startRelease(env: Record<string, string>): Promise<{ listening: boolean; output: string }> {
  const child = spawn(process.execPath, ['apps/server/dist/main.mjs'], {
    cwd: release,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PULSO_MAX_EVENT_LOOP_DELAY_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = child;
  let output = '';
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const collect = (chunk: Buffer) => {
      output += chunk;
      if (output.includes('GraphQL:')) {
        clearTimeout(timer);
        resolve({ listening: true, output });
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve({ listening: false, output });
    });
  });
}

/** The last migration marked started and never finished, as a process killed during it leaves it. */
const UNFINISH = (name: string) => `UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = '${name}'`;

describe('a migration left unfinished, settled with the command the refused start prints', () => {
  let postgres: TestPostgresDatabase | undefined;
  afterAll(async () => postgres?.drop());

  it('on PostgreSQL (a password given as a query parameter stays hidden throughout)', async () => {
    postgres = await createMigratedTestPostgresDatabase('release_resolve');
    const last = (await readMigrations()).migrationDirectories.at(-1)!.path;
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      await client.query(UNFINISH(last));
    } finally {
      await client.end();
    }
    // pg honours `password` in the query; the tests' server trusts local connections and ignores it.
    const env = { DATABASE_URL: `${postgres.url}?password=hunter2`, PORT: String(await freePort()) };

    const refused = await startRelease(env);
    expect(refused.listening, refused.output).toBe(false);
    expect(refused.output).toContain(
      `could not prepare PostgreSQL ${postgres.url}?password=***: the migration ${last}`,
    );
    const advice = new RegExp(
      `\`DATABASE_URL=<the same as the server> ${literal(cli)} (db resolve --applied ${last})\`, otherwise \`DATABASE_URL=<the same as the server> ${literal(cli)} db resolve --rolled-back ${last}\``,
    ).exec(refused.output);
    expect(advice, refused.output).not.toBeNull();

    // Its changes are in the database (only the bookkeeping was undone): --applied, as printed.
    const resolved = run(process.execPath, '', ['apps/cli/dist/pulso.mjs', ...advice![1]!.split(' ')], {
      DATABASE_URL: env.DATABASE_URL,
    });
    expect(resolved, resolved.output).toEqual({
      code: 0,
      stdout: `${last} is marked applied in PostgreSQL ${postgres.url}?password=***: start the server again.\n`,
      output: `${last} is marked applied in PostgreSQL ${postgres.url}?password=***: start the server again.\n`,
    });

    const started = await startRelease(env);
    expect(started.listening, started.output).toBe(true);
    expect(started.output).toContain(`Pulso is running on PostgreSQL ${postgres.url}?password=***`);
    expect(started.output).toContain(`DATABASE_URL=<the same as the server> ${cli} workspace create`);
    expect(refused.output + resolved.output + started.output).not.toContain('hunter2');
  });

  it('on PGlite, when the database matches neither side of the migration (changed by hand)', async () => {
    const dataDir = join(dir, 'data-unfinished');
    const last = (await readMigrations()).migrationDirectories.at(-1)!.path;
    const database = await openMigratedPGliteFolder(dataDir);
    try {
      await database.executeScript(`${UNFINISH(last)}; ALTER TABLE "Customer" ADD COLUMN "addedByHand" integer`);
    } finally {
      await database.close();
    }
    const env = { PULSO_DATA_DIR: dataDir, PORT: String(await freePort()) };

    const refused = await startRelease(env);
    expect(refused.listening, refused.output).toBe(false);
    const command = new RegExp(
      `\`PULSO_DATA_DIR=${literal(JSON.stringify(dataDir))} ${literal(cli)} (db resolve --applied ${last})\``,
    ).exec(refused.output);
    expect(command, refused.output).not.toBeNull();
    const resolved = run(process.execPath, dataDir, ['apps/cli/dist/pulso.mjs', ...command![1]!.split(' ')]);
    expect(resolved, resolved.output).toEqual({
      code: 0,
      stdout: `${last} is marked applied in PGlite ${dataDir}: start the server again.\n`,
      output: `${last} is marked applied in PGlite ${dataDir}: start the server again.\n`,
    });

    const started = await startRelease(env);
    expect(started.listening, started.output).toBe(true);
  });
});
