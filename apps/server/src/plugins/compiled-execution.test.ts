// A repeated query is compiled by graphql-jit (compiled-execution.ts): it must answer exactly what
// graphql-js answers, with the same database operations. Each query below runs three times on a
// demo workspace: the first interpreted, the next two compiled (the metric says so), and all three
// give the same body and the same Prisma operations. Queries the compiled executor cannot serve
// as well (planned fields nested in planned fields, writes, subscriptions) are told apart.
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../schema/index.ts';
import { createListeningTestServer, type ListeningTestServer } from '../testing.ts';
import { compilable } from './compiled-execution.ts';

const AT_RISK_PAGE = `query ($first: Int!) {
  atRiskCustomers(first: $first) {
    score scoreChange30d daysSinceLastInteraction mainReason { code message params { name number text } }
    customer {
      id externalId name segment band
      health { value band categories { key subScore contribution effectiveWeight } flags { code message } }
      interactions(first: 5) { edges { cursor node { id occurredAt sentiment value comment type { key name } } } }
    }
  }
}`;

const AT_RISK_CONNECTION = `{
  customersAtRisk(first: 4) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes {
      reasons { code params { name number text } }
      customer {
        name lastInteractionAt
        health { value trend { change7d direction } drivers { raised { interactionId typeKey points } } confidence }
        interactions(first: 2, filter: { categoryKeys: ["support", "engagement"] }) {
          totalCount nodes { id type { key category { key name share } } }
        }
      }
    }
  }
}`;

const ONE_CUSTOMER = `query ($id: String!) {
  customer(externalId: $id) {
    id name properties weights { categoryKey weight source share }
    health { value bandLabel colour categories { key name weightSource activity { recentPerDay change } } assessment { score } }
    interactions(first: 3) { totalCount pageInfo { hasNextPage startCursor } edges { node { intensity journeyStage source type { key basePoints category { key isEngagement } } } } }
  }
}`;

const CUSTOMER_LIST = `{
  customers(first: 6, orderBy: { field: SCORE, direction: DESC }, filter: { bands: [AT_RISK, NEEDS_ATTENTION] }) {
    edges { cursor node { id name score band interactions(first: 2) { edges { node { id type { key } } } } } }
  }
}`;

const MODEL = `{
  scoringModel {
    version categories { key weight share }
    interactionTypes { key basePoints category { key } }
  }
  workspace { name }
}`;

const REFUSED = `{ atRiskCustomers(first: 500) { score } }`;

describe('which queries are compiled', () => {
  const compiles = (document: string) => compilable(schema, parse(document));

  it('compiles queries whose Prisma-planned fields are not nested in one another', () => {
    for (const document of [AT_RISK_PAGE, AT_RISK_CONNECTION, ONE_CUSTOMER, CUSTOMER_LIST, MODEL, REFUSED])
      expect(compiles(document)).toBe(true);
  });

  it('leaves a planned field nested in a planned field to graphql-js, through fragments too', () => {
    expect(compiles(`{ customer(externalId: "x") { scoreHistory { computedAt score } } }`)).toBe(false);
    expect(compiles(`{ customers { nodes { interactions { nodes { customer { name } } } } } }`)).toBe(false);
    expect(
      compiles(`{ customers { nodes { ...History } } } fragment History on Customer { scoreHistory { ...Point } }
        fragment Point on ScoreSnapshot { score }`),
    ).toBe(false);
    expect(compiles(`{ node(id: "x") { ... on Customer { scoreHistory { score } } } }`)).toBe(false);
    expect(compiles(`{ scoringModel { segmentWeights { category { key } } } }`)).toBe(false);
    // The same fields, one planned level each: compiled.
    expect(
      compiles(`{ customers { nodes { ...Named } } } fragment Named on Customer { name weights { weight } }`),
    ).toBe(true);
  });

  it('leaves a document of several operations to graphql-js', () => {
    // The compiled function is kept per document: another operation of it would run the first one's.
    expect(compiles(`query A { workspace { name } } query B { scoringModel { version } }`)).toBe(false);
  });

  it('leaves writes and subscriptions to graphql-js', () => {
    expect(compiles(`mutation { deleteCustomer(id: "x") { __typename } }`)).toBe(false);
    expect(compiles(`subscription { scoreChanged { score } }`)).toBe(false);
  });
});

