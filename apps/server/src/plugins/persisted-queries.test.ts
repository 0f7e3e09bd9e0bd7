// Automatic persisted queries (issue 16), in process through yoga.fetch: the protocol answers, and
// Apollo Client's own persisted-query link (sha256, GET for hashed queries) against the server.
import { createHash } from 'node:crypto';
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { createPulsoServer, type PulsoServer } from '../server.ts';
import { createTestServer, type TestServer } from '../testing.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const QUERY = '{ workspace { name } }';

describe('automatic persisted queries', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch' });
  });
  afterAll(() => t?.close());

  const post = async (query: string, extensions: Record<string, unknown>) => {
    const response = await t.fetch('/graphql', {
      method: 'POST',
      headers: { authorization: `Bearer ${t.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query, extensions }),
    });
    return { status: response.status, body: await response.json() };
  };
  const get = (params: Record<string, unknown>) =>
    t.fetch(
      `/graphql?${new URLSearchParams(
        Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      )}`,
      { headers: { authorization: `Bearer ${t.secretKey}`, accept: 'application/graphql-response+json' } },
    );

  it('answers an unknown hash PERSISTED_QUERY_NOT_FOUND, keeps the query sent with it, then runs it by hash over GET', async () => {
    const query = `{ workspace { name } } # ${crypto.randomUUID()}`;
    const persistedQuery = { version: 1, sha256Hash: sha256(query) };
    const unknown = await get({ extensions: { persistedQuery } });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).errors).toEqual([
      { message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
    ]);
    const full = await post(query, { persistedQuery });
    expect(full.body.data).toEqual({ workspace: { name: 'Test' } });
    const hashed = await get({ extensions: { persistedQuery } });
    expect(hashed.status).toBe(200);
    expect((await hashed.json()).data).toEqual({ workspace: { name: 'Test' } });
  });

  it('refuses a query whose hash is not its own (PERSISTED_QUERY_MISMATCH), and keeps nothing', async () => {
    const persistedQuery = { version: 1, sha256Hash: sha256('{ __typename }') };
    const wrong = await post(QUERY, { persistedQuery });
    expect(wrong.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_MISMATCH');
    const { body } = await post(QUERY, { persistedQuery: { version: 1, sha256Hash: sha256(QUERY) } });
    expect(body.data).toEqual({ workspace: { name: 'Test' } });
  });

  it('runs a query too long to keep, but does not keep it (the store stays bounded)', async () => {
    const query = `{ workspace { name } } # ${'x'.repeat(40_000)}`;
    const persistedQuery = { version: 1, sha256Hash: sha256(query) };
    expect((await post(query, { persistedQuery })).body.data).toEqual({ workspace: { name: 'Test' } });
    const hashed = await get({ extensions: { persistedQuery } });
    expect((await hashed.json()).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it("works with Apollo Client's persisted-query link: one GET by hash once the server knows the query", async () => {
    const requests: { method: string; hasQuery: boolean }[] = [];
    const client = () =>
      new ApolloClient({
        cache: new InMemoryCache(),
        link: new PersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
          new HttpLink({
            uri: 'http://pulso.test/graphql',
            headers: { authorization: `Bearer ${t.secretKey}` },
            fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
              const request = new Request(input, init);
              const body = request.method === 'POST' ? await request.clone().text() : '';
              requests.push({
                method: request.method,
                hasQuery: new URL(request.url).searchParams.has('query') || body.includes('"query"'),
              });
              return t.server.yoga.fetch(request);
            },
          }),
        ),
      });
    const query = gql`
      query PersistedWorkspace {
        workspace {
          id
          name
        }
      }
    `;
    const first = await client().query({ query });
    expect(first.data).toMatchObject({ workspace: { name: 'Test' } });
    // The hash first (GET, unknown), then the query with it (POST).
    expect(requests).toEqual([
      { method: 'GET', hasQuery: false },
      { method: 'POST', hasQuery: true },
    ]);
    requests.length = 0;
    const second = await client().query({ query });
    expect(second.data).toEqual(first.data);
    expect(requests).toEqual([{ method: 'GET', hasQuery: false }]);
  });

  // Two instances behind one balancer, sharing Redis as production runs them (REDIS_URL): a query
  // one instance learnt runs by hash on the other, which never saw it sent in full.
  it('shares the queries an instance learnt with the others through Redis, and keeps its own when Redis is away', async () => {
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const redisPrefix = `pulso-test-apq-${crypto.randomUUID()}`;
    const instance = (url: string) =>
      createPulsoServer({ database: t.database, logger: createLogger('silent'), redisUrl: url, redisPrefix });
    const [a, b] = [instance(redisUrl), instance(redisUrl)];
    // A Redis nobody listens on: nothing shared, each instance on its own memory, never an error.
    const alone = instance('redis://127.0.0.1:1');
    try {
      const byHash = async (server: PulsoServer, query: string | null, hash: string) => {
        const response = await server.yoga.fetch('http://pulso.test/graphql', {
          method: 'POST',
          headers: { authorization: `Bearer ${t.secretKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
        });
        return response.json();
      };
      const query = `{ workspace { name } } # ${crypto.randomUUID()}`;
      const hash = sha256(query);
      expect((await byHash(b, null, hash)).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      // The instance that learns a query stores it in Redis once its connection is up, without making
      // its caller wait: teach it again until the other instance, never sent the query, runs it by hash.
      await expect
        .poll(
          async () => {
            expect((await byHash(a, query, hash)).data).toEqual({ workspace: { name: 'Test' } });
            return (await byHash(b, null, hash)).data;
          },
          { timeout: 5_000 },
        )
        .toEqual({ workspace: { name: 'Test' } });

      expect((await byHash(alone, null, hash)).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect((await byHash(alone, query, hash)).data).toEqual({ workspace: { name: 'Test' } });
      expect((await byHash(alone, null, hash)).data).toEqual({ workspace: { name: 'Test' } });
    } finally {
      await Promise.all([a.close(), b.close(), alone.close()]);
    }
  });
});
