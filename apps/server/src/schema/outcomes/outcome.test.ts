// Outcomes through the API: recorded one at a time and in batches (idempotent), shown on the
// customer, taking a churned customer out of the at-risk list, and heard by webhook endpoints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../../testing.ts';

const RECORD = `mutation ($input: RecordOutcomeInput!) {
  recordOutcome(input: $input) {
    __typename
    ... on RecordedOutcome { replayed outcome { id kind occurredAt reason voluntary source } customer { externalId churnedAt } }
    ... on ValidationError { problems { field code } }
    ... on IdempotencyConflictError { idempotencyKey }
  }
}`;

const RECORD_MANY = `mutation ($outcomes: [RecordOutcomeInput!]!) {
  recordOutcomes(outcomes: $outcomes) {
    __typename
    ... on RecordedOutcomes { recordedCount replayedCount }
    ... on ValidationError { problems { field code } }
  }
}`;

describe.each(['pglite', 'postgres'] as const)('customer outcomes through GraphQL on %s', (database) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ database });
  }, 60_000);
  afterAll(() => t?.close());

  it('records a churn once, shows it on the customer, and refuses a reused key', async () => {
    const input = {
      customer: { externalId: 'acme', name: 'Acme' },
      kind: 'CHURNED',
      occurredAt: '2026-03-01T00:00:00Z',
      reason: 'Moved to a competitor',
      voluntary: true,
      idempotencyKey: 'churn-acme',
    };
    const first = await t.graphql(RECORD, { input });
    expect(first.body.data.recordOutcome).toMatchObject({
      __typename: 'RecordedOutcome',
      replayed: false,
      outcome: { kind: 'CHURNED', reason: 'Moved to a competitor', voluntary: true, source: 'api' },
      customer: { externalId: 'acme', churnedAt: '2026-03-01T00:00:00.000Z' },
    });
    const again = await t.graphql(RECORD, { input });
    expect(again.body.data.recordOutcome).toMatchObject({ replayed: true });
    const reused = await t.graphql(RECORD, { input: { ...input, reason: 'Price' } });
    expect(reused.body.data.recordOutcome).toEqual({
      __typename: 'IdempotencyConflictError',
      idempotencyKey: 'churn-acme',
    });

    const read = await t.graphql(`{ customers(first: 5) { edges { node { externalId churnedAt
      outcomes(first: 5) { totalCount edges { node { kind reason } } } } } } }`);
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data.customers.edges).toEqual([
      {
        node: {
          externalId: 'acme',
          churnedAt: '2026-03-01T00:00:00.000Z',
          outcomes: { totalCount: 1, edges: [{ node: { kind: 'CHURNED', reason: 'Moved to a competitor' } }] },
        },
      },
    ]);
  });

  it('records a batch all or nothing, naming every bad field', async () => {
    const bad = await t.graphql(RECORD_MANY, {
      outcomes: [
        { customer: { externalId: 'globex', name: 'Globex' }, kind: 'RENEWED', idempotencyKey: 'g1' },
        { customer: { externalId: 'globex' }, kind: 'RENEWED', voluntary: true, idempotencyKey: 'g2' },
      ],
    });
    expect(bad.body.data.recordOutcomes).toEqual({
      __typename: 'ValidationError',
      problems: [{ field: 'outcomes[1].voluntary', code: 'INVALID' }],
    });
    const good = await t.graphql(RECORD_MANY, {
      outcomes: [
        { customer: { externalId: 'globex', name: 'Globex' }, kind: 'RENEWED', idempotencyKey: 'g1' },
        { customer: { externalId: 'globex' }, kind: 'EXPANDED', reason: 'Added 20 seats', idempotencyKey: 'g2' },
      ],
    });
    expect(good.body.data.recordOutcomes).toEqual({
      __typename: 'RecordedOutcomes',
      recordedCount: 2,
      replayedCount: 0,
    });
  });

  it('takes a churned customer out of the at-risk list and brings it back on reactivation', async () => {
    // A customer pushed into the at-risk band by bad interactions.
    const interactions = Array.from({ length: 3 }, (_, i) => ({
      customer: { externalId: 'initech', name: 'Initech' },
      type: 'meeting',
      sentiment: 'WASTED_TIME',
      idempotencyKey: `initech-${i}`,
    }));
    const recorded = await t.graphql(
      `mutation ($i: [RecordInteractionInput!]!) { recordInteractions(interactions: $i) { __typename } }`,
      { i: interactions },
    );
    expect(recorded.body.data.recordInteractions.__typename).toBe('RecordedInteractions');
    const atRisk = async () =>
      (
        (await t.graphql(`{ atRiskCustomers(first: 10) { customer { externalId } } }`)).body.data.atRiskCustomers as {
          customer: { externalId: string };
        }[]
      ).map((r) => r.customer.externalId);
    expect(await atRisk()).toContain('initech');

    const churn = { customer: { externalId: 'initech' }, kind: 'CHURNED', idempotencyKey: 'initech-churn' };
    expect((await t.graphql(RECORD, { input: churn })).body.data.recordOutcome.customer.churnedAt).not.toBeNull();
    expect(await atRisk()).not.toContain('initech');

    const back = { customer: { externalId: 'initech' }, kind: 'REACTIVATED', idempotencyKey: 'initech-back' };
    expect((await t.graphql(RECORD, { input: back })).body.data.recordOutcome.customer.churnedAt).toBeNull();
    expect(await atRisk()).toContain('initech');
  });

  it('refuses to reactivate a customer that never churned (NOT_CHURNED), and stores nothing', async () => {
    const input = {
      customer: { externalId: 'soylent', name: 'Soylent' },
      kind: 'REACTIVATED',
      occurredAt: '2026-03-01T00:00:00Z',
      idempotencyKey: 'soylent-back',
    };
    const refused = await t.graphql(
      `mutation ($input: RecordOutcomeInput!) { recordOutcome(input: $input) {
        __typename ... on ValidationError { field code message problems { field code message } } } }`,
      { input },
    );
    const message =
      'customer "soylent" has not churned: no churn of it is recorded at or before 2026-03-01T00:00:00.000Z, and only a churned customer can be reactivated (record the churn first)';
    expect(refused.body.data.recordOutcome).toEqual({
      __typename: 'ValidationError',
      field: 'input.kind',
      code: 'NOT_CHURNED',
      message: `input.kind: ${message}`,
      problems: [{ field: 'input.kind', code: 'NOT_CHURNED', message }],
    });
    expect(
      await t.database.prisma.customer.count({ where: { workspaceId: t.workspaceId, externalId: 'soylent' } }),
    ).toBe(0);
    // Once it churned (before that date), the same reactivation is taken.
    const churned = await t.graphql(RECORD, {
      input: { ...input, kind: 'CHURNED', occurredAt: '2026-02-01T00:00:00Z', idempotencyKey: 'soylent-churn' },
    });
    expect(churned.body.data.recordOutcome.customer.churnedAt).toBe('2026-02-01T00:00:00.000Z');
    const back = await t.graphql(RECORD, { input });
    expect(back.body.data.recordOutcome).toMatchObject({
      __typename: 'RecordedOutcome',
      customer: { externalId: 'soylent', churnedAt: null },
    });
  });

  it('lets a webhook endpoint hear churns, and refuses outcome writes to keys that may not write', async () => {
    const created = await t.graphql(
      `mutation { createWebhookEndpoint(input: { url: "https://hooks.example.com/churn", customerChurned: true }) {
        __typename ... on WebhookEndpoint { customerChurned bandChanged { from } } } }`,
    );
    expect(created.body.data.createWebhookEndpoint).toEqual({
      __typename: 'WebhookEndpoint',
      customerChurned: true,
      bandChanged: null,
    });
    await t.graphql(RECORD, {
      input: { customer: { externalId: 'hooli', name: 'Hooli' }, kind: 'CHURNED', idempotencyKey: 'hooli' },
    });
    const events = await t.graphql(`{ webhookEvents(first: 5) { edges { node { type } } } }`);
    expect(events.body.data.webhookEvents.edges).toEqual([{ node: { type: 'customer.churned' } }]);

    const refused = await t.graphql(
      RECORD,
      { input: { customer: { externalId: 'hooli' }, kind: 'RENEWED', idempotencyKey: 'p1' } },
      t.publishableKey,
    );
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
