// Request ids and the access log, read from the log stream of a real server in process (over HTTP
// on loopback: the id and the access line are the Node handler's). At debug level, so that yoga's
// own lines within each request are there to be checked too.
import { request as httpRequest, type ClientRequest } from 'node:http';
import { issueAdminKey } from '@pulso/api-keys';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../testing.ts';
import { requestIdOf } from './request-log.ts';

const ADMIN = issueAdminKey();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

interface Line {
  level: number;
  msg: string;
  requestId?: string;
  access?: Record<string, unknown>;
  [key: string]: unknown;
}

describe('request ids and the access log', () => {
  const lines: Line[] = [];
  let t: TestServer;
  let base: string;
  beforeAll(async () => {
    t = await createTestServer({
      adminKeys: { configured: ADMIN },
      logger: pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) }),
      loadShedding: { maxRequestsInFlight: 2, maxEventLoopDelayMs: 0 },
    });
    base = await t.server.listen(0, '127.0.0.1');
  });
  afterAll(() => t?.close());

  async function post(body: object, headers: Record<string, string> = {}) {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.secretKey}`, ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return Object.assign(response, { text });
  }

  /** The access lines of a request id, once written (the line is written when the response closes). */
  async function accessLinesOf(id: string): Promise<Line[]> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const found = lines.filter((l) => l.access && l.requestId === id);
      if (found.length > 0 || Date.now() > deadline) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('takes a safe X-Request-Id, returns it, and every line of the request carries it', async () => {
    lines.length = 0;
    const id = 'req-abc.123:XYZ_9';
    const response = await post(
      {
        query:
          'mutation CreateWorkspace($name: String!) { adminCreateWorkspace(name: $name) { __typename ... on CreatedWorkspace { secretKey } } }',
        variables: { name: 'Logged Co' },
      },
      { authorization: `Bearer ${ADMIN}`, 'x-request-id': id },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(id);
    const [access, ...more] = await accessLinesOf(id);
    expect(more).toEqual([]);
    expect(access!.access).toMatchObject({
      method: 'POST',
      path: '/graphql',
      operation: 'CreateWorkspace',
      operationType: 'mutation',
      status: 200,
      caller: 'admin',
    });
    expect(access!.access!.durationMs).toBeTypeOf('number');
    // Yoga's own lines and the resolver's audit line, all with the id.
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['Processing GraphQL Parameters', 'admin: create workspace', 'request']),
    );
    expect(lines.filter((l) => l.requestId !== id)).toEqual([]);
  });

  it('keeps the lines of requests served at once apart', async () => {
    lines.length = 0;
    const ids = ['first-request', 'second-request'];
    await Promise.all(ids.map((id) => post({ query: 'query Both { workspace { name } }' }, { 'x-request-id': id })));
    for (const id of ids) {
      expect(await accessLinesOf(id)).toHaveLength(1);
      expect(lines.filter((l) => l.requestId === id && l.msg === 'Processing GraphQL Parameters')).toHaveLength(1);
    }
    expect(lines.filter((l) => !ids.includes(l.requestId!))).toEqual([]);
  });

  it('falls back to the trace id of traceparent, else makes a UUID; an unsafe X-Request-Id is ignored', async () => {
    const traced = await post(
      { query: '{ __typename }' },
      { 'x-request-id': 'has spaces <and> "quotes"', traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` },
    );
    expect(traced.headers.get('x-request-id')).toBe(TRACE_ID);
    expect(await accessLinesOf(TRACE_ID)).toHaveLength(1);

    const made = await post({ query: '{ __typename }' }, { 'x-request-id': 'x'.repeat(129) });
    expect(made.headers.get('x-request-id')).toMatch(UUID);
    expect(await accessLinesOf(made.headers.get('x-request-id')!)).toHaveLength(1);

    expect(requestIdOf({ 'x-request-id': 'x'.repeat(128) })).toBe('x'.repeat(128));
    expect(requestIdOf({ 'x-request-id': 'line\nbreak' })).toMatch(UUID);
    expect(requestIdOf({ 'x-request-id': '' })).toMatch(UUID);
    // Invalid trace contexts: an all-zero trace id, version ff, upper-case hex.
    expect(requestIdOf({ traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` })).toMatch(UUID);
    expect(requestIdOf({ traceparent: `ff-${TRACE_ID}-00f067aa0ba902b7-01` })).toMatch(UUID);
    expect(requestIdOf({ traceparent: `00-${TRACE_ID.toUpperCase()}-00f067aa0ba902b7-01` })).toMatch(UUID);
  });

  it('never logs a key, a token, a comment, a personal field or a query string', async () => {
    lines.length = 0;
    const comment = 'PRIVATE-COMMENT-they-are-leaving';
    const name = 'Jane PRIVATE-NAME Doe';
    const recorded = await post(
      {
        query:
          'mutation Record($input: RecordInteractionInput!) { recordInteraction(input: $input) { __typename ... on UserError { message } } }',
        variables: {
          input: {
            customer: { externalId: 'c-private', name },
            type: 'meeting',
            sentiment: 'DISLIKED',
            comment,
            idempotencyKey: 'log-1',
          },
        },
      },
      { 'x-request-id': 'private-write' },
    );
    expect(recorded.status, recorded.text).toBe(200);
    const bad = `pulso_sk_notAKeyThatExists${'0'.repeat(14)}`;
    const refused = await post(
      { query: '{ workspace { name } }' },
      { authorization: `Bearer ${bad}`, 'x-request-id': 'refused' },
    );
    expect(refused.status).toBe(401);
    const get = await fetch(
      `${base}/graphql?query=${encodeURIComponent('query Read { workspace { name } }')}&token=SECRET-QUERY-TOKEN`,
      { headers: { authorization: `Bearer ${t.secretKey}`, 'x-request-id': 'with-query-string' } },
    );
    expect(get.status).toBe(200);

    expect((await accessLinesOf('private-write'))[0]!.access).toMatchObject({
      operation: 'Record',
      operationType: 'mutation',
      status: 200,
      caller: 'secret',
    });
    expect((await accessLinesOf('refused'))[0]!.access).toMatchObject({
      status: 401,
      caller: 'refused',
      errorCodes: ['UNAUTHENTICATED'],
    });
    expect((await accessLinesOf('with-query-string'))[0]!.access).toMatchObject({
      method: 'GET',
      path: '/graphql',
      operation: 'Read',
    });
    const written = JSON.stringify(lines);
    for (const secret of [
      t.secretKey,
      bad,
      comment,
      'PRIVATE-NAME',
      'c-private',
      'SECRET-QUERY-TOKEN',
      'workspace { name }',
    ])
      expect(written).not.toContain(secret);
  });

  it('writes the line of a shed request (503) and of a request cut by its client', async () => {
    lines.length = 0;
    // Two requests whose bodies never finish fill the two places.
    const held: ClientRequest[] = ['held-1', 'held-2'].map((id) => {
      const request = httpRequest(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': '1000', 'x-request-id': id },
      });
      request.on('error', () => {});
      request.write('{"query":');
      return request;
    });
    const deadline = Date.now() + 5_000;
    let shed: Response;
    do {
      shed = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'x-request-id': 'shed' }, body: '{}' });
      await shed.text();
    } while (shed.status !== 503 && Date.now() < deadline);
    expect(shed.status).toBe(503);
    expect(shed.headers.get('x-request-id')).toBe('shed');
    expect((await accessLinesOf('shed')).at(-1)!.access).toMatchObject({ status: 503, path: '/graphql' });
    for (const request of held) request.destroy();
    for (const id of ['held-1', 'held-2'])
      expect((await accessLinesOf(id))[0]!.access).toMatchObject({ aborted: true, status: null });
  });

  it('logs probes at debug only, so that a probe every few seconds does not drown the rest', async () => {
    lines.length = 0;
    await (await fetch(`${base}/readyz`, { headers: { 'x-request-id': 'probe' } })).text();
    const [line] = await accessLinesOf('probe');
    expect(line).toMatchObject({ level: 20, access: { path: '/readyz', status: 200 } });
  });
});
