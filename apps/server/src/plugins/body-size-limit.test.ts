// The body limit over real HTTP: a Content-Length is judged as Node's parser hands the body over, and
// a streamed body must be cut off while the client is still sending, which only a socket shows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPERATION_LIMITS } from './operation-limits.ts';
import { createTestServer, type TestServer } from '../testing.ts';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ workspace: 'demo', demoCustomers: 5 });
});
afterAll(() => t?.close());

async function url(server: TestServer) {
  await server.graphql('{ __typename }');
  const { port } = server.server.http.address() as { port: number };
  return `http://127.0.0.1:${port}/graphql`;
}

describe('request body size', () => {
  it('refuses a body over the limit by its Content-Length, with 413', async () => {
    const body = JSON.stringify({
      query: '{ __typename }',
      variables: { pad: 'x'.repeat(DEFAULT_OPERATION_LIMITS.maxBodyBytes) },
    });
    const response = await fetch(await url(t), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.secretKey}` },
      body,
    });
    expect(response.status).toBe(413);
    const json = await response.json();
    expect(json.errors[0].message).toBe(
      `the request body is too large: ${Buffer.byteLength(body)} bytes, the limit is 1048576`,
    );
    expect(json.errors[0].extensions).toMatchObject({
      code: 'REQUEST_TOO_LARGE',
      limit: { name: 'maxBodyBytes', value: 1_048_576, found: Buffer.byteLength(body) },
    });
  });

  it('counts a streamed body (no Content-Length) and stops reading at the limit', async () => {
    let sent = 0;
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    const ceiling = 64 * DEFAULT_OPERATION_LIMITS.maxBodyBytes;
    // A body that goes on long after the limit: the server must answer without waiting for it.
    // Each chunk waits a turn of the event loop: fetch reads a stream that answers at once in
    // microtasks alone, and once in a whole-suite run it spun there for minutes, timers starved
    // (the test's timeout among them). It ends at the ceiling the test asserts, so it cannot hang.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"query":"{ __typename }","variables":{"pad":"'));
      },
      async pull(controller) {
        await new Promise((resolve) => setImmediate(resolve));
        if (sent >= ceiling) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(await url(t), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.secretKey}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    const json = await response.json();
    expect(json.errors[0].message).toBe('the request body is too large: more than 1048576 bytes, the limit is 1048576');
    expect(json.errors[0].extensions.code).toBe('REQUEST_TOO_LARGE');
    expect(sent).toBeLessThan(ceiling);
  });

  it('takes a recordInteractions batch of 1,000 interactions with every field and 500-character comments', async () => {
    const interactions = Array.from({ length: 1_000 }, (_, i) => ({
      customer: { externalId: `cus_${String((i % 5) + 1).padStart(4, '0')}` },
      type: 'nps',
      occurredAt: new Date(Date.now() - (i + 1) * 60_000).toISOString(),
      intensity: 1,
      // The longest sentiment, and the one a survey answer takes besides its value (formula 2).
      sentiment: 'WASTED_TIME',
      value: 9,
      comment: 'c'.repeat(500),
      journeyStage: 'USAGE',
      source: 'survey-tool',
      idempotencyKey: `survey-tool-response-${String(i).padStart(8, '0')}`,
    }));
    const query = readFileSync(join(repo, 'docs/api/write/record-interactions.graphql'), 'utf8');
    const size = Buffer.byteLength(JSON.stringify({ query, variables: { interactions } }));
    expect(size).toBeLessThan(DEFAULT_OPERATION_LIMITS.maxBodyBytes);
    const { status, body } = await t.graphql(query, { interactions });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(body.data.recordInteractions.problems?.slice(0, 3)).toBeUndefined();
    expect(body.data.recordInteractions).toMatchObject({
      __typename: 'RecordedInteractions',
      recordedCount: 1_000,
    });
  }, 120_000);
});
