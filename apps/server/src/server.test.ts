import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pulsoVersion } from '@pulso/version';
import { DEFAULT_QUERY, KEEP_ALIVE_TIMEOUT_MS, PREFLIGHT_MAX_AGE_SECONDS } from './server.ts';
import { createTestServer, type TestServer } from './testing.ts';

describe('the HTTP server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ workspace: 'demo', demoCustomers: 12 });
  });
  afterAll(() => t?.close());

  it("runs GraphiQL's default query without errors", async () => {
    const { status, body } = await t.graphql(DEFAULT_QUERY);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.customers.edges).toHaveLength(10);
  });

  it('keeps idle connections longer than load balancers do, and says so', async () => {
    const { port } = t.server.http.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    await response.arrayBuffer();
    // A proxy idle-timing its side at 60 s never reuses a connection the server has just closed.
    expect(response.headers.get('keep-alive')).toBe(`timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`);
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000);
    expect(t.server.http.headersTimeout).toBeGreaterThan(KEEP_ALIVE_TIMEOUT_MS);
  });

  it('answers /healthz while the database answers', async () => {
    await t.graphql('{ __typename }');
    const { port } = t.server.http.address() as { port: number };
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(ok.status).toBe(200);
    // /healthz is /readyz's alias, which names the release answering.
    expect(await ok.json()).toEqual({ status: 'ok', version: pulsoVersion() });
  });

  it('answers a preflight from any origin without Access-Control-Allow-Credentials (bearer keys, never cookies)', async () => {
    const response = await t.fetch('/graphql', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://portal.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://portal.example');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    // Kept by the browser for its reads and streams to come, not 5 s (the default without the header).
    expect(response.headers.get('access-control-max-age')).toBe(String(PREFLIGHT_MAX_AGE_SECONDS));
  });

  it('refuses a batch (a JSON array of operations) with BAD_REQUEST, as docs/api/README.md says', async () => {
    const response = await t.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.secretKey}` },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    const body = await response.json();
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0].message).toBe('Batching is not supported.');
  });

  it('refuses an unsigned ("alg": "none") token as unsigned, not as a malformed API key', async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${part({ alg: 'none', typ: 'JWT' })}.${part({ aud: 'pulso:view', iss: t.workspaceId, sub: 'cus_0001', exp: 4_102_444_800 })}.`;
    const response = await t.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(401);
    const body = await response.json();
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(body.errors[0].message).toContain('unsigned JWT ("alg": "none"');
    expect(body.errors[0].message).not.toContain('API key is malformed');
  });

  it('refuses nodes with more than 100 ids, and counts every id in the cost', async () => {
    const { body } = await t.graphql('{ customers(first: 1) { edges { node { id } } } }');
    const data = body.data;
    const id = data.customers.edges[0].node.id as string;
    const query = 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }';
    const hundred = await t.graphql(query, { ids: Array.from({ length: 100 }, () => id) });
    expect(hundred.body.errors).toBeUndefined();
    expect(hundred.body.data.nodes).toHaveLength(100);
    const over = await t.graphql(query, { ids: Array.from({ length: 101 }, () => id) });
    expect(over.body.errors?.[0]).toMatchObject({
      message: 'nodes takes at most 100 ids, got 101: ask in pages of 100',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    // The probe, 10,000 ids with health and 20 interactions, is refused for its cost before any is read.
    const rich =
      'query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Customer { health { value } interactions(first: 20) { edges { node { id comment } } } } } }';
    const many = await t.graphql(rich, { ids: Array.from({ length: 10_000 }, () => id) });
    expect(many.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
  });
});
