// The operation limits together, over real HTTP as clients send: Pulso's own operations pass every
// default limit (their figures printed), each document limit refuses with its code, value and what
// the request had, unexpected errors are masked, and the limits come from the configuration. The
// cost, the body, CSRF and introspection are tested beside their own plugins.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getIntrospectionQuery, getOperationAST, Kind, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from '../config.ts';
import { DEFAULT_OPERATION_LIMITS, LIMIT_CODES, type OperationLimitName } from './operation-limits.ts';
import { schema } from '../schema/index.ts';
import { DEFAULT_QUERY } from '../server.ts';
import { operationCost } from './cost-limit.ts';
import { createTestServer, type TestServer } from '../testing.ts';
import { signViewToken } from '@pulso/tokens';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * The documents the widgets send: their `/* GraphQL *\/` templates, with `${…}` filled from the
 * templates of any widget module (a selection shared by several documents lives in a module of its own).
 */
function widgetOperations(): [string, string][] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? walk(join(dir, e.name))
        : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
          ? [join(dir, e.name)]
          : [],
    );
  const templates: { file: string; name: string; text: string }[] = [];
  for (const file of walk(join(repo, 'packages/widgets/src')))
    for (const m of readFileSync(file, 'utf8').matchAll(/const (\w+) = \/\* GraphQL \*\/ `([^`]*)`/g))
      templates.push({ file, name: m[1]!, text: m[2]! });
  const byName = new Map(templates.map((t) => [t.name, t.text]));
  const filled = (text: string, depth = 0): string =>
    text.replace(/\$\{(\w+)\}/g, (_, name: string) => {
      const part = byName.get(name);
      return part === undefined || depth > 5 ? `<${name}?>` : filled(part, depth + 1);
    });
  return templates
    .filter(({ text }) => /^\s*(query|mutation|subscription)\b/.test(text))
    .map(({ file, name, text }) => [`widgets ${file.slice(file.indexOf('src/'))} ${name}`, filled(text)]);
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

/**
 * An operation's cost with every page size at the maximum (100) and 100 ids for `nodes`, other
 * variables as their defaults or absent (they do not change the cost).
 */
function worstCost(text: string): number {
  const document = parse(text);
  const operation = getOperationAST(document)!;
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (name === 'first' || name === 'last') variables[name] = 100;
    if (name === 'ids') variables[name] = Array.from({ length: 100 }, (_, i) => `id-${i}`);
  }
  const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  return operationCost(schema, operation, fragments, variables);
}

type Figures = Record<Exclude<OperationLimitName, 'maxBodyBytes'>, number>;

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ workspace: 'demo', demoCustomers: 5 });
});
afterAll(() => t?.close());

/** An at-risk view token of the test workspace, as a portal's backend signs it. */
async function atRiskView(): Promise<string> {
  const { tokenSigningSecret } = await t.database.prisma.workspace.findUniqueOrThrow({ where: { id: t.workspaceId } });
  return signViewToken({ secret: tokenSigningSecret, workspaceId: t.workspaceId, grant: { kind: 'at_risk' } });
}

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
      expect.arrayContaining(['AT_RISK_QUERY', 'GAUGE_QUERY', 'LIVE_VIEWS_SUBSCRIPTION', 'SUBMIT_MUTATION']),
    );
    for (const [name, text] of pulsoOperations) expect(text, name).not.toContain('?>');
  });

  it('stay under every default limit (measured by servers whose limits are 0)', async () => {
    // With a limit of 0 every operation is refused, and the refusal says what it had.
    const measuring = await createTestServer({ limits: { maxDepth: 0, maxAliases: 0, maxDirectives: 0 } });
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
        // The cost depends on the variables: measured at the worst a client may send.
        figures.maxCost = Math.ceil(worstCost(text));
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
        // Each takes what it declares: a customer, or the view tokens of a page's widgets (liveViews).
        body: JSON.stringify({ query: text, variables: { externalId: 'cus_0001', views: [await atRiskView()] } }),
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
      extensions: { cost: expect.any(Object) },
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
      maxCost: 50_000,
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
