// The CSRF rule in process (yoga.fetch, no port: the rule reads only method and headers): a request
// a browser could send cross-site without a preflight needs a header such a request cannot carry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../testing.ts';

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer();
});
afterAll(() => t?.close());

describe('CSRF prevention', () => {
  const typename = encodeURIComponent('{ __typename }');

  it('refuses a GET with no header a simple cross-site request could not carry', async () => {
    const response = await t.fetch(`/graphql?query=${typename}`);
    expect(response.status).toBe(403);
    const json = await response.json();
    expect(json.errors[0].extensions.code).toBe('CSRF_HEADER_REQUIRED');
    expect(json.errors[0].message).toContain('authorization, x-pulso-csrf');
  });

  it.each([
    ['application/x-www-form-urlencoded', `query=${typename}`],
    ['text/plain', JSON.stringify({ query: '{ __typename }' })],
    [
      'multipart/form-data; boundary=x',
      `--x\r\ncontent-disposition: form-data; name="operations"\r\n\r\n{"query":"{ __typename }"}\r\n--x--\r\n`,
    ],
  ])('refuses a form post (%s)', async (contentType, body) => {
    const response = await t.fetch('/graphql', { method: 'POST', headers: { 'content-type': contentType }, body });
    expect(response.status).toBe(403);
    expect((await response.json()).errors[0].extensions.code).toBe('CSRF_HEADER_REQUIRED');
  });

  it.each([
    ['a GET with x-pulso-csrf', { 'x-pulso-csrf': '1' }],
    ['a GET with a bearer key', { authorization: 'KEY' }],
  ])('accepts %s', async (_, headers: Record<string, string>) => {
    const response = await t.fetch(`/graphql?query=${typename}`, {
      headers: Object.fromEntries(
        Object.entries(headers).map(([k, v]) => [k, v === 'KEY' ? `Bearer ${t.secretKey}` : v]),
      ),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' }, extensions: { cost: expect.any(Object) } });
  });

  it('accepts JSON the way the widgets send it (a preflighted content type)', async () => {
    const response = await t.fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${t.publishableKey}`,
      },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' }, extensions: { cost: expect.any(Object) } });
  });
});
