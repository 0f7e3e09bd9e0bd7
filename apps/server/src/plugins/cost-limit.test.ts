// The cost limit in process (yoga.fetch, no port): a cost counts page sizes and ids as execution
// will read them — literals, variables, variables' defaults, the default page size — and a
// refusal reports the figure it computed, in plain digits however large.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../testing.ts';

let t: TestServer;
/** A server that refuses everything with a cost, to read what each operation costs. */
let measuring: TestServer;
beforeAll(async () => {
  [t, measuring] = await Promise.all([createTestServer(), createTestServer({ limits: { maxCost: 0, maxDepth: 100 } })]);
});
afterAll(() => Promise.all([t?.close(), measuring?.close()]));

type Answer = { data?: unknown; errors?: { message: string; extensions?: Record<string, any> }[] };

async function post(
  server: TestServer,
  query: string,
  variables: Record<string, unknown> = {},
  extra: Record<string, string> = {},
) {
  const response = await server.fetch('/graphql', {
    method: 'POST',
    headers: {
      ...extra,
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${server.secretKey}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

async function refusal(server: TestServer, query: string, variables: Record<string, unknown> = {}) {
  const { status, body } = await post(server, query, variables);
  expect(body.errors, JSON.stringify(body)).toHaveLength(1);
  expect(body).not.toHaveProperty('data');
  return { status, error: body.errors![0]! };
}

async function costOf(query: string, variables: Record<string, unknown> = {}): Promise<number> {
  const { error } = await refusal(measuring, query, variables);
  expect(error.extensions?.code).toBe('QUERY_TOO_COSTLY');
  return error.extensions!.limit.found as number;
}

// The operation of issue 16 that ran 35 s and returned 59 MB with its page sizes in variables.
const NESTED_PAGES =
  'query($n: Int, $m: Int) { customers(first: $n) { edges { node { name interactions(first: $m) { edges { node { comment customer { interactions(first: $m) { edges { node { id } } } } } } } } } } }';
const NESTED_LITERAL_PAGES = NESTED_PAGES.replace('query($n: Int, $m: Int) ', '')
  .replace('$n', '100')
  .replaceAll('$m', '100');

describe('the cost limit', () => {
  it('refuses an operation over it with its code, the limit and the cost found', async () => {
    const { status, error } = await refusal(
      t,
      '{ customers(first: 100) { edges { node { interactions(first: 100) { edges { node { id comment } } } } } } }',
    );
    expect(status).toBe(400);
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', limit: { name: 'maxCost', value: 50_000 } });
    const found = error.extensions!.limit.found as number;
    expect(found).toBeGreaterThan(50_000);
    expect(error.message).toBe(`the operation costs too much: ${found} points, the limit is 50000`);
  });

  it('reads page sizes sent as variables, as execution will', async () => {
    const literal = await refusal(t, NESTED_LITERAL_PAGES);
    const { error } = await refusal(t, NESTED_PAGES, { n: 100, m: 100 });
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY' });
    expect(error.extensions!.limit.found).toBe(literal.error.extensions!.limit.found);
  });

  it("applies a variable's default when the variable is not sent", async () => {
    const withDefault = NESTED_PAGES.replace('$n: Int, $m: Int', '$n: Int = 100, $m: Int = 100');
    expect(await costOf(withDefault)).toBe(await costOf(NESTED_LITERAL_PAGES));
  });

  it('counts a connection without first or last at the default page size of 20', async () => {
    const fields = '{ edges { node { name interactions { edges { node { id } } } } } }';
    const twenties = '{ edges { node { name interactions(first: 20) { edges { node { id } } } } } }';
    expect(await costOf(`{ customers ${fields} }`)).toBe(await costOf(`{ customers(first: 20) ${twenties} }`));
    expect(await costOf(`{ customers ${fields} }`)).toBeGreaterThan(await costOf(`{ customers(first: 1) ${fields} }`));
  });

  it('counts nodes(ids:) once per id', async () => {
    const query = 'query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Customer { name } } }';
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `id-${i}`);
    const one = await costOf(query, { ids: ids(1) });
    expect(await costOf(query, { ids: ids(50) })).toBe(50 * one);
  });

  it('reports a cost past 1e21 in plain digits (a 40-level query)', async () => {
    // customers, edges, node: 3 levels; each round of interactions, edges, node, customer: 4 more.
    const round = (inner: string) => `interactions(first: 1000) { edges { node { customer { ${inner} } } } }`;
    let inner = 'id';
    for (let i = 0; i < 9; i++) inner = round(inner);
    const query = `{ customers(first: 100) { edges { node { ${inner} } } } }`;
    const deep = await createTestServer({ limits: { maxDepth: 100 } });
    try {
      const { error } = await refusal(deep, query);
      const found = error.extensions!.limit.found as number;
      expect(found).toBeGreaterThan(1e21);
      const printed = /^the operation costs too much: (\d+) points, the limit is 50000$/.exec(error.message);
      expect(printed, error.message).not.toBeNull();
      expect(Number(printed![1])).toBe(found);
    } finally {
      await deep.close();
    }
  });

  it("accepts Pulso's own kind of page with variables", async () => {
    const { body } = await post(t, NESTED_PAGES, { n: 5, m: 3 });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ customers: { edges: [] } });
  });

  it('tells what every operation cost and the limit in extensions.cost, unasked (as Shopify does)', async () => {
    const variables = { n: 5, m: 3 };
    const { body } = await post(t, NESTED_PAGES, variables);
    expect((body as { extensions?: unknown }).extensions).toEqual({
      cost: { requested: await costOf(NESTED_PAGES, variables), limit: 50_000 },
    });
    // A mutation too.
    const rescore = 'mutation { rescoreAllCustomers { __typename } }';
    const mutation = await post(t, rescore);
    expect((mutation.body as { extensions?: unknown }).extensions).toEqual({
      cost: { requested: await costOf(rescore), limit: 50_000 },
    });
  });
});
