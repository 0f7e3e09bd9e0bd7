import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../../testing.ts';

describe('customers over GraphQL', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({
      over: 'fetch',
      workspace: 'demo',
      demoCustomers: 12,
      now: new Date('2026-06-01T12:00:00Z'),
    });
  });
  afterAll(() => t?.close());

  it('pages through customers as a Relay connection with their latest interactions', async () => {
    const query = `query ($after: String) {
      customers(first: 5, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { externalId name score band interactions(first: 2) { edges { node { occurredAt type { key } } } } } }
      }
    }`;
    const first = await t.graphql(query);
    expect(first.body.errors).toBeUndefined();
    const page = first.body.data.customers;
    expect(page.totalCount).toBe(12);
    expect(page.edges).toHaveLength(5);
    expect(page.pageInfo.hasNextPage).toBe(true);
    for (const { node } of page.edges) {
      expect(node.score).toBeGreaterThanOrEqual(0);
      expect(node.score).toBeLessThanOrEqual(100);
      const times = node.interactions.edges.map((e: any) => Date.parse(e.node.occurredAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
    const names: string[] = [];
    let after: string | null = null;
    for (;;) {
      const result: any = await t.graphql(query, { after });
      names.push(...result.body.data.customers.edges.map((e: any) => e.node.name));
      if (!result.body.data.customers.pageInfo.hasNextPage) break;
      after = result.body.data.customers.pageInfo.endCursor;
    }
    expect(names).toHaveLength(12);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('finds one customer by external id and by id, only in the caller workspace', async () => {
    const byExternal = await t.graphql(`{ customer(externalId: "cus_0001") { id externalId } }`);
    const id = byExternal.body.data.customer.id;
    expect(byExternal.body.data.customer.externalId).toBe('cus_0001');
    const byId = await t.graphql(`query ($id: ID!) { customer(id: $id) { externalId } }`, { id });
    expect(byId.body.data.customer.externalId).toBe('cus_0001');
    const missing = await t.graphql(`{ customer(externalId: "nobody") { id } }`);
    expect(missing.body.data.customer).toBeNull();
    const both = await t.graphql(`query ($id: ID!) { customer(id: $id, externalId: "cus_0001") { id } }`, { id });
    expect(both.body.errors?.[0]?.message).toBe('customer needs exactly one of id or externalId');
  });

  it('requires an API key, and refuses a publishable key', async () => {
    const anonymous = await t.graphql(`{ customers(first: 1) { totalCount } }`, {}, null);
    expect(anonymous.body.errors?.[0]?.message).toMatch(/API key is required/);
    // As a refused key is: 401 (it was 200 when no key was sent at all).
    expect(anonymous.status).toBe(401);
    const publishable = await t.graphql(`{ customers(first: 1) { totalCount } }`, {}, t.publishableKey);
    expect(publishable.body.errors?.[0]?.message).toMatch(/publishable API key may not use Query.customers/);
    const wrong = await t.graphql(`{ workspace { name } }`, {}, 'pulso_sk_00000000000000000000000000000000');
    expect(wrong.status).toBe(401);
  });
});
