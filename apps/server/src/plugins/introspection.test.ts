// Introspection and GraphiQL, on by default and off when configured, in process (yoga.fetch, no
// port): off refuses `__schema`/`__type` with a code and strips field suggestions from errors.
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../testing.ts';

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer();
});
afterAll(() => t?.close());

/** POSTs under application/graphql-response+json, where a refused document answers 400. */
async function post(server: TestServer, query: string) {
  const response = await server.fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${server.secretKey}`,
    },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] },
  };
}

describe('introspection and GraphiQL', () => {
  it('answers introspection by default', async () => {
    const { body } = await t.graphql('{ __type(name: "Customer") { name } }');
    expect(body).toEqual({ data: { __type: { name: 'Customer' } }, extensions: { cost: expect.any(Object) } });
  });

  it('serves GraphiQL to a browser by default', async () => {
    const response = await t.fetch('/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Pulso</title>');
  });

  describe('turned off', () => {
    let closed: TestServer;
    beforeAll(async () => {
      closed = await createTestServer({ introspection: false, graphiql: false });
    });
    afterAll(() => closed?.close());

    it.each([
      ['__schema', '{ __schema { queryType { name } } }'],
      ['__type', '{ __type(name: "Customer") { name } }'],
      ['the full introspection query', getIntrospectionQuery()],
    ])('refuses %s', async (_, query) => {
      const { status, body } = await post(closed, query);
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions?.code).toBe('INTROSPECTION_DISABLED');
      expect(body.errors?.[0]?.message).toMatch(/^GraphQL introspection has been disabled/);
    });

    it('still answers __typename and ordinary queries', async () => {
      const { body } = await closed.graphql('{ __typename workspace { name } }');
      expect(body).toEqual({
        data: { __typename: 'Query', workspace: { name: 'Test' } },
        extensions: { cost: expect.any(Object) },
      });
    });

    it('gives no field suggestions that would spell out the schema', async () => {
      const open = await t.graphql('{ workspace { nam } }');
      expect(open.body.errors?.[0]?.message).toContain('Did you mean "name"');
      const { body } = await closed.graphql('{ workspace { nam } }');
      expect(body.errors?.[0]?.message).toContain('Cannot query field "nam"');
      expect(body.errors?.[0]?.message).not.toContain('name"');
    });

    it('serves no GraphiQL page', async () => {
      const response = await closed.fetch('/graphql', { headers: { accept: 'text/html' } });
      expect(await response.text()).not.toContain('<title>Pulso</title>');
    });
  });
});
