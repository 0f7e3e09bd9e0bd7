import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUERY } from './server.ts';
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

  it('answers /healthz while the database answers', async () => {
    await t.graphql('{ __typename }');
    const { port } = t.server.http.address() as { port: number };
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok' });
  });
});
