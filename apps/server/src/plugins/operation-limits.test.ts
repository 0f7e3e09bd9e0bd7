// The request guards over real HTTP: Pulso's own operations pass, each limit refuses with its
// code, value and what the request had, introspection and GraphiQL can be turned off, simple
// cross-site requests are refused, oversized bodies get 413 without being read.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from '../config.ts';
import { DEFAULT_OPERATION_LIMITS, LIMIT_CODES, type OperationLimitName } from './operation-limits.ts';
import { DEFAULT_QUERY } from '../server.ts';
import { createTestServer, type TestServer } from '../testing.ts';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

/** The documents the widgets send: their `/* GraphQL *\/` templates, with `${…}` filled from the same file. */
function widgetOperations(): [string, string][] {
  const found: [string, string][] = [];
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? walk(join(dir, e.name))
        : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
          ? [join(dir, e.name)]
          : [],
    );
  for (const file of walk(join(repo, 'packages/widgets/src'))) {
    const templates = new Map<string, string>();
    for (const m of readFileSync(file, 'utf8').matchAll(/const (\w+) = \/\* GraphQL \*\/ `([^`]*)`/g)) {
      templates.set(
        m[1]!,
        m[2]!.replace(/\$\{(\w+)\}/g, (_, name: string) => templates.get(name) ?? `<${name}?>`),
      );
    }
    for (const [name, text] of templates)
      if (/^\s*(query|mutation|subscription)\b/.test(text))
        found.push([`widgets ${file.slice(file.indexOf('src/'))} ${name}`, text]);
  }
  return found;
}

function docsOperations(): [string, string][] {
  const dir = join(repo, 'docs/api');
  const files = [
    ...readdirSync(dir).map((f) => join(dir, f)),
    ...readdirSync(join(dir, 'write')).map((f) => join(dir, 'write', f)),
  ];
  return files.filter((f) => f.endsWith('.graphql')).map((f) => [f.slice(repo.length), readFileSync(f, 'utf8')]);
}

const pulsoOperations: [string, string][] = [
  ...docsOperations(),
  ...widgetOperations(),
  ['GraphiQL default query', DEFAULT_QUERY],
  ['GraphiQL introspection', getIntrospectionQuery()],
];

type Figures = Record<Exclude<OperationLimitName, 'maxBodyBytes'>, number>;

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ workspace: 'demo', demoCustomers: 5 });
});
afterAll(() => t?.close());

async function url(server: TestServer) {
  await server.graphql('{ __typename }');
  const { port } = server.server.http.address() as { port: number };
  return `http://127.0.0.1:${port}/graphql`;
}

/**
 * POSTs an operation accepting application/graphql-response+json, under which the GraphQL over
 * HTTP spec answers a refused document with 400 (under plain application/json it stays 200).
 */
