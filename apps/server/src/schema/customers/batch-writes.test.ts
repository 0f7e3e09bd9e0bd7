// What a client loading data in batches uses (the CSV importer through a running server): the batch
// customer upsert, and the lookups that say what of a batch is stored already, each in the order
// asked with null for what names nothing, capped at 1,000 values and costed per value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../../testing.ts';

const UPSERT = `mutation ($customers: [CustomerInput!]!, $scoreNew: Boolean) {
  upsertCustomers(customers: $customers, scoreNew: $scoreNew) {
    __typename
    ... on UpsertedCustomers { createdCount updatedCount unchangedCount results { created customer { externalId name segment properties score } } }
    ... on ValidationError { problems { field code } }
  }
}`;
const LOOKUP = `query ($externalIds: [String!]!, $keys: [String!]!) {
  customersByExternalId(externalIds: $externalIds) { externalId name }
  interactionsByIdempotencyKey(keys: $keys) { idempotencyKey customer { externalId } }
  outcomesByIdempotencyKey(keys: $keys) { id kind }
}`;

describe('batch writes and lookups', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', workspace: 'empty' });
  }, 60_000);
  afterAll(() => t?.close());

  it('upserts a batch of customers: created, updated and unchanged counted, scoreNew scoring the created', async () => {
    const first = await t.graphql(UPSERT, {
      customers: [
        { externalId: 'u1', name: 'One', segment: 'smb', properties: { plan: 'gold' } },
        { externalId: 'u2', name: 'Two' },
      ],
      scoreNew: true,
    });
    expect(first.body.data.upsertCustomers).toMatchObject({
      __typename: 'UpsertedCustomers',
      createdCount: 2,
      updatedCount: 0,
      unchangedCount: 0,
    });
    expect(
      first.body.data.upsertCustomers.results.every(
        (r: { customer: { score: number | null } }) => r.customer.score !== null,
      ),
    ).toBe(true);
    const second = await t.graphql(UPSERT, {
      customers: [
        { externalId: 'u1', name: 'One', segment: 'smb', properties: { plan: 'gold' } },
        { externalId: 'u2', name: 'Two Ltd' },
        { externalId: 'u3', name: 'Three' },
      ],
    });
    expect(second.body.data.upsertCustomers).toMatchObject({ createdCount: 1, updatedCount: 1, unchangedCount: 1 });
    // Without scoreNew the created customer waits for its first interaction.
    expect(second.body.data.upsertCustomers.results[2]).toMatchObject({ created: true, customer: { score: null } });
  });

  it('refuses a batch with a bad customer, listing every problem, storing none', async () => {
    const { body } = await t.graphql(UPSERT, {
      customers: [
        { externalId: 'v1', name: 'Fine' },
        { externalId: 'v2', name: '' },
        { externalId: 'v1', name: 'Again' },
      ],
    });
    expect(body.data.upsertCustomers).toEqual({
      __typename: 'ValidationError',
      problems: [
        { field: 'customers[1].name', code: 'INVALID' },
        { field: 'customers[2].externalId', code: 'DUPLICATE' },
      ],
    });
    expect(await t.database.prisma.customer.count({ where: { workspaceId: t.workspaceId, externalId: 'v1' } })).toBe(0);
  });

  it('looks up customers, interactions and outcomes in the order asked, null for what is not stored', async () => {
    await t.graphql(
      `mutation { recordInteractions(interactions: [
        { customer: { externalId: "w1", name: "W1" }, type: "meeting", idempotencyKey: "k-1" },
        { customer: { externalId: "w2", name: "W2" }, type: "meeting", idempotencyKey: "k-2" }]) { __typename }
        recordOutcomes(outcomes: [{ customer: { externalId: "w1" }, kind: RENEWED, idempotencyKey: "k-2" }]) { __typename } }`,
    );
    const { body } = await t.graphql(LOOKUP, { externalIds: ['w2', 'nobody', 'w1'], keys: ['k-2', 'k-9', 'k-1'] });
    expect(body.errors).toBeUndefined();
    expect(body.data.customersByExternalId).toEqual([
      { externalId: 'w2', name: 'W2' },
      null,
      { externalId: 'w1', name: 'W1' },
    ]);
    expect(body.data.interactionsByIdempotencyKey).toEqual([
      { idempotencyKey: 'k-2', customer: { externalId: 'w2' } },
      null,
      { idempotencyKey: 'k-1', customer: { externalId: 'w1' } },
    ]);
    expect(body.data.outcomesByIdempotencyKey.map((o: { kind: string } | null) => o?.kind ?? null)).toEqual([
      'RENEWED',
      null,
      null,
    ]);
  });

  it('takes at most 1,000 values, and counts each in the cost', async () => {
    const many = Array.from({ length: 1_001 }, (_, i) => `x${i}`);
    const refused = await t.graphql('query ($k: [String!]!) { interactionsByIdempotencyKey(keys: $k) { id } }', {
      k: many,
    });
    expect(refused.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('at most 1000 keys, got 1001'),
      extensions: { code: 'BAD_USER_INPUT', argument: 'keys', max: 1000 },
    });
    const costed = (n: number) =>
      t
        .fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${t.secretKey}` },
          body: JSON.stringify({
            query: 'query ($e: [String!]!) { customersByExternalId(externalIds: $e) { externalId name } }',
            variables: { e: many.slice(0, n) },
          }),
        })
        .then((r) => r.json() as Promise<{ extensions: { cost: { requested: number } } }>);
    // An object (2) and its two leaves per external id.
    expect((await costed(10)).extensions.cost.requested).toBe(40);
    expect((await costed(1_000)).extensions.cost.requested).toBe(4_000);
  });
});
