import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileModel, scoreCustomer } from '@pulso/scoring';
import { createWorkspace, loadScoringModel } from '@pulso/core';
import { createTestServer, type TestServer } from '../../testing.ts';

const RECORD = `mutation ($input: RecordInteractionInput!) {
  recordInteraction(input: $input) {
    __typename
    ... on RecordedInteraction { replayed interaction { id type { key } value } customer { externalId score band } }
    ... on UserError { field code message }
    ... on ValidationError { problems { field code message } }
    ... on IdempotencyConflictError { idempotencyKey }
  }
}`;

const BATCH = `mutation ($interactions: [RecordInteractionInput!]!) {
  recordInteractions(interactions: $interactions) {
    __typename
    ... on RecordedInteractions { recordedCount replayedCount results { replayed interaction { id } } }
    ... on UserError { field code message }
    ... on ValidationError { problems { field code message } }
  }
}`;

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

describe.each(['pglite', 'postgres'] as const)('recording interactions on %s', (database) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', database, workspace: 'empty' });
    await t.graphql(`mutation { createCustomer(input: { externalId: "acme", name: "Acme" }) { __typename } }`);
  }, 60_000);
  afterAll(() => t?.close());

  const counts = async () => ({
    interactions: await t.database.prisma.interaction.count({ where: { workspaceId: t.workspaceId } }),
    snapshots: await t.database.prisma.scoreSnapshot.count({ where: { workspaceId: t.workspaceId } }),
    customers: await t.database.prisma.customer.count({ where: { workspaceId: t.workspaceId } }),
  });

  /** The stored score must equal a fresh computation from the stored interactions. */
  async function expectStoredScoreIsFresh(externalId: string) {
    const prisma = t.database.prisma;
    const customer = await prisma.customer.findUniqueOrThrow({
      where: { workspaceId_externalId: { workspaceId: t.workspaceId, externalId } },
    });
    const rows = await prisma.interaction.findMany({ where: { customerId: customer.id }, include: { type: true } });
    const { version: _v, ...model } = await loadScoringModel(prisma, t.workspaceId);
    const fresh = scoreCustomer(
      compileModel(model),
      { segment: customer.segment, weights: {} },
      rows.map((r) => ({
        id: r.id,
        typeKey: r.type.key,
        occurredAt: r.occurredAt,
        intensity: r.intensity,
        sentiment: r.sentiment,
        value: r.value,
      })),
      customer.scoreComputedAt!,
    );
    expect(customer.score).toBe(fresh.score);
    expect(customer.band).toBe(fresh.band.key);
    expect((customer.scoreBreakdown as { interactionCount: number }).interactionCount).toBe(rows.length);
    return customer;
  }

  it('records an interaction and updates the score in the same transaction', async () => {
    const before = await counts();
    const { body } = await t.graphql(RECORD, {
      input: {
        customer: { externalId: 'acme' },
        type: 'nps',
        // A detractor: on a new customer its cost shows at once (a lone promoter answer leaves a
        // customer at the neutral 50 until engagement backs it, so it would not show the update).
        value: 3,
        occurredAt: minutesAgo(5),
        idempotencyKey: 'nps-1',
      },
    });
    expect(body.errors).toBeUndefined();
    const result = body.data.recordInteraction;
    expect(result.__typename).toBe('RecordedInteraction');
    expect(result.replayed).toBe(false);
    expect(result.interaction.type.key).toBe('nps');
    expect(result.customer.score).toBeLessThan(50);
    expect(await counts()).toEqual({
      ...before,
      interactions: before.interactions + 1,
      snapshots: before.snapshots + 1,
    });
    const stored = await expectStoredScoreIsFresh('acme');
    expect(result.customer.score).toBe(stored.score);
  });

  it('returns the original result for a retry with the same key and content, and refuses other content', async () => {
    const input = {
      customer: { externalId: 'acme' },
      type: 'meeting',
      sentiment: 'LIKED',
      occurredAt: minutesAgo(3),
      idempotencyKey: 'meeting-1',
    };
    const first = await t.graphql(RECORD, { input });
    const before = await counts();
    const retry = await t.graphql(RECORD, { input });
    expect(retry.body.data.recordInteraction.replayed).toBe(true);
    expect(retry.body.data.recordInteraction.interaction.id).toBe(first.body.data.recordInteraction.interaction.id);
    expect(await counts()).toEqual(before);

    const reused = await t.graphql(RECORD, { input: { ...input, sentiment: 'DISLIKED' } });
    expect(reused.body.data.recordInteraction).toMatchObject({
      __typename: 'IdempotencyConflictError',
      field: 'input.idempotencyKey',
      code: 'IDEMPOTENCY_CONFLICT',
      idempotencyKey: 'meeting-1',
    });
    expect(reused.body.data.recordInteraction.message).toMatch(/already used for a different interaction/);
    expect(await counts()).toEqual(before);
  });

  it('stores one interaction for concurrent duplicates, and scores every concurrent write', async () => {
    const input = {
      customer: { externalId: 'acme' },
      type: 'support_ticket',
      sentiment: 'DISLIKED',
      occurredAt: minutesAgo(2),
      idempotencyKey: 'dup-1',
    };
    const before = await counts();
    const results = await Promise.all(Array.from({ length: 20 }, () => t.graphql(RECORD, { input })));
    for (const r of results) expect(r.body.errors).toBeUndefined();
    const ids = new Set(results.map((r) => r.body.data.recordInteraction.interaction.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.body.data.recordInteraction.replayed)).toHaveLength(1);
    expect((await counts()).interactions).toBe(before.interactions + 1);
    // Different keys at once for one customer: each write sees the others, the last score has them all.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.graphql(RECORD, {
          input: {
            customer: { externalId: 'acme' },
            type: 'product_session',
            occurredAt: minutesAgo(1),
            idempotencyKey: `login-${i}`,
          },
        }),
      ),
    );
    expect((await counts()).interactions).toBe(before.interactions + 11);
    await expectStoredScoreIsFresh('acme');
  });

  it('settles overlapping concurrent batches without deadlock or double counting', async () => {
    const at = minutesAgo(4);
    const item = (i: number) => ({
      customer: { externalId: `overlap-${i % 3}`, name: `Overlap ${i % 3}` },
      type: 'email',
      occurredAt: at,
      idempotencyKey: `overlap-${i}`,
    });
    const forward = Array.from({ length: 30 }, (_, i) => item(i));
    const backward = [...forward].reverse();
    const before = await counts();
    const results = await Promise.all(
      [forward, backward, forward, backward].map((interactions) => t.graphql(BATCH, { interactions })),
    );
    for (const r of results) expect(r.body.data.recordInteractions.__typename).toBe('RecordedInteractions');
    expect(results.reduce((sum, r) => sum + r.body.data.recordInteractions.recordedCount, 0)).toBe(30);
    expect(await counts()).toMatchObject({ interactions: before.interactions + 30, customers: before.customers + 3 });
    for (const i of [0, 1, 2]) await expectStoredScoreIsFresh(`overlap-${i}`);
  });

  it('creates a customer named on the fly once, however many writes name it at the same time', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.graphql(RECORD, {
          input: {
            customer: { externalId: 'fresh', name: 'Fresh Co' },
            type: 'meeting',
            occurredAt: minutesAgo(2),
            idempotencyKey: `fresh-${i}`,
          },
        }),
      ),
    );
    for (const r of results) expect(r.body.data.recordInteraction.__typename).toBe('RecordedInteraction');
    expect(await t.database.prisma.customer.count({ where: { workspaceId: t.workspaceId, externalId: 'fresh' } })).toBe(
      1,
    );
    expect(
      await t.database.prisma.interaction.count({
        where: { workspaceId: t.workspaceId, customer: { externalId: 'fresh' } },
      }),
    ).toBe(20);
    await expectStoredScoreIsFresh('fresh');
  });

  it('reports invalid input as typed errors naming each field', async () => {
    const base = { customer: { externalId: 'acme' }, idempotencyKey: 'bad' };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ type: 'teleport' }, 'input.type', 'UNKNOWN_INTERACTION_TYPE'],
      [{ type: 'nps', value: 11 }, 'input.value', 'OUT_OF_RANGE'],
      [{ type: 'meeting', intensity: -1 }, 'input.intensity', 'OUT_OF_RANGE'],
      [
        { type: 'meeting', occurredAt: new Date(Date.now() + 86_400_000).toISOString() },
        'input.occurredAt',
        'FUTURE_DATE',
      ],
      [{ type: 'nps' }, 'input.value', 'MISSING_VALUE'],
      [{ type: 'meeting', customer: { externalId: 'ghost' } }, 'input.customer.externalId', 'NOT_FOUND'],
      [{ type: 'meeting', customer: { id: 'nope', externalId: 'acme' } }, 'input.customer', 'INVALID'],
      // A name may create the customer: an external id with whitespace around it would be another one.
      [{ type: 'meeting', customer: { externalId: 'acme ', name: 'Acme' } }, 'input.customer.externalId', 'INVALID'],
    ];
    const before = await counts();
    for (const [input, field, code] of cases) {
      const { body } = await t.graphql(RECORD, { input: { ...base, ...input } });
      expect(body.errors).toBeUndefined();
      expect(body.data.recordInteraction).toMatchObject({ __typename: 'ValidationError', field, code });
      expect(body.data.recordInteraction.message).not.toMatch(/at .*\.ts/);
    }
    const tooMany = await t.graphql(BATCH, {
      interactions: Array.from({ length: 1001 }, (_, i) => ({
        customer: { externalId: 'acme' },
        type: 'product_session',
        idempotencyKey: `many-${i}`,
      })),
    });
    expect(tooMany.body.data.recordInteractions).toMatchObject({
      __typename: 'ValidationError',
      field: 'interactions',
      code: 'TOO_MANY',
    });
    expect(await counts()).toEqual(before);
  });

  it('lists every problem at once: a future date does not hide an unknown type', async () => {
    const before = await counts();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const one = await t.graphql(RECORD, {
      input: { customer: { externalId: 'acme' }, type: 'teleport', occurredAt: tomorrow, idempotencyKey: 'both' },
    });
    expect(one.body.data.recordInteraction.__typename).toBe('ValidationError');
    expect(one.body.data.recordInteraction.problems).toEqual([
      { field: 'input.occurredAt', code: 'FUTURE_DATE', message: expect.any(String) },
      { field: 'input.type', code: 'UNKNOWN_INTERACTION_TYPE', message: expect.any(String) },
    ]);
    const batch = await t.graphql(BATCH, {
      interactions: [
        { customer: { externalId: 'acme' }, type: 'meeting', occurredAt: tomorrow, idempotencyKey: 'all-1' },
        { customer: { externalId: 'acme' }, type: 'nps', value: 11, idempotencyKey: 'all-2' },
      ],
    });
    expect(batch.body.data.recordInteractions.problems).toEqual([
      { field: 'interactions[0].occurredAt', code: 'FUTURE_DATE', message: expect.any(String) },
      { field: 'interactions[1].value', code: 'OUT_OF_RANGE', message: expect.any(String) },
    ]);
    // The model's problems and the customers' (both read inside the transaction) together too.
    const model = await t.graphql(BATCH, {
      interactions: [
        { customer: { externalId: 'acme' }, type: 'teleport', idempotencyKey: 'all-3' },
        { customer: { externalId: 'ghost' }, type: 'meeting', idempotencyKey: 'all-4' },
        { customer: { externalId: 'made-on-the-fly', name: 'Made' }, type: 'meeting', idempotencyKey: 'all-5' },
      ],
    });
    expect(model.body.data.recordInteractions.problems).toEqual([
      { field: 'interactions[0].type', code: 'UNKNOWN_INTERACTION_TYPE', message: expect.any(String) },
      { field: 'interactions[1].customer.externalId', code: 'NOT_FOUND', message: expect.any(String) },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('stores a batch whole or not at all', async () => {
    const before = await counts();
    const at = minutesAgo(10);
    const good = (i: number) => ({
      customer: { externalId: `batch-${i}`, name: `Batch ${i}` },
      type: 'meeting',
      occurredAt: at,
      idempotencyKey: `b-${i}`,
    });
    const failing = await t.graphql(BATCH, {
      interactions: [
        good(1),
        good(2),
        { customer: { externalId: 'acme' }, type: 'nps', value: 11, idempotencyKey: 'b-bad' },
      ],
    });
    expect(failing.body.data.recordInteractions.problems).toEqual([
      { field: 'interactions[2].value', code: 'OUT_OF_RANGE', message: expect.any(String) },
    ]);
    // A conflict found only after the inserts rolls back the customers created on the fly too.
    const conflicting = await t.graphql(BATCH, {
      interactions: [
        good(1),
        good(2),
        { customer: { externalId: 'acme' }, type: 'product_session', idempotencyKey: 'meeting-1' },
      ],
    });
    expect(conflicting.body.data.recordInteractions).toMatchObject({
      __typename: 'IdempotencyConflictError',
      field: 'interactions[2].idempotencyKey',
    });
    expect(await counts()).toEqual(before);

    const ok = await t.graphql(BATCH, { interactions: [good(1), good(2), good(3)] });
    expect(ok.body.data.recordInteractions).toMatchObject({ recordedCount: 3, replayedCount: 0 });
    const again = await t.graphql(BATCH, { interactions: [good(1), good(2), good(3), good(4)] });
    expect(again.body.data.recordInteractions).toMatchObject({ recordedCount: 1, replayedCount: 3 });
    expect(await counts()).toMatchObject({ interactions: before.interactions + 4, customers: before.customers + 4 });
    for (const i of [1, 2, 3, 4]) await expectStoredScoreIsFresh(`batch-${i}`);
  });

  it('records a batch of 1,000 in one request', async () => {
    const interactions = Array.from({ length: 1000 }, (_, i) => ({
      customer: { externalId: `bulk-${i % 50}`, name: `Bulk ${i % 50}` },
      type: i % 2 ? 'product_session' : 'email',
      occurredAt: minutesAgo(30 + (i % 600)),
      idempotencyKey: `bulk-${i}`,
    }));
    const { body } = await t.graphql(BATCH, { interactions });
    expect(body.errors).toBeUndefined();
    expect(body.data.recordInteractions.recordedCount).toBe(1000);
    await expectStoredScoreIsFresh('bulk-7');
  }, 60_000);

  it('never reads or writes another workspace', async () => {
    const other = await createWorkspace(t.database.prisma, { slug: `other-${database}`, name: 'Other' });
    const theirs = await t.database.prisma.customer.create({
      data: { workspaceId: other.workspaceId, externalId: 'acme', name: 'Their Acme' },
    });
    const before = await t.database.prisma.interaction.count({ where: { customerId: theirs.id } });
    const byId = await t.graphql(RECORD, {
      input: { customer: { id: theirs.id }, type: 'meeting', idempotencyKey: 'cross-1' },
    });
    expect(byId.body.data.recordInteraction).toMatchObject({ __typename: 'ValidationError', code: 'NOT_FOUND' });
    // The same external id names our own customer, never theirs.
    const byExternal = await t.graphql(RECORD, {
      input: { customer: { externalId: 'acme' }, type: 'meeting', idempotencyKey: 'cross-2' },
    });
    expect(byExternal.body.data.recordInteraction.customer.externalId).toBe('acme');
    expect(await t.database.prisma.interaction.count({ where: { customerId: theirs.id } })).toBe(before);
    // Their key cannot touch our customers either.
    const mine = await t.database.prisma.customer.findFirstOrThrow({
      where: { workspaceId: t.workspaceId, externalId: 'acme' },
    });
    const reverse = await t.graphql(
      RECORD,
      { input: { customer: { id: mine.id }, type: 'meeting', idempotencyKey: 'cross-3' } },
      other.secretKey.key,
    );
    expect(reverse.body.data.recordInteraction).toMatchObject({ __typename: 'ValidationError', code: 'NOT_FOUND' });
    // Idempotency keys are per workspace: theirs may reuse ours.
    const sameKey = await t.graphql(
      RECORD,
      { input: { customer: { id: theirs.id }, type: 'product_session', idempotencyKey: 'nps-1' } },
      other.secretKey.key,
    );
    expect(sameKey.body.data.recordInteraction.replayed).toBe(false);
  });

  it('lets only secret keys record', async () => {
    const input = { customer: { externalId: 'acme' }, type: 'meeting', idempotencyKey: 'pk-1' };
    const publishable = await t.graphql(RECORD, { input }, t.publishableKey);
    expect(publishable.body.errors?.[0]?.message).toMatch(/publishable API key may not use Mutation.recordInteraction/);
  });
});
