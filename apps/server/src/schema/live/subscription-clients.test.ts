// Subscriptions as the popular clients open them (issue 16; docs/api/README.md, "Live updates from
// a client"): graphql-sse's own client (which urql and Apollo Client links use too), and Apollo
// Client itself over its default transport for subscriptions, multipart HTTP, in process through
// yoga.fetch.
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../../testing.ts';

const SCORE_CHANGED = `subscription ($externalId: String) {
  scoreChanged(externalId: $externalId) { externalId score customer { id } }
}`;
/** What Apollo Client 4's HttpLink accepts for a subscription. */
const APOLLO_MULTIPART = 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json';

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

  it("Apollo Client's HttpLink subscribes over multipart HTTP, its default, and its cache takes the event", async () => {
    const client = new ApolloClient({
      cache: new InMemoryCache(),
      link: new HttpLink({
        uri: 'http://pulso.test/graphql',
        headers: { authorization: `Bearer ${t.secretKey}` },
        fetch: async (input: RequestInfo | URL, init?: RequestInit) => t.server.yoga.fetch(new Request(input, init)),
      }),
    });
    const event = new Promise<any>((resolve, reject) => {
      const subscription = client
        .subscribe({ query: gql(SCORE_CHANGED), variables: { externalId: 'cus_0001' } })
        .subscribe({
          next: (value) => {
            subscription.unsubscribe();
            resolve(value);
          },
          error: reject,
        });
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await record('apollo-client');
    const { data, error } = await event;
    expect(error).toBeUndefined();
    expect(data.scoreChanged).toMatchObject({ externalId: 'cus_0001', customer: { id: expect.any(String) } });
    // Normalized by __typename and id (which the selection has): the customer is in the cache.
    const cached = client.cache.extract() as Record<string, unknown>;
    expect(cached[`Customer:${data.scoreChanged.customer.id}`]).toBeDefined();
    client.stop();
  });

  it('multipart HTTP as Apollo Client asks for it: each event as { payload }', async () => {
    const response = await t.subscribe(SCORE_CHANGED, { externalId: 'cus_0001' }, APOLLO_MULTIPART);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('multipart/mixed;boundary="graphql";subscriptionSpec="1.0"');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const parts = () =>
      text
        .split('\r\n--graphql')
        .slice(1)
        .filter((chunk) => chunk.startsWith('\r\n'))
        .map((chunk) => {
          const [headers, body] = chunk.slice(2).split('\r\n\r\n');
          expect(headers).toBe('content-type: application/json; charset=utf-8');
          return JSON.parse(body!);
        });
    setTimeout(() => void record('multipart-client'), 200);
    while (!parts().some((part) => part.payload)) text += (await reader.read()).value ?? '';
    const event = parts().find((part) => part.payload)!;
    expect(event.payload.errors).toBeUndefined();
    expect(event.payload.data.scoreChanged).toMatchObject({
      externalId: 'cus_0001',
      customer: { id: expect.any(String) },
    });
    await reader.cancel();
  });

  it('multipart HTTP sends a {} heartbeat while no event comes, so proxies keep the connection', async () => {
    const server = await createTestServer({ over: 'fetch', workspace: 'demo', demoCustomers: 1 });
    try {
      const response = await server.subscribe('subscription { scoreChanged { score } }', undefined, APOLLO_MULTIPART);
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      const started = Date.now();
      while (!text.includes('\r\n\r\n{}\r\n--graphql')) text += (await reader.read()).value ?? '';
      // The default heartbeat is 5 s.
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
      await reader.cancel();
    } finally {
      await server.close();
    }
  }, 30_000);

  it('tells proxies not to buffer or transform a stream, Server-Sent Events or multipart (nginx buffers otherwise)', async () => {
    for (const accept of ['text/event-stream', APOLLO_MULTIPART]) {
      const response = await t.subscribe(SCORE_CHANGED, { externalId: 'cus_0001' }, accept);
      expect(response.headers.get('x-accel-buffering'), accept).toBe('no');
      expect(response.headers.get('cache-control'), accept).toContain('no-transform');
      // Read from before it is cancelled (yoga's SSE stream cannot be cancelled before it starts).
      const reader = response.body!.getReader();
      await reader.read();
      await reader.cancel();
    }
    // A plain JSON answer is left alone.
    const plain = await t.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.secretKey}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('x-accel-buffering')).toBeNull();
  });

  it('multipart HTTP answers a refused subscription (NOT_FOUND) as JSON, as Apollo Client reads it', async () => {
    const response = await t.subscribe(SCORE_CHANGED, { externalId: 'nobody' }, APOLLO_MULTIPART);
    const body = await response.json();
    expect(body.errors[0].extensions.code).toBe('NOT_FOUND');
  });
});
