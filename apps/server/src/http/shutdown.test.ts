// A server that stops behind a load balancer: it drains first (/readyz 503 "shutting down" while
// requests are still answered, each closing its connection), then ends its live streams with their
// protocol's last words instead of holding the shutdown until its timeout and cutting them.
import { afterEach, describe, expect, it } from 'vitest';
import { createListeningTestServer, type ListeningTestServer, rawRequest } from '../testing.ts';

describe('shutting down', () => {
  let t: ListeningTestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('drains first: /readyz says 503 "shutting down" while requests are still answered, each closing its connection', async () => {
    t = await createListeningTestServer({ workspace: 'demo', demoCustomers: 3 });
    const url = new URL(t.url);
    expect((await rawRequest(`${t.url}/readyz`)).status).toBe(200);

    const stopped = t.server.close(5_000, 1_000);
    const ready = await rawRequest(`${t.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body.toString())).toMatchObject({ status: 'unavailable', reason: 'shutting down' });
    const answered = await rawRequest(
      `${t.url}/graphql`,
      { 'content-type': 'application/json', authorization: `Bearer ${t.secretKey}` },
      'POST',
      JSON.stringify({ query: '{ workspace { name } }' }),
    );
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.body.toString()).data.workspace.name).toEqual(expect.any(String));
    // The client opens its next request elsewhere (another instance behind the balancer).
    expect(answered.headers.connection).toBe('close');

    await stopped;
    await expect(fetch(`http://${url.host}/livez`)).rejects.toThrow();
  });

  it('ends a live Server-Sent Events stream with its complete event, without waiting for the timeout', async () => {
    t = await createListeningTestServer({ workspace: 'demo', demoCustomers: 3 });
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: {
        accept: 'text/event-stream',
        'content-type': 'application/json',
        authorization: `Bearer ${t.secretKey}`,
      },
      body: JSON.stringify({ query: 'subscription { scoreChanged { externalId score } }' }),
    });
    expect(response.status).toBe(200);
    let received = '';
    const read = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of response.body!) received += decoder.decode(chunk, { stream: true });
    })();
    // The stream is open once the server has subscribed.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const started = performance.now();
    await t.server.close(10_000);
    const took = performance.now() - started;
    // Read to its end, not cut mid-transfer.
    await read;
    expect(received).toContain('event: complete');
    // Before: the open stream held the shutdown for the whole timeout (10 s), then was cut.
    expect(took).toBeLessThan(3_000);
  });
});
