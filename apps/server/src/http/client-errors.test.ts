// Requests Node's parser refuses, over real sockets (client-errors.ts): the status each gets, and a
// client still sending its oversized request after the answer is not met with a reset connection.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../testing.ts';

let t: TestServer;
let base: string;
beforeAll(async () => {
  t = await createTestServer({ workspace: 'demo', demoCustomers: 1 });
  await t.graphql('{ __typename }');
  const { port } = t.server.http.address() as { port: number };
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => t?.close());

/** One request on a connection of its own; its status, or the socket error it met instead. */
function send(path: string, headers: Record<string, string> = {}): Promise<number | string> {
  return new Promise((resolve) => {
    const req = httpRequest(new URL(path, base), { method: 'GET', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

describe('requests refused by the HTTP parser', () => {
  it('answers headers beyond the limit with 431 and a malformed request with 400', async () => {
    expect(await send('/graphql', { 'x-pad': 'a'.repeat(20_000) })).toBe(431);
    // No HTTP client sends this: a raw socket.
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(base).port), '127.0.0.1', () => socket.end('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
  });

  it('lets a client finish sending an oversized request after its 431, without a reset', async () => {
    const port = Number(new URL(base).port);
    const socket = connect(port, '127.0.0.1');
    const errors: string[] = [];
    socket.on('error', (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
    let answer = '';
    const answered = new Promise<void>((resolve) =>
      socket.on('data', (chunk) => {
        answer += chunk;
        if (answer.includes('\r\n\r\n')) resolve();
      }),
    );
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`GET /graphql?query=${'a'.repeat(64 * 1024)}`);
    await answered;
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    // The rest of the request, after the answer: read and dropped by the server. Node's own
    // handling had closed the connection, and these bytes would come back as a reset.
    for (let i = 0; i < 4; i++) {
      socket.write('a'.repeat(256 * 1024));
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    socket.end();
    await closed;
    expect(errors).toEqual([]);
  });

  it('answers on a keep-alive connection that served a request before', async () => {
    const socket = connect(Number(new URL(base).port), '127.0.0.1');
    socket.on('error', () => {});
    let text = '';
    // Resolves once the answer holds `needle`; fails as soon as the server closes without it.
    const seen = (needle: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => text.includes(needle) && resolve();
        socket.on('data', (chunk) => {
          text += chunk;
          check();
        });
        socket.on('close', () => reject(new Error(`closed without ${needle}; got: ${text.slice(0, 200)}`)));
        check();
      });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('GET /livez HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await seen('HTTP/1.1 200');
    socket.write(`GET /graphql?query=${'a'.repeat(64 * 1024)}`);
    await seen('HTTP/1.1 431');
    socket.destroy();
  });

  it('still serves requests afterwards', async () => {
    expect(await send('/livez')).toBe(200);
  });
});
