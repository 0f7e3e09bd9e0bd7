// Subscriptions as the popular clients open them (issue 16; docs/api/README.md, "Live updates from
// a client"): graphql-sse's own client (which urql and Apollo Client links use too), in process
// through yoga.fetch.
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../../testing.ts';

const SCORE_CHANGED = `subscription ($externalId: String) {
  scoreChanged(externalId: $externalId) { externalId score customer { id } }
}`;

describe('subscription clients', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', workspace: 'demo', demoCustomers: 3 });
  }, 60_000);
  afterAll(() => t?.close());

  const record = (key: string) =>
    t.graphql(
      `mutation ($key: String!) { recordInteraction(input: { customer: { externalId: "cus_0001" }, type: "meeting", idempotencyKey: $key }) { __typename } }`,
      { key },
    );

  it('graphql-sse (distinct connections mode) receives a score change, then a refusal as an error', async () => {
    const sse = createClient({
      url: 'http://pulso.test/graphql',
      headers: { authorization: `Bearer ${t.secretKey}` },
      fetchFn: (input: RequestInfo | URL, init?: RequestInit) => t.server.yoga.fetch(new Request(input, init)),
      retryAttempts: 0,
    });
    const events = sse.iterate({ query: SCORE_CHANGED, variables: { externalId: 'cus_0001' } });
    const first = events.next();
    // The stream is open once the server has subscribed; recording before would be missed.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await record('sse-client');
    const { value } = await first;
    expect(value.errors).toBeUndefined();
    expect(value.data.scoreChanged).toMatchObject({ externalId: 'cus_0001', customer: { id: expect.any(String) } });
    await events.return?.();

    const missing = sse.iterate({ query: SCORE_CHANGED, variables: { externalId: 'nobody' } });
    const refused = await missing.next().catch((error: unknown) => ({ value: error, done: true }));
    expect(JSON.stringify(refused.value)).toMatch(/NOT_FOUND/);
    sse.dispose();
  });
});