async function post(
  server: TestServer,
  query: string,
  variables: Record<string, unknown> = {},
  accept = 'application/graphql-response+json',
) {
  const response = await fetch(await url(server), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${server.secretKey}` },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] },
  };
}

describe("Pulso's own operations", () => {
  it('are found: docs/api, the widgets, GraphiQL', () => {
    expect(pulsoOperations.filter(([n]) => n.startsWith('docs/api')).length).toBeGreaterThanOrEqual(13);
    expect(pulsoOperations.filter(([n]) => n.startsWith('widgets')).map(([n]) => n.split(' ').at(-1))).toEqual(
      expect.arrayContaining([
        'AT_RISK_QUERY',
        'AT_RISK_LIVE_SUBSCRIPTION',
        'GAUGE_QUERY',
        'GAUGE_LIVE_SUBSCRIPTION',
        'SUBMIT_MUTATION',
      ]),
    );
    for (const [name, text] of pulsoOperations) expect(text, name).not.toContain('?>');
  });

  it('stay under every default limit (measured by servers whose limits are 0)', async () => {
    // With a limit of 0 every operation is refused, and the refusal says what it had.
    const measuring = await createTestServer({ limits: { maxDepth: 0, maxAliases: 0, maxCost: 0, maxDirectives: 0 } });
    const counting = await createTestServer({ limits: { maxTokens: 0 } });
    try {
      const rows: (Figures & { operation: string })[] = [];
      for (const [operation, text] of pulsoOperations) {
        const figures: Figures = { maxDepth: 0, maxAliases: 0, maxCost: 0, maxDirectives: 0, maxTokens: 0 };
        const refusals = [
          ...((await measuring.graphql(text, {})).body.errors ?? []),
          ...((await counting.graphql(text, {})).body.errors ?? []),
        ];
        for (const error of refusals) {
          const limit = error.extensions?.limit as { name: keyof Figures; found: number } | undefined;
          if (limit) figures[limit.name] = limit.found;
        }
        expect(figures.maxTokens, operation).toBeGreaterThan(0);
        rows.push({ operation, ...figures });
      }
      console.table(rows);
      for (const row of rows) {
        for (const name of Object.keys(LIMIT_CODES).filter((n) => n !== 'maxBodyBytes') as (keyof Figures)[]) {
          expect(row[name], `${row.operation}: ${name}`).toBeLessThanOrEqual(DEFAULT_OPERATION_LIMITS[name]);
        }
      }
    } finally {
      await measuring.close();
      await counting.close();
    }
  });

  it.each(pulsoOperations)('%s is accepted by the default limits', async (_, text) => {
    if (/^\s*subscription\b/m.test(text.replace(/^#.*$/gm, ''))) {
      // A subscription is refused with a JSON answer or accepted with an event stream, left open: closed here.
      const abort = new AbortController();
      const response = await fetch(await url(t), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          authorization: `Bearer ${t.secretKey}`,
        },
        body: JSON.stringify({ query: text, variables: { externalId: 'cus_0001' } }),
        signal: abort.signal,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      abort.abort();
      return;
    }
    const { body } = await t.graphql(text, {});
    const codes = (body.errors ?? []).map((e) => e.extensions?.code);
    for (const code of Object.values(LIMIT_CODES)) expect(codes).not.toContain(code);
  });
});

describe('limits refuse with their code, value and what the request had', () => {
  async function refusal(query: string) {
    const { status, body } = await post(t, query);
    expect(body.errors).toHaveLength(1);
    expect(body).not.toHaveProperty('data');
    return { status, error: body.errors![0]! };
  }

  it('depth', async () => {
    // customers 1, edges 2, node 3, interactions 4 … id 15
    const { status, error } = await refusal(
      '{ customers(first: 1) { edges { node { interactions(first: 1) { edges { node { customer { interactions(first: 1) { edges { node { customer { interactions(first: 1) { edges { node { id } } } } } } } } } } } } } } }',
    );
    expect(status).toBe(400);
    expect(error.message).toBe('the operation nests fields too deep: 15 levels, the limit is 12');
    expect(error.extensions).toMatchObject({
      code: 'QUERY_TOO_DEEP',
      limit: { name: 'maxDepth', value: 12, found: 15 },
    });
  });

  it('depth counts through fragments as the fields they hold', async () => {
    const fields =
      'interactions(first: 1) { edges { node { customer { interactions(first: 1) { edges { node { customer { interactions(first: 1) { edges { node { id } } } } } } } } } } }';
    const { error } = await refusal(
      `{ customers(first: 1) { edges { node { ...F } } } } fragment F on Customer { ${fields} }`,
    );
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: { found: 15 } });
  });

  it('aliases', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: workspace { name }`).join(' ');
    const { status, error } = await refusal(`{ ${aliases} }`);
    expect(status).toBe(400);
    expect(error.message).toBe('the operation has too many aliases: 31 aliases, the limit is 30');
    expect(error.extensions).toMatchObject({
      code: 'TOO_MANY_ALIASES',
      limit: { name: 'maxAliases', value: 30, found: 31 },
    });
  });

  it('tokens, counted to the end of the document', async () => {
    // `{ workspace {` 3 tokens, 2,100 names, `} }` 2
    const { status, error } = await refusal(`{ workspace { ${'name '.repeat(2_100)}} }`);
    expect(status).toBe(400);
    expect(error.message).toBe('the operation is too long: 2105 tokens, the limit is 2000');
    expect(error.extensions).toMatchObject({
      code: 'TOO_MANY_TOKENS',
      limit: { name: 'maxTokens', value: 2_000, found: 2_105 },
    });
  });

  it('cost', async () => {
    const { status, error } = await refusal(
      '{ customers(first: 100) { edges { node { interactions(first: 100) { edges { node { id comment } } } } } } }',
    );
    expect(status).toBe(400);
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', limit: { name: 'maxCost', value: 20_000 } });
    const found = (error.extensions!.limit as { found: number }).found;
    expect(found).toBeGreaterThan(20_000);
    expect(error.message).toBe(`the operation costs too much: ${found} points, the limit is 20000`);
  });

  it('directives', async () => {
    const { error } = await refusal(`{ ${'__typename @include(if: true) '.repeat(51)}}`);
    expect(error.extensions).toMatchObject({
      code: 'TOO_MANY_DIRECTIVES',
      limit: { name: 'maxDirectives', value: 50, found: 51 },
    });
  });

  it('under plain application/json a refusal answers 200, as the GraphQL over HTTP spec has it', async () => {
    const { status, body } = await post(t, `{ ${'__typename @include(if: true) '.repeat(51)}}`, {}, 'application/json');
    expect(status).toBe(200);
    expect(body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_DIRECTIVES');
  });

  it('limits are the server’s to set', async () => {
    const strict = await createTestServer({ limits: { maxDepth: 2 } });
    try {
      const { body } = await strict.graphql('{ workspace { scoringModel { version } } }');
      expect(body.errors?.[0]?.message).toBe('the operation nests fields too deep: 3 levels, the limit is 2');
    } finally {
      await strict.close();
    }
  });
});

