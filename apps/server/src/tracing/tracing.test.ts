// Traces received by an OTLP receiver in this process (node:http decoding the exporter's JSON
// bodies at /v1/traces), from the real server on loopback with the real SDK started as main.ts
// starts it: one GraphQL request continuing a caller's trace gives the HTTP span, GraphQL's
// parse, validate and execute beneath it, and Prisma's query spans beneath execute; a rescoring
// run gives its chunk spans with their queries beneath.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueRescore } from '@pulso/core';
import { createTestServer, type TestServer } from '../testing.ts';
import { startTracing, type Tracing } from './start-tracing.ts';

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

/** OTLP/JSON ids are hex; some exporters send base64: both read as hex. */
function hex(id: unknown): string {
  if (typeof id !== 'string' || id === '') return '';
  return /^[0-9a-f]+$/.test(id) ? id : Buffer.from(id, 'base64').toString('hex');
}

describe('traces over OTLP', () => {
  let receiver: Server;
  const spans: ReceivedSpan[] = [];
  const paths: string[] = [];
  let tracing: Tracing;
  let t: TestServer;
  let url: string;
  const saved = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        for (const resource of body.resourceSpans ?? [])
          for (const scope of resource.scopeSpans ?? [])
            for (const span of scope.spans ?? [])
              spans.push({
                traceId: hex(span.traceId),
                spanId: hex(span.spanId),
                parentSpanId: hex(span.parentSpanId),
                name: span.name,
                kind: span.kind,
                attributes: Object.fromEntries(
                  (span.attributes ?? []).map((a: any) => [a.key, Object.values(a.value ?? {})[0]]),
                ),
              });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    tracing = startTracing({ serviceVersion: 'test' });
    t = await createTestServer({ tracing: true });
    url = await t.server.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await t?.close();
    await tracing?.shutdown();
    if (saved === undefined) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    else process.env.OTEL_EXPORTER_OTLP_ENDPOINT = saved;
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('sends the spans of a GraphQL request, its phases and its queries, linked as parent and child', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${t.secretKey}`,
        traceparent: `00-${traceId}-${callerSpan}-01`,
      },
      body: JSON.stringify({ query: 'query WorkspaceName { workspace { name customerCount } }' }),
    });
    expect(response.status).toBe(200);
    expect((await response.json()).data.workspace.name).toBe('Test');

    await enqueueRescore(t.database.prisma, { workspaceId: t.workspaceId, reason: 'tracing test' });
    t.server.rescoreRunner.kick();
    await t.server.rescoreRunner.idle();
    // Flushes the batch to the receiver.
    await tracing.shutdown();

    expect(paths[0]).toMatch(/^POST \/v1\/traces application\/json/);
    const ofRequest = spans.filter((s) => s.traceId === traceId);
    const byId = new Map(ofRequest.map((s) => [s.spanId, s]));
    const http = ofRequest.find((s) => s.name === 'POST /graphql');
    expect(http, spans.map((s) => s.name).join(', ')).toBeDefined();
    // The caller's span is its parent; it is the server span of the request.
    expect(http!.parentSpanId).toBe(callerSpan);
    expect(http!.kind).toBe(2);
    expect(http!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/graphql',
      'http.response.status_code': 200,
      'graphql.operation.name': 'WorkspaceName',
    });
    for (const phase of ['graphql.parse', 'graphql.validate', 'graphql.execute']) {
      const span = ofRequest.find((s) => s.name === phase);
      expect(span, phase).toBeDefined();
      expect(span!.parentSpanId, phase).toBe(http!.spanId);
    }
    const execute = ofRequest.find((s) => s.name === 'graphql.execute')!;
    expect(execute.attributes).toMatchObject({
      'graphql.operation.name': 'WorkspaceName',
      'graphql.operation.type': 'query',
    });
    // Prisma's spans for the resolvers' queries, beneath execute (through Prisma's own nesting).
    const underExecute = ofRequest.filter((s) => {
      for (let p = byId.get(s.parentSpanId); p; p = byId.get(p.parentSpanId)) if (p === execute) return true;
      return false;
    });
    expect(underExecute.map((s) => s.name)).toContain('prisma:client:operation');
    expect(
      underExecute.some((s) => s.name === 'prisma:client:db_query' || s.name.startsWith('prisma:engine:db_query')),
    ).toBe(true);

    // The rescoring run: its chunk spans, each with the queries it ran beneath it.
    const chunk = spans.find((s) => s.name === 'pulso.rescore.chunk');
    expect(chunk).toBeDefined();
    expect(chunk!.attributes['pulso.rescore.run_id']).toEqual(expect.any(String));
    expect(spans.some((s) => s.parentSpanId === chunk!.spanId && s.name.startsWith('prisma:'))).toBe(true);
  });
});
