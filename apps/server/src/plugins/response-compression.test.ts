// GraphQL's answers compressed as each client accepts (response-compression.ts), over real HTTP:
// the bytes as they cross the socket (fetch would decompress them, and asks for gzip of its own).
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createListeningTestServer, type ListeningTestServer, rawRequest } from '../testing.ts';
import { useResponseCompression } from './response-compression.ts';

// A page of customers with their scores' explanations: what a dashboard or an integration reads.
const PAGE = `{ customers(first: 30) { edges { node { externalId name health { value band
  categories { key name subScore contribution } flags { code message } } } } } }`;

describe('GraphQL answers compressed', () => {
  let t: ListeningTestServer;
  beforeAll(async () => {
    t = await createListeningTestServer({ workspace: 'demo' });
  }, 60_000);
  afterAll(() => t?.close());

  const post = (query: string, headers: Record<string, string> = {}) =>
    rawRequest(
      `${t.url}/graphql`,
      { 'content-type': 'application/json', authorization: `Bearer ${t.secretKey}`, ...headers },
      'POST',
      JSON.stringify({ query }),
    );

  it('sends brotli to a browser and gzip to a client without it: the same JSON, several times smaller', async () => {
    const plain = await post(PAGE);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    expect(JSON.parse(plain.body.toString()).data.customers.edges).toHaveLength(30);

    const br = await post(PAGE, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.body).toString()).toBe(plain.body.toString());
    expect(br.body.length).toBeLessThan(plain.body.length / 4);

    const gz = await post(PAGE, { 'accept-encoding': 'gzip, deflate' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(plain.body.toString());

    // A coding the client refuses is not used; a client asking for none gets none.
    expect((await post(PAGE, { 'accept-encoding': 'br;q=0, gzip' })).headers['content-encoding']).toBe('gzip');
    expect((await post(PAGE, { 'accept-encoding': 'identity' })).headers['content-encoding']).toBeUndefined();
  });

  it('compresses an error answer too, with its status', async () => {
    // 40 unknown fields, 40 validation errors: a few kilobytes of them.
    const fields = Array.from({ length: 40 }, (_, i) => `nope${i}`).join(' ');
    const answer = await post(`{ customers(first: 30) { edges { node { ${fields} } } } }`, {
      'accept-encoding': 'gzip',
      accept: 'application/graphql-response+json',
    });
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^application\/graphql-response\+json/);
    expect(answer.headers['content-encoding']).toBe('gzip');
    const { errors } = JSON.parse(gunzipSync(answer.body).toString());
    expect(errors).toHaveLength(40);
    expect(errors[0].message).toMatch(/nope0/);
  });

  it('leaves a small answer as it is', async () => {
    const small = await post('{ __typename }', { 'accept-encoding': 'br, gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString()).data).toEqual({ __typename: 'Query' });
    expect(Number(small.headers['content-length'])).toBe(small.body.length);
  });

  it('leaves a live stream uncompressed: its first event arrives as it happens', async () => {
    const first = new Promise<{ headers: Record<string, unknown>; event: string }>((resolve, reject) => {
      const req = request(`${t.url}/graphql`, {
        method: 'POST',
        headers: {
          accept: 'text/event-stream',
          'accept-encoding': 'br, gzip',
          'content-type': 'application/json',
          authorization: `Bearer ${t.secretKey}`,
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          const event = text.split('\n\n').find((block) => block.includes('data:'));
          if (event) {
            resolve({ headers: res.headers, event });
            req.destroy();
          }
        });
      });
      req.on('error', reject);
      req.end(JSON.stringify({ query: 'subscription { scoreChanged { externalId } }' }));
    });
    // The subscription is open once its stream has started: then a write moves a score.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const write = await post(
      `mutation { recordInteractions(interactions: [{ customer: { externalId: "zip-1", name: "Zip" },
        type: "meeting", sentiment: WASTED_TIME, idempotencyKey: "zip-1" }]) { __typename } }`,
    );
    expect(write.status).toBe(200);
    const { headers, event } = await first;
    expect(headers['content-type']).toMatch(/^text\/event-stream/);
    // Yoga marks its streams `Content-Encoding: none` (for proxies); no coding is applied.
    expect(headers['content-encoding'] ?? 'none').toBe('none');
    expect(event).toContain('"externalId":"zip-1"');
  }, 20_000);
});

it('sends an answer it could not compress as it is, and says so', async () => {
  const failures: unknown[] = [];
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { big: String }',
      resolvers: { Query: { big: () => 'x'.repeat(5000) } },
    }),
    // A gzip level zlib refuses: every gzip answer fails to compress; brotli's still work.
    plugins: [
      useResponseCompression({ effort: { brotliQuality: 4, gzipLevel: 42 }, onError: (e) => failures.push(e) }),
    ],
  });
  const ask = (coding: string) =>
    yoga.fetch('http://pulso.test/graphql?query={big}', { headers: { 'accept-encoding': coding } });
  const gzip = await ask('gzip');
  expect(gzip.status).toBe(200);
  expect(gzip.headers.get('content-encoding')).toBeNull();
  expect((await gzip.json()).data.big).toHaveLength(5000);
  expect(failures).toHaveLength(1);
  expect((await ask('br')).headers.get('content-encoding')).toBe('br');
  expect(failures).toHaveLength(1);
});