describe.each(['pglite', 'postgres'] as const)('compiled queries on %s', (database) => {
  const TOKEN = 'compiled-execution-test-token';
  let t: ListeningTestServer;
  let someExternalId: string;
  beforeAll(async () => {
    t = await createListeningTestServer({
      workspace: 'demo',
      demoCustomers: 40,
      database,
      recordQueries: true,
      metricsToken: TOKEN,
    });
    const first = await t.graphql('{ customers(first: 1, orderBy: { field: SCORE }) { nodes { externalId } } }');
    someExternalId = first.body.data.customers.nodes[0].externalId;
  });
  afterAll(() => t?.close());

  async function executions(): Promise<{ compiled: number; interpreted: number }> {
    const text = await (await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    const count = (executor: string) =>
      Number(
        new RegExp(`^pulso_graphql_executions_total\\{executor="${executor}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0,
      );
    return { compiled: count('compiled'), interpreted: count('interpreted') };
  }

  async function run(document: string, variables?: Record<string, unknown>) {
    t.queries.length = 0;
    const { body } = await t.graphql(document, variables);
    return {
      body,
      operations: t.queries.filter((q) => q.model !== 'ApiKey').map((q) => `${q.model ?? 'raw'}.${q.operation}`),
    };
  }

  it.each([
    ['the at-risk dashboard', AT_RISK_PAGE, { first: 25 }],
    ['the at-risk connection', AT_RISK_CONNECTION, undefined],
    ['one customer', ONE_CUSTOMER, 'someExternalId'],
    ['a list of customers', CUSTOMER_LIST, undefined],
    ['the scoring model', MODEL, undefined],
    ['a refused page size', REFUSED, undefined],
  ] as const)('answers %s compiled as graphql-js does', async (_name, document, given) => {
    const variables = given === 'someExternalId' ? { id: someExternalId } : given;
    const before = await executions();
    const interpreted = await run(document, variables);
    const afterFirst = await executions();
    const compiled = await run(document, variables);
    const again = await run(document, variables);
    const after = await executions();

    expect(afterFirst.interpreted - before.interpreted).toBe(1);
    expect(after.compiled - afterFirst.compiled).toBe(2);
    if (document !== REFUSED) expect(interpreted.body.errors).toBeUndefined();
    else expect(interpreted.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(compiled.body).toEqual(interpreted.body);
    expect(again.body).toEqual(interpreted.body);
    expect(compiled.operations).toEqual(interpreted.operations);
    expect(again.operations).toEqual(interpreted.operations);
  });

  it('answers each operation of a document of several, however often it runs', async () => {
    const query = `query Name { workspace { name } } query Version { scoringModel { version } }`;
    const send = async (operationName: string) =>
      (
        await fetch(`${t.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${t.secretKey}` },
          body: JSON.stringify({ query, operationName }),
        })
      ).json();
    for (let i = 0; i < 3; i++) expect((await send('Name')).data).toEqual({ workspace: { name: expect.any(String) } });
    expect((await send('Version')).data).toEqual({ scoringModel: { version: expect.any(Number) } });
  });

  // graphql-jit coerces variables with its own words: a calendar day that does not exist answered
  // 400 BAD_USER_INPUT with the scalar's explanation the first time, then 200 naming a variable the
  // document does not have, without a code. Variables are checked as graphql-js checks them first.
  it.each([
    [
      'a date that names no calendar day',
      `query ($f: InteractionFilter) { customers(first: 1) { nodes { interactions(filter: $f) { totalCount } } } }`,
      { f: { occurredAfter: '2026-02-30T00:00:00Z' } },
    ],
    [
      'an input field the type does not have',
      `query ($f: InteractionFilter) { customers(first: 1) { nodes { interactions(filter: $f) { totalCount } } } }`,
      { f: { bogus: 1 } },
    ],
    ['a string for an Int', `query ($first: Int!) { customers(first: $first) { totalCount } }`, { first: 'abc' }],
    ['null for an Int!', `query ($first: Int!) { customers(first: $first) { totalCount } }`, { first: null }],
    ['a missing Int!', `query ($first: Int!) { customers(first: $first) { totalCount } }`, {}],
  ] as const)('refuses %s alike however often it runs', async (_name, document, variables) => {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await t.graphql(document, variables));
    expect(answers[0]!.status).toBe(400);
    expect(answers[0]!.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('keeps a query with nested planned fields on graphql-js, with its operations', async () => {
    const document = `query ($id: String!) { customer(externalId: $id) { scoreHistory { computedAt score } } }`;
    const before = await executions();
    const first = await run(document, { id: someExternalId });
    const second = await run(document, { id: someExternalId });
    const after = await executions();
    expect(after.interpreted - before.interpreted).toBe(2);
    expect(after.compiled).toBe(before.compiled);
    expect(second).toEqual(first);
  });
});
