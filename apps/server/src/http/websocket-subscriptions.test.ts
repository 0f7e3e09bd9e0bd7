// GraphQL over WebSocket as graphql-ws' client speaks it, over a real socket (the upgrade is what is
// tested): events arrive, the key comes in connectionParams, HTTP's guards hold, refusals are clear.
import { type Client, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestServer, type TestServer } from '../testing.ts';
import { createWebSocketSubscriptions } from './websocket-subscriptions.ts';

const SCORE_CHANGED = `subscription ($externalId: String) {
  scoreChanged(externalId: $externalId) { externalId score customer { id } }
}`;

interface Outcome {
  data?: any;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
  closed?: { code: number; reason: string };
}

describe('GraphQL over WebSocket (graphql-ws)', () => {
  let t: TestServer;
  let url: string;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await createTestServer({ workspace: 'demo', demoCustomers: 3, limits: { maxDepth: 6 } });
    url = `${(await t.server.listen(0, '127.0.0.1')).replace('http', 'ws')}/graphql`;
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t?.close();
  });

  const connect = (key: string | null, extra: Parameters<typeof createClient>[0] = { url: '' }) => {
    const client = createClient({
      ...extra,
      url,
      webSocketImpl: extra.webSocketImpl ?? WebSocket,
      connectionParams: key ? { authorization: `Bearer ${key}` } : {},
      retryAttempts: 0,
      lazy: true,
    });
    clients.push(client);
    return client;
  };

  /** The first thing an operation yields: a result, errors, or the socket's close. */
  const first = (client: Client, query: string, variables?: Record<string, unknown>) =>
    new Promise<Outcome>((resolve) => {
      const stop = client.subscribe(
        { query, variables },
        {
          next: (value) => {
            stop();
            resolve(value as Outcome);
          },
          error: (error) => {
            if (Array.isArray(error)) resolve({ errors: error });
            else if (error && typeof error === 'object' && 'code' in error)
              resolve({ closed: { code: (error as CloseEvent).code, reason: (error as CloseEvent).reason } });
            else resolve({ errors: [{ message: String(error) }] });
          },
          complete: () => undefined,
        },
      );
    });

  it('delivers a score change to a subscription opened with the key in connectionParams', async () => {
    const client = connect(t.secretKey);
    const event = first(client, SCORE_CHANGED, { externalId: 'cus_0001' });
    // Subscribed once the server acknowledged it; a write before would not be an event.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const recorded = await t.graphql(
      `mutation { recordInteraction(input: { customer: { externalId: "cus_0001" }, type: "meeting", idempotencyKey: "ws-1" }) { __typename } }`,
    );
    expect(recorded.body.errors).toBeUndefined();
    const { data, errors } = await event;
    expect(errors).toBeUndefined();
    expect(data.scoreChanged).toMatchObject({ externalId: 'cus_0001', customer: { id: expect.any(String) } });
  });

  it('answers queries too, and refuses a missing customer with NOT_FOUND as over HTTP', async () => {
    const client = connect(t.secretKey);
    const answer = await first(client, '{ workspace { customerCount } }');
    expect(answer.data).toEqual({ workspace: { customerCount: 3 } });
    const missing = await first(client, SCORE_CHANGED, { externalId: 'nobody' });
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it("runs HTTP's guards: a query deeper than the limit is refused before it runs", async () => {
    const client = connect(t.secretKey);
    const deep = await first(
      client,
      '{ customers(first: 1) { nodes { interactions(first: 1) { nodes { customer { interactions(first: 1) { nodes { id } } } } } } } }',
    );
    expect(deep.data).toBeUndefined();
    expect(deep.errors?.[0]?.message).toMatch(/too deep/);
  });

  it('without a key, a subscription is refused as unauthenticated, with nothing of the HTTP answer in the error', async () => {
    const answer = await first(connect(null), SCORE_CHANGED, { externalId: 'cus_0001' });
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors?.length).toBeGreaterThan(0);
    expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // A status and a WWW-Authenticate header mean something in an HTTP answer, not in a message.
    expect(answer.errors?.[0]?.extensions).not.toHaveProperty('http');
  });

  it('takes the key from the upgrade request Authorization header when the client can set one', async () => {
    const client = connect(null, {
      url: '',
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { authorization: `Bearer ${t.secretKey}` } });
        }
      },
    });
    const answer = await first(client, '{ workspace { customerCount } }');
    expect(answer.data).toEqual({ workspace: { customerCount: 3 } });
    const refused = connect(null, {
      url: '',
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { authorization: 'Bearer pulso_sk_not_a_real_key' } });
        }
      },
    });
    expect((await first(refused, '{ __typename }')).closed?.code).toBe(4403);
  });

  it('closes the socket with 4403 and the reason for a refused key, before any operation', async () => {
    const answer = await first(connect('pulso_sk_not_a_real_key'), '{ __typename }');
    expect(answer.closed?.code).toBe(4403);
    expect(answer.closed?.reason).toMatch(/key/i);
  });

  it('closes with 1009 a message larger than the request body limit', async () => {
    const client = connect(t.secretKey);
    const huge = `{ __typename ${'#'.repeat(1_200_000)}\n }`;
    const answer = await first(client, huge);
    expect(answer.closed?.code).toBe(1009);
  });
});

describe('GraphQL over WebSocket under load', () => {
  it('answers an upgrade with 503 and Retry-After while the server sheds load', async () => {
    const t = await createTestServer({ workspace: 'empty' });
    const sockets = createWebSocketSubscriptions({
      yoga: t.server.yoga,
      path: '/graphql',
      maxPayloadBytes: 1_000,
      refusedKey: async () => null,
      overloaded: () => true,
      retryAfterSeconds: 2,
    });
    const http = createServer().on('upgrade', (req, socket, head) => sockets.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = http.address() as AddressInfo;
      const refusal = await new Promise<{ status?: number; retryAfter?: string }>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
        ws.on('unexpected-response', (_req, res) =>
          resolve({ status: res.statusCode, retryAfter: res.headers['retry-after'] }),
        );
        ws.on('open', () => reject(new Error('the upgrade was accepted')));
        ws.on('error', () => undefined);
      });
      expect(refusal).toEqual({ status: 503, retryAfter: '2' });
    } finally {
      await sockets.close();
      http.close();
      await t.close();
    }
  });
});

describe('GraphQL over WebSocket at shutdown', () => {
  it('tells open sockets the server is going (1001) and lets the close finish', async () => {
    const t = await createTestServer({ workspace: 'demo', demoCustomers: 2 });
    const url = `${(await t.server.listen(0, '127.0.0.1')).replace('http', 'ws')}/graphql`;
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${t.secretKey}` },
      retryAttempts: 0,
    });
    const closed = new Promise<number>((resolve) =>
      client.subscribe(
        { query: SCORE_CHANGED, variables: { externalId: 'cus_0001' } },
        { next: () => undefined, error: (e) => resolve((e as CloseEvent).code), complete: () => resolve(0) },
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await t.close();
    expect(await closed).toBe(1001);
    expect(Date.now() - started).toBeLessThan(5_000);
    await client.dispose();
  });
});
