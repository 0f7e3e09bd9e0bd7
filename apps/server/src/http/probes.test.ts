// The probes of a real server in process, over HTTP on loopback (they are answered by the Node
// handler, before yoga): /livez answers while /readyz reports overload, a migration not applied
// and a database gone. The database outage of a PostgreSQL server process is in
// test/database-gone.test.ts.
import { request as httpRequest, type ClientRequest } from 'node:http';
import { pulsoVersion } from '@pulso/version';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../testing.ts';

async function listen(t: TestServer): Promise<string> {
  if (!t.server.http.listening) return t.server.listen(0, '127.0.0.1');
  const { port } = t.server.http.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

async function probe(base: string, path: string, method = 'GET') {
  const response = await fetch(`${base}${path}`, { method });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

describe('the probes', () => {
  let t: TestServer;
  let base: string;
  beforeAll(async () => {
    // One request in flight is the capacity: holding one open is enough to overload it.
    t = await createTestServer({ loadShedding: { maxRequestsInFlight: 1, maxEventLoopDelayMs: 0 } });
    base = await listen(t);
  });
  afterAll(() => t?.close());

  it('answer 200 when the server can take work: /livez, /readyz and /healthz alike', async () => {
    expect(await probe(base, '/livez')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await probe(base, '/readyz');
    // The release answering, from the root package.json.
    expect(ready).toMatchObject({ status: 200, body: { status: 'ok', version: pulsoVersion() } });
    expect(ready.headers.get('cache-control')).toBe('no-store');
    expect((await probe(base, '/healthz')).body).toEqual(ready.body);
    expect((await probe(base, '/readyz', 'HEAD')).status).toBe(200);
    expect((await probe(base, '/livez', 'HEAD')).status).toBe(200);
  });

  it("leave no undocumented probe: graphql-yoga's /health is not answered", async () => {
    expect((await fetch(`${base}/health`)).status).toBe(404);
    expect((await t.fetch('/health')).status).toBe(404);
  });

  it('under overload: /readyz and /healthz say 503 "overloaded" with Retry-After, /livez still 200', async () => {
    // A request whose body is never finished stays in flight (it was admitted before its body).
    const held: ClientRequest = httpRequest(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '1000' },
    });
    held.on('error', () => {});
    held.write('{"query":');
    await waitFor(() => probe(base, '/readyz').then((r) => r.status === 503));
    try {
      const ready = await probe(base, '/readyz');
      expect(ready.body).toEqual({ status: 'overloaded', reason: 'REQUESTS_IN_FLIGHT', version: pulsoVersion() });
      expect(ready.headers.get('retry-after')).toBe('1');
      expect((await probe(base, '/healthz')).status).toBe(503);
      expect(await probe(base, '/livez')).toMatchObject({ status: 200, body: { status: 'ok' } });
      // Work is shed meanwhile: the probe tells the truth about it.
      expect((await t.graphql('{ __typename }')).status).toBe(503);
    } finally {
      held.destroy();
    }
    await waitFor(() => probe(base, '/readyz').then((r) => r.status === 200));
  });

  it('with a migration of this code not applied: /readyz says 503 and names it, /livez still 200', async () => {
    const [latest] = await t.database.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1',
    );
    const name = latest!.migration_name;
    await t.database.prisma.$executeRawUnsafe(
      `UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '${name}'`,
    );
    try {
      expect(await probe(base, '/readyz')).toMatchObject({
        status: 503,
        body: { status: 'unavailable', reason: 'migrations', pending: [name] },
      });
      expect((await probe(base, '/livez')).status).toBe(200);
    } finally {
      await t.database.prisma.$executeRawUnsafe(
        `UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE migration_name = '${name}'`,
      );
    }
    expect((await probe(base, '/readyz')).status).toBe(200);
  });

  it('with the database closed under the server: /readyz says 503 "database", /livez still 200', async () => {
    const broken = await createTestServer();
    try {
      const brokenBase = await listen(broken);
      expect((await probe(brokenBase, '/readyz')).status).toBe(200);
      await broken.database.close();
      expect(await probe(brokenBase, '/readyz')).toMatchObject({
        status: 503,
        body: { status: 'unavailable', reason: 'database' },
      });
      expect(await probe(brokenBase, '/livez')).toMatchObject({ status: 200, body: { status: 'ok' } });
    } finally {
      await broken.server.close(1_000);
    }
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