describe('request body size', () => {
  it('refuses a body over the limit by its Content-Length, with 413', async () => {
    const body = JSON.stringify({
      query: '{ __typename }',
      variables: { pad: 'x'.repeat(DEFAULT_OPERATION_LIMITS.maxBodyBytes) },
    });
    const response = await fetch(await url(t), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.secretKey}` },
      body,
    });
    expect(response.status).toBe(413);
    const json = await response.json();
    expect(json.errors[0].message).toBe(
      `the request body is too large: ${Buffer.byteLength(body)} bytes, the limit is 1048576`,
    );
    expect(json.errors[0].extensions).toMatchObject({
      code: 'REQUEST_TOO_LARGE',
      limit: { name: 'maxBodyBytes', value: 1_048_576, found: Buffer.byteLength(body) },
    });
  });

  it('counts a streamed body (no Content-Length) and stops reading at the limit', async () => {
    let sent = 0;
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    // A body that never ends: the server must answer without waiting for it.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"query":"{ __typename }","variables":{"pad":"'));
      },
      pull(controller) {
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(await url(t), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.secretKey}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    const json = await response.json();
    expect(json.errors[0].message).toBe('the request body is too large: more than 1048576 bytes, the limit is 1048576');
    expect(json.errors[0].extensions.code).toBe('REQUEST_TOO_LARGE');
    expect(sent).toBeLessThan(64 * DEFAULT_OPERATION_LIMITS.maxBodyBytes);
  });

  it('takes a recordInteractions batch of 1,000 interactions with every field and 500-character comments', async () => {
    const interactions = Array.from({ length: 1_000 }, (_, i) => ({
      customer: { externalId: `cus_${String((i % 5) + 1).padStart(4, '0')}` },
      type: 'nps',
      occurredAt: new Date(Date.now() - (i + 1) * 60_000).toISOString(),
      intensity: 1,
      sentiment: 'LIKED',
      value: 9,
      comment: 'c'.repeat(500),
      journeyStage: 'USAGE',
      source: 'survey-tool',
      idempotencyKey: `survey-tool-response-${String(i).padStart(8, '0')}`,
    }));
    const query = readFileSync(join(repo, 'docs/api/write/record-interactions.graphql'), 'utf8');
    const size = Buffer.byteLength(JSON.stringify({ query, variables: { interactions } }));
    expect(size).toBeLessThan(DEFAULT_OPERATION_LIMITS.maxBodyBytes);
    const { status, body } = await t.graphql(query, { interactions });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(body.data.recordInteractions.problems?.slice(0, 3)).toBeUndefined();
    expect(body.data.recordInteractions).toMatchObject({
      __typename: 'RecordInteractionsPayload',
      recordedCount: 1_000,
    });
  }, 120_000);
});

describe('CSRF prevention', () => {
  const typename = encodeURIComponent('{ __typename }');

  it('refuses a GET with no header a simple cross-site request could not carry', async () => {
    const response = await fetch(`${await url(t)}?query=${typename}`);
    expect(response.status).toBe(403);
    const json = await response.json();
    expect(json.errors[0].extensions.code).toBe('CSRF_HEADER_REQUIRED');
    expect(json.errors[0].message).toContain('authorization, x-pulso-csrf');
  });

  it.each([
    ['application/x-www-form-urlencoded', `query=${typename}`],
    ['text/plain', JSON.stringify({ query: '{ __typename }' })],
    [
      'multipart/form-data; boundary=x',
      `--x\r\ncontent-disposition: form-data; name="operations"\r\n\r\n{"query":"{ __typename }"}\r\n--x--\r\n`,
    ],
  ])('refuses a form post (%s)', async (contentType, body) => {
    const response = await fetch(await url(t), { method: 'POST', headers: { 'content-type': contentType }, body });
    expect(response.status).toBe(403);
    expect((await response.json()).errors[0].extensions.code).toBe('CSRF_HEADER_REQUIRED');
  });

  it.each([
    ['a GET with x-pulso-csrf', { 'x-pulso-csrf': '1' }],
    ['a GET with a bearer key', { authorization: 'KEY' }],
  ])('accepts %s', async (_, headers: Record<string, string>) => {
    const response = await fetch(`${await url(t)}?query=${typename}`, {
      headers: Object.fromEntries(
        Object.entries(headers).map(([k, v]) => [k, v === 'KEY' ? `Bearer ${t.secretKey}` : v]),
      ),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('accepts JSON the way the widgets send it (a preflighted content type)', async () => {
    const response = await fetch(await url(t), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${t.publishableKey}`,
      },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('introspection and GraphiQL', () => {
  it('answers introspection by default', async () => {
    const { body } = await t.graphql('{ __type(name: "Customer") { name } }');
    expect(body).toEqual({ data: { __type: { name: 'Customer' } } });
  });

  it('serves GraphiQL to a browser by default', async () => {
    const response = await fetch(await url(t), { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Pulso</title>');
  });

  describe('turned off', () => {
    let closed: TestServer;
    beforeAll(async () => {
      closed = await createTestServer({ introspection: false, graphiql: false });
    });
    afterAll(() => closed?.close());

    it.each([
      ['__schema', '{ __schema { queryType { name } } }'],
      ['__type', '{ __type(name: "Customer") { name } }'],
      ['the full introspection query', getIntrospectionQuery()],
    ])('refuses %s', async (_, query) => {
      const { status, body } = await post(closed, query);
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions?.code).toBe('INTROSPECTION_DISABLED');
      expect(body.errors?.[0]?.message).toMatch(/^GraphQL introspection has been disabled/);
    });

    it('still answers __typename and ordinary queries', async () => {
      const { body } = await closed.graphql('{ __typename workspace { name } }');
      expect(body).toEqual({ data: { __typename: 'Query', workspace: { name: 'Test' } } });
    });

    it('gives no field suggestions that would spell out the schema', async () => {
      const open = await t.graphql('{ workspace { nam } }');
      expect(open.body.errors?.[0]?.message).toContain('Did you mean "name"');
      const { body } = await closed.graphql('{ workspace { nam } }');
      expect(body.errors?.[0]?.message).toContain('Cannot query field "nam"');
      expect(body.errors?.[0]?.message).not.toContain('name"');
    });

    it('serves no GraphiQL page', async () => {
      const response = await fetch(await url(closed), { headers: { accept: 'text/html' } });
      expect(await response.text()).not.toContain('<title>Pulso</title>');
    });
  });
});

describe('unexpected errors', () => {
  // A real fault: the database closes under a running server.
  async function faultWith(nodeEnv: string) {
    const broken = await createTestServer();
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = nodeEnv;
    try {
      await url(broken);
      await broken.database.close();
      return await broken.graphql('{ workspace { name } }');
    } finally {
      process.env.NODE_ENV = before;
      await broken.server.close(1_000);
    }
  }

  it('are masked in production: "Unexpected error." and nothing of the cause', async () => {
    const { status, body } = await faultWith('production');
    expect(status).toBe(200);
    expect(body).toEqual({
      data: null,
      errors: [
        {
          message: 'Unexpected error.',
          locations: [{ line: 1, column: 3 }],
          path: ['workspace'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ],
    });
    const text = JSON.stringify(body);
    for (const leak of ['prisma', 'PGlite', 'closed', '.ts', 'stack', 'SELECT', '/work'])
      expect(text).not.toContain(leak);
  });

  it('carry their cause in development (what production hides)', async () => {
    const { body } = await faultWith('development');
    expect(body.errors?.[0]?.message).toBe('Unexpected error.');
    expect(JSON.stringify(body.errors?.[0]?.extensions)).toMatch(/prisma|closed/i);
  });
});

describe('configuration', () => {
  const base = { PULSO_DATA_DIR: 'memory://' };

  it('turns GraphiQL and introspection off in production unless asked for', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'production' })).toMatchObject({ graphiql: false, introspection: false });
    expect(
      loadConfig({ ...base, NODE_ENV: 'production', PULSO_INTROSPECTION: 'on', PULSO_GRAPHIQL: 'true' }),
    ).toMatchObject({ graphiql: true, introspection: true });
    expect(loadConfig({ ...base, NODE_ENV: 'development' })).toMatchObject({ graphiql: true, introspection: true });
    expect(loadConfig({ ...base, PULSO_INTROSPECTION: 'off' })).toMatchObject({ introspection: false });
  });

  it('takes the limits from the environment, defaults otherwise', () => {
    expect(loadConfig(base).limits).toEqual({
      maxDepth: 12,
      maxAliases: 30,
      maxTokens: 2_000,
      maxCost: 20_000,
      maxBodyBytes: 1_048_576,
    });
    expect(loadConfig({ ...base, PULSO_MAX_DEPTH: '8', PULSO_MAX_BODY_BYTES: '2048' }).limits).toMatchObject({
      maxDepth: 8,
      maxBodyBytes: 2_048,
    });
  });

  it('reports each bad value on its own line', () => {
    const problems = (() => {
      try {
        loadConfig({ ...base, PULSO_MAX_DEPTH: 'deep', PULSO_MAX_BODY_BYTES: '10', PULSO_INTROSPECTION: 'maybe' });
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    })();
    expect(problems).toEqual([
      'PULSO_INTROSPECTION must be true or false, got "maybe"',
      'PULSO_MAX_DEPTH must be a whole number from 1 to 1000, got "deep"',
      'PULSO_MAX_BODY_BYTES must be a whole number from 1024 to 104857600, got "10"',
    ]);
  });
});
