// A customer's own weights have a history: set today, a weight applies from today. A model version
// holds no customer's weights, so a weight set later was applied to every past instant: healthAsOf
// showed a weight that did not exist then (under the version in force then) and recomputing the
// history rewrote the customer's past scores with it.
import { DAY_MS } from '@pulso/scoring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../../testing.ts';

const AS_OF = `query ($at: DateTime!) { customer(externalId: "weighed") {
  healthAsOf(at: $at) { value modelVersion categories { key weight weightSource } } } }`;
const HISTORY = `{ customer(externalId: "weighed") { score scoreHistory(from: "2000-01-01T00:00:00Z") { computedAt score modelVersion } } }`;
const SET = `mutation ($weight: Float) { setCustomerWeight(externalId: "weighed", categoryKey: "satisfaction", weight: $weight) { __typename } }`;

describe.each(['pglite', 'postgres'] as const)('customer weights over time (%s)', (database) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ database, over: 'fetch', workspace: 'empty' });
    const now = Date.now();
    const interactions = Array.from({ length: 12 }, (_, i) => ({
      customer: { externalId: 'weighed', name: 'Weighed' },
      type: 'email',
      occurredAt: new Date(now - (1 + 4 * i) * DAY_MS).toISOString(),
      idempotencyKey: `email-${i}`,
    }));
    const recorded = await t.graphql(
      `mutation ($i: [RecordInteractionInput!]!) { recordInteractions(interactions: $i) { __typename } }`,
      { i: interactions },
    );
    expect(recorded.body.errors).toBeUndefined();
    const nps = await t.graphql(
      `mutation { recordInteraction(input: { customer: { externalId: "weighed" }, type: "nps", value: 2, idempotencyKey: "nps" }) { __typename } }`,
    );
    expect(nps.body.errors).toBeUndefined();
    await t.server.rescoreRunner.idle();
  }, 120_000);
  afterAll(() => t?.close());

  it('scores past instants with the weights in force then, and keeps the history they produced', async () => {
    const before = (await t.graphql(HISTORY)).body.data.customer;
    const lastBefore = before.scoreHistory.at(-1);
    const between = new Date(new Date(lastBefore.computedAt).getTime() + 1).toISOString();
    const asOfBefore = (await t.graphql(AS_OF, { at: between })).body.data.customer.healthAsOf;
    expect(asOfBefore.value).toBe(before.score);

    expect((await t.graphql(SET, { weight: 500 })).body.data.setCustomerWeight.__typename).toBe('ScoringModelChange');
    await t.server.rescoreRunner.idle();
    const after = (await t.graphql(HISTORY)).body.data.customer;
    expect(after.score).not.toBe(before.score);

    // The instant before the change reads as it did: no weight of the customer's own then.
    const asOf = (await t.graphql(AS_OF, { at: between })).body.data.customer.healthAsOf;
    expect(asOf).toEqual(asOfBefore);
    expect(asOf.categories.find((c: { key: string }) => c.key === 'satisfaction').weightSource).not.toBe('CUSTOMER');
    // Now, it is the customer's own.
    const now = (await t.graphql(AS_OF, { at: new Date().toISOString() })).body.data.customer.healthAsOf;
    expect(now.value).toBe(after.score);
    expect(now.categories.find((c: { key: string }) => c.key === 'satisfaction')).toMatchObject({
      weight: 500,
      weightSource: 'CUSTOMER',
    });

    // Recomputing the history leaves the scores from before the change as they were.
    const recomputed = await t.graphql(`mutation { recomputeScoreHistory { __typename } }`);
    expect(recomputed.body.errors).toBeUndefined();
    await t.server.rescoreRunner.idle();
    const history = (await t.graphql(HISTORY)).body.data.customer.scoreHistory;
    for (const point of before.scoreHistory) {
      const same = history.find((p: { computedAt: string }) => p.computedAt === point.computedAt);
      expect(same?.score).toBe(point.score);
    }

    // Removing the weight later: the instants while it was in force keep it.
    const whileSet = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await t.graphql(SET, { weight: null })).body.data.setCustomerWeight.__typename).toBe('ScoringModelChange');
    await t.server.rescoreRunner.idle();
    const then = (await t.graphql(AS_OF, { at: whileSet })).body.data.customer.healthAsOf;
    expect(then.categories.find((c: { key: string }) => c.key === 'satisfaction')).toMatchObject({
      weight: 500,
      weightSource: 'CUSTOMER',
    });
  });
});
