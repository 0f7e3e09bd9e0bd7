import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { createPulsoServer, type PulsoServer } from '../server.ts';
import { createTestServer, type TestServer } from '../testing.ts';

// The refusals graphql-js and yoga leave without a code (error-codes.ts) and text holding U+0000
// (text-inputs.ts), found by the HTTP fuzzer (test/fuzz); its kept cases replay them over HTTP too.
describe('codes on every refusal', () => {
  let t: TestServer;
  let server: PulsoServer;
  beforeAll(async () => {
    t = await createTestServer({ workspace: 'demo', demoCustomers: 2 });
    // No token limit, so that only the parser's own stack stops a deep document.
    server = createPulsoServer({
      database: t.database,
      logger: createLogger('silent'),
      limits: { maxTokens: 100_000_000 },
    });
  }, 60_000);
  afterAll(() => t?.close());

  const post = async (body: string, contentType: string | null = 'application/json') => {
    const headers: Record<string, string> = { authorization: `Bearer ${t.secretKey}` };
    if (contentType) headers['content-type'] = contentType;
    const response = await server.yoga.fetch('http://pulso.test/graphql', { method: 'POST', headers, body });
    return { status: response.status, body: await response.json() };
  };

  it('names a variable of the wrong type BAD_USER_INPUT', async () => {
    const { status, body } = await post(
      JSON.stringify({
        query: 'mutation ($e: String!) { createCustomerToken(externalId: $e) { __typename } }',
        variables: { e: 7 },
      }),
    );
    expect(status).toBe(400);
    expect(body.errors[0]).toMatchObject({
      message: expect.stringMatching(/^Variable "\$e" got invalid value 7/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('says why a body it cannot read is refused (415)', async () => {
    const { status, body } = await post('{"query": "{ __typename }"}', 'text/csv');
    expect(status).toBe(415);
    expect(body.errors[0]).toMatchObject({
      message: expect.stringContaining('"text/csv" cannot be read'),
      extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
    });
  });

  it('says what to send when a POST has no content-type at all', async () => {
    // Bytes, so that fetch adds no content-type of its own (a string body gets text/plain).
    const response = await server.yoga.fetch('http://pulso.test/graphql', {
      method: 'POST',
      headers: { authorization: `Bearer ${t.secretKey}` },
      body: new TextEncoder().encode('{"query": "{ __typename }"}'),
    });
    expect(response.status).toBe(415);
    const body = await response.json();
    expect(body.errors[0]).toMatchObject({
      message: expect.stringContaining(
        'a body without a content-type cannot be read: send JSON with content-type: application/json',
      ),
      extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
    });
  });

  it('says where the query belongs when a POST carries none (curl -d sends a form body by default)', async () => {
    for (const [contentType, sent] of [
      ['application/x-www-form-urlencoded', '{"query": "{ __typename }"}'],
      ['application/json', '{"variables": {}}'],
    ]) {
      const { status, body } = await post(sent!, contentType);
      // 400 under application/json too (no Accept here: yoga answers application/json).
      expect(status).toBe(400);
      expect(body.errors[0].extensions).toEqual({ code: 'QUERY_MISSING' });
      expect(body.errors[0].message).toContain(`a POST sent as ${contentType} had no query`);
    }
  });

  it('refuses a body that is not JSON with 400, the parser reason in the message and nothing internal', async () => {
    const { status, body } = await post('{"query": ');
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      {
        message: expect.stringMatching(/^the body is not valid JSON \(.*JSON.*\): send \{"query"/),
        extensions: { code: 'BAD_REQUEST' },
      },
    ]);
  });

  it('answers an Accept it cannot meet with 406 and a body saying what it can answer in', async () => {
    const response = await server.yoga.fetch('http://pulso.test/graphql', {
      method: 'POST',
      headers: { authorization: `Bearer ${t.secretKey}`, 'content-type': 'application/json', accept: 'text/html' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(406);
    const body = await response.json();
    expect(body.errors[0].extensions).toEqual({ code: 'NOT_ACCEPTABLE' });
    expect(body.errors[0].message).toContain('"text/html"');
    expect(body.errors[0].message).toContain('application/graphql-response+json');
  });

  it.each([
    ['first', '{ customers(first: -1) { edges { node { id } } } }'],
    ['last', '{ customers(last: -5) { edges { node { id } } } }'],
  ])('names a negative %s BAD_USER_INPUT', async (argument, query) => {
    const { body } = await post(JSON.stringify({ query }));
    expect(body.errors[0]).toMatchObject({
      message: expect.stringContaining(`\`${argument}\` must not be negative`),
      extensions: { code: 'BAD_USER_INPUT', field: 'Query.customers', argument },
    });
  });

  it('refuses a document nested too deep for the parser instead of failing with a 500', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const { status, body } = await post(
      JSON.stringify({ query: `mutation { createCustomerToken(externalId: ${deep}) { __typename } }` }),
    );
    // Like a syntax error: 200 for an application/json client, as yoga answers parse failures.
    expect(status).toBe(200);
    expect(body).toEqual({
      errors: [
        {
          message: 'the operation nests lists, objects or selections too deep to be read',
          extensions: { code: 'OPERATION_TOO_NESTED' },
        },
      ],
    });
  });

  it('refuses text holding U+0000 before anything is written, wherever it is', async () => {
    const before = await t.database.prisma.customer.count();
    const create = 'mutation ($i: CustomerInput!) { createCustomer(input: $i) { __typename } }';
    const literal = {
      query: 'mutation { createCustomer(input: { externalId: "nul-3", name: "a\\u0000b" }) { __typename } }',
    };
    const cases: [object, string][] = [
      [{ query: create, variables: { i: { externalId: 'nul-1', name: 'a\u0000b' } } }, '$i.name:'],
      [
        {
          query: create,
          variables: { i: { externalId: 'nul-2', name: 'N', properties: { deep: [{ 'k\u0000': 1 }] } } },
        },
        '$i.properties.deep[0] (a key):',
      ],
      [literal, 'a string literal at line 1:'],
      // The same document again: its literals' verdict is remembered, not forgotten.
      [literal, 'a string literal at line 1:'],
    ];
    for (const [request, where] of cases) {
      const { status, body } = await post(JSON.stringify(request));
      expect(status).toBe(400);
      expect(body.errors[0].extensions.code).toBe('NUL_IN_TEXT');
      expect(body.errors[0].message.startsWith(where), body.errors[0].message).toBe(true);
    }
    expect(await t.database.prisma.customer.count()).toBe(before);
  });

  it('refuses text holding a lone UTF-16 surrogate (no UTF-8 form, refused by jsonb) before anything is written', async () => {
    const before = await t.database.prisma.customer.count();
    const upsert = 'mutation ($i: CustomerInput!) { upsertCustomer(input: $i) { __typename } }';
    // Raw JSON text, as a client sends it. (In a GraphQL string literal, graphql-js's own parser
    // already refuses a lone surrogate escape as a syntax error.)
    const cases = [
      `{"query":${JSON.stringify(upsert)},"variables":{"i":{"externalId":"sur-1","name":"x","properties":{"":"\\ud800"}}}}`,
      `{"query":${JSON.stringify(upsert)},"variables":{"i":{"externalId":"sur-2","name":"a\\udfffb"}}}`,
    ];
    for (const raw of cases) {
      const { status, body } = await post(raw);
      expect(status, raw).toBe(400);
      expect(body.errors[0].extensions.code).toBe('INVALID_UNICODE');
    }
    // A paired surrogate is an ordinary character.
    const emoji = await post(
      JSON.stringify({ query: upsert, variables: { i: { externalId: 'sur-ok', name: 'party \ud83c\udf89' } } }),
    );
    expect(emoji.body.errors).toBeUndefined();
    expect(await t.database.prisma.customer.count()).toBe(before + 1);
  });
});
