// The workspace, key and demo commands in process on a fresh PostgreSQL database (the cross-process
// run on PGlite, through a running server, is test/operator-cli.test.ts): what an operator types,
// what they read, the exit codes, and that a refused or unconfirmed command changes nothing.
import { createMigratedTestPostgresDatabase, type TestPostgresDatabase } from '@pulso/database/testing';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPulso } from './cli.ts';
import type { Io } from './io.ts';
import { serverUrlFromEnv } from './workspace-command.ts';

let postgres: TestPostgresDatabase;
beforeAll(async () => {
  postgres = await createMigratedTestPostgresDatabase('cli');
});
afterAll(() => postgres?.drop());

/** Runs `pulso …` with the answers given to its questions (none: not a terminal). */
async function pulso(argv: string[], answers?: string[], env: NodeJS.ProcessEnv = { DATABASE_URL: postgres.url }) {
  const out: string[] = [];
  const notes: string[] = [];
  const io: Io = {
    out: (line) => out.push(line),
    note: (line) => notes.push(line),
    ask: async (question) => {
      notes.push(question);
      return answers ? (answers.shift() ?? null) : null;
    },
  };
  const code = await runPulso(argv, { io, env });
  return { code, out: out.join('\n'), notes: notes.join('\n') };
}

describe('pulso --version', () => {
  it("prints the root package.json's version on stdout, without opening any database", async () => {
    const root = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    const printed = await pulso(['--version'], undefined, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(printed).toEqual({ code: 0, out: root.version, notes: '' });
  });
});

describe('pulso workspace, key and demo on PostgreSQL', () => {
  it('creates a workspace and prints its keys once; lists, renames and refuses what it cannot do', async () => {
    const created = await pulso(['workspace', 'create', '--name', 'Acme Corp']);
    expect(created.code).toBe(0);
    expect(created.out).toContain('Created workspace acme-corp (Acme Corp) with the default scoring model.');
    expect(created.out).toMatch(/secret: {6}pulso_sk_\w{32}/);
    expect(created.out).toMatch(/publishable: pulso_pk_\w{32} {3}\(public pages: micro-ratings only, from any site\)/);
    // Where the key is handed over, how to limit it to the company's own site.
    expect(created.out).toContain(
      'Limit ratings to your site: DATABASE_URL=<the same as the server> npm run pulso -- key create --workspace acme-corp --kind publishable --origin https://your.site',
    );

    const again = await pulso(['workspace', 'create', '--name', 'Acme Corp']);
    expect([again.code, again.notes]).toEqual([
      1,
      'pulso workspace: slug: a workspace "acme-corp" exists already: choose another slug',
    ]);
    expect((await pulso(['workspace', 'create'])).code).toBe(2);
    expect((await pulso(['workspace', 'frobnicate'])).notes).toBe(
      'pulso workspace: unknown workspace action "frobnicate": create, list, rename or delete',
    );

    expect((await pulso(['workspace', 'rename', 'acme-corp', '--slug', 'acme', '--name', 'Acme'])).out).toBe(
      'Workspace acme-corp is now acme (Acme).',
    );
    const listed = JSON.parse((await pulso(['workspace', 'list', '--json'])).out);
    expect(listed).toMatchObject([{ slug: 'acme', name: 'Acme', customers: 0, activeApiKeys: 2 }]);
  });

  it('issues, lists and revokes keys, never the last secret one', async () => {
    const issued = await pulso([
      'key',
      'create',
      '--workspace',
      'acme',
      '--kind',
      'publishable',
      '--origin',
      'https://shop.example.com/',
    ]);
    expect(issued.code).toBe(0);
    const id = /id ([0-9a-f-]{36})/.exec(issued.out)![1]!;
    expect(issued.out).toMatch(/\n {2}pulso_pk_\w{32}$/);
    const keys = JSON.parse((await pulso(['key', 'list', '--workspace', 'acme', '--json'])).out);
    expect(keys.find((k: { id: string }) => k.id === id).allowedOrigins).toEqual(['https://shop.example.com']);
    expect((await pulso(['key', 'revoke', '--workspace', 'acme', id])).code).toBe(0);
    const twice = await pulso(['key', 'revoke', '--workspace', 'acme', id]);
    expect([twice.code, twice.notes]).toEqual([
      1,
      expect.stringMatching(/^pulso key: id: the key pulso_pk_\w{4}… was revoked on /),
    ]);
    const secret = keys.find((k: { kind: string }) => k.kind === 'SECRET').id;
    expect((await pulso(['key', 'revoke', '--workspace', 'acme', secret])).notes).toMatch(/last active secret key/);
    const badOrigin = await pulso([
      'key',
      'create',
      '--workspace',
      'acme',
      '--kind',
      'secret',
      '--origin',
      'https://a.example',
    ]);
    expect(badOrigin.code).toBe(1);
    expect((await pulso(['key', 'create', '--workspace', 'acme', '--kind', 'secret', '--expires', 'soon'])).code).toBe(
      2,
    );
    expect((await pulso(['key', 'list', '--workspace', 'nope'])).notes).toBe(
      'pulso key: workspace: no workspace "nope"',
    );
    expect(JSON.parse((await pulso(['key', 'list', '--workspace', 'acme', '--all', '--json'])).out)).toHaveLength(3);
  });

  it('deletes a workspace only when confirmed, saying what it removes', async () => {
    const unasked = await pulso(['workspace', 'delete', 'acme']);
    expect(unasked.code).toBe(2);
    expect(unasked.notes).toContain(
      'This deletes workspace acme (Acme) for good: 0 customers, 0 interactions and 2 active API keys',
    );
    expect((await pulso(['workspace', 'delete', 'acme'], ['acme-corp'])).notes).toContain(
      'not deleted: the answer was not the slug',
    );
    expect(JSON.parse((await pulso(['workspace', 'list', '--json'])).out)).toHaveLength(1);
    const deleted = await pulso(['workspace', 'delete', 'acme'], ['acme']);
    expect([deleted.code, deleted.out]).toEqual([
      0,
      'Deleted workspace acme (Acme): 0 customers, 0 interactions and 3 API keys.',
    ]);
    expect((await pulso(['demo', 'remove'])).notes).toMatch(/^There is no demo workspace in PostgreSQL /);
  });
});

it('says a PGlite folder has no database rather than making one, except to create a workspace', async () => {
  const missing = join(tmpdir(), `pulso-cli-missing-${process.pid}`);
  const listed = await pulso(['workspace', 'list'], undefined, { PULSO_DATA_DIR: missing });
  expect([listed.code, listed.notes]).toEqual([
    1,
    `pulso workspace: there is no database in ${missing} yet: check PULSO_DATA_DIR (or DATABASE_URL), or create a workspace first`,
  ]);
  expect(existsSync(missing)).toBe(false);
});

describe('the sample query printed by workspace create', () => {
  it('goes to the address the server takes from the same environment (PORT, HOST), else says it is the default', async () => {
    const env = { DATABASE_URL: postgres.url, PORT: '4567', HOST: '0.0.0.0' };
    const placed = await pulso(['workspace', 'create', '--name', 'Placed', '--slug', 'placed'], undefined, env);
    expect(placed.code).toBe(0);
    expect(placed.out).toContain('Query with it:\n  curl -s http://127.0.0.1:4567/graphql ');
    // With the database the command was given: the default one would be another database.
    expect(placed.out).toContain(
      'Lost a key? DATABASE_URL=<the same as the server> npm run pulso -- key create --workspace placed --kind secret',
    );
    const folder = join(mkdtempSync(join(tmpdir(), 'pulso-created-')), 'data');
    const inFolder = await pulso(['workspace', 'create', '--name', 'Foldered'], undefined, { PULSO_DATA_DIR: folder });
    expect(inFolder.code, inFolder.notes).toBe(0);
    expect(inFolder.out).toContain(
      `Lost a key? PULSO_DATA_DIR=${JSON.stringify(folder)} npm run pulso -- key create --workspace foldered --kind secret`,
    );

    const unplaced = await pulso(['workspace', 'create', '--name', 'Unplaced', '--slug', 'unplaced']);
    expect(unplaced.out).toContain(
      "Query with it (http://127.0.0.1:4000 is the server's default address: put yours if it listens elsewhere):\n  curl -s http://127.0.0.1:4000/graphql ",
    );
  });

  it('reads the URL as the server would be reached from here', () => {
    expect(serverUrlFromEnv({})).toBeUndefined();
    expect(serverUrlFromEnv({ PULSO_SERVER_URL: ' https://pulso.example.com/ ' })).toBe('https://pulso.example.com');
    expect(serverUrlFromEnv({ PORT: '8080' })).toBe('http://127.0.0.1:8080');
    expect(serverUrlFromEnv({ HOST: '10.0.0.5' })).toBe('http://10.0.0.5:4000');
    expect(serverUrlFromEnv({ HOST: '::', PORT: '80' })).toBe('http://[::1]:80');
    expect(serverUrlFromEnv({ HOST: 'fd00::5' })).toBe('http://[fd00::5]:4000');
    // Any free port (PORT=0) or a port the server would refuse: nothing known.
    expect(serverUrlFromEnv({ PORT: '0' })).toBeUndefined();
    expect(serverUrlFromEnv({ PORT: 'http' })).toBeUndefined();
  });
});
