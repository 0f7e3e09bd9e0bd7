// Metrics after real traffic: an in-process server on loopback (the HTTP histogram and /metrics
// are the Node handler's, not yoga's), driven through every path a metric counts — reads, writes,
// refusals by code, rate limits, shedding, a live subscription, a rescoring run, webhook
// deliveries by the real worker to a real receiver — then scraped as Prometheus would, with the
// token. Each named metric must be present, and must have moved from its value before.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueRescore } from '@pulso/core';
import type { WebhookWorker } from '@pulso/webhooks';
import { loopbackWorker, startWebhookReceiver, until, type WebhookReceiver } from '@pulso/webhooks/testing';
import { createTestServer, openEventStream, rawRequest, type TestServer } from '../testing.ts';

const TOKEN = 'metrics-token-0123456789abcdef';
const RECORD_MANY = `mutation ($interactions: [RecordInteractionInput!]!) { recordInteractions(interactions: $interactions) { __typename } }`;
const SCORE_CHANGED = `subscription { scoreChanged { externalId score } }`;

/** Prometheus text as `series -> value` (series with their labels, as printed). */
function parse(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

/** The sum of every series of a metric whose labels include all of `labels` (e.g. `code="X"`). */
function total(series: Map<string, number>, name: string, ...labels: string[]): number {
  let sum = 0;
  let found = false;
  for (const [key, value] of series) {
    const bare = key.split('{')[0];
    if (bare !== name) continue;
    if (!labels.every((label) => key.includes(label))) continue;
    sum += value;
    found = true;
  }
  return found ? sum : Number.NaN;
}

describe.each(['pglite', 'postgres'] as const)('metrics on %s', (database) => {
  let t: TestServer;
  let url: string;
  let receiver: WebhookReceiver;
  let worker: WebhookWorker;
  const scrape = async (token: string | null = TOKEN) =>
    fetch(`${url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const metrics = async () => {
    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parse(await response.text());
  };

  beforeAll(async () => {
    t = await createTestServer({
      database,
      workspace: 'empty',
      metricsToken: TOKEN,
      webhookAddresses: { allowPrivateAddresses: true },
      rateLimits: { perKey: 1_000, perAddress: 1_000, perCustomerToken: 0 },
      // Only the requests of the shedding test come near it: it holds two requests open.
      loadShedding: { maxRequestsInFlight: 2, maxEventLoopDelayMs: 0 },
    });
    url = await t.server.listen(0, '127.0.0.1');
    receiver = await startWebhookReceiver();
    worker = loopbackWorker(t.database.prisma, { metrics: t.server.metrics.webhooks });
  });
  afterAll(async () => {
    await worker?.stop();
    await receiver?.close();
    await t?.close();
  });

  it('answers /metrics only with the token: 401 without it or with another one', async () => {
    expect((await scrape(null)).status).toBe(401);
    expect((await scrape(null)).headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect((await scrape('metrics-token-0123456789abcdeX')).status).toBe(401);
    expect((await scrape('short')).status).toBe(401);
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('pulso_http_request_duration_seconds');
  });

  it('sends the text compressed to a scraper that asks for it, as Prometheus does', async () => {
    const headers = { authorization: `Bearer ${TOKEN}` };
    const plain = await rawRequest(`${url}/metrics`, headers);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gzipped = await rawRequest(`${url}/metrics`, { ...headers, 'accept-encoding': 'gzip' });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toBe('Accept-Encoding');
    const text = gunzipSync(gzipped.body).toString();
    expect(text).toContain('# TYPE pulso_http_request_duration_seconds histogram');
    expect(gzipped.body.length).toBeLessThan(plain.body.length / 4);
  });

  it('counts requests, operations by bounded name, errors by code, writes, scores, subscribers, rescoring and webhooks', async () => {
    const before = await metrics();
    // Event-loop delay and Node's process metrics come with prom-client's defaults.
    expect(total(before, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(total(before, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(total(before, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);

    // A webhook endpoint listening for band changes, and a live subscriber.
    const endpoint = await t.graphql(
      `mutation ($url: String!) { createWebhookEndpoint(input: { url: $url, bandChanged: {} }) { __typename } }`,
      { url: receiver.url },
    );
    expect(endpoint.body.data.createWebhookEndpoint.__typename).toBe('WebhookEndpoint');
    const stream = await openEventStream(`${url}/graphql`, SCORE_CHANGED, {}, t.secretKey);
    expect(stream.status).toBe(200);
    await until('subscriber counted', async () => total(await metrics(), 'pulso_live_subscribers') === 1);

    // Writes: healthy first, then two grave ones that drop the band (a webhook event in the outbox).
    const write = (sentiment: string, keys: string[]) =>
      t.graphql(RECORD_MANY, {
        interactions: keys.map((idempotencyKey) => ({
          customer: { externalId: 'acme', name: 'Acme' },
          type: 'meeting',
          sentiment,
          idempotencyKey,
        })),
      });
    for (const key of ['k0', 'k1', 'k2']) expect((await write('LIKED', [key])).status).toBe(200);
    expect((await write('WASTED_TIME', ['k3', 'k4'])).status).toBe(200);
    // A retry stores nothing new.
    expect((await write('WASTED_TIME', ['k3'])).status).toBe(200);
    expect(await stream.next()).toMatchObject({ data: { scoreChanged: { externalId: 'acme' } } });

    // The outbox holds the event until the worker runs.
    const waiting = await metrics();
    expect(total(waiting, 'pulso_webhook_outbox_pending')).toBeGreaterThanOrEqual(1);
    expect(total(waiting, 'pulso_webhook_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(0);
    await worker.start();
    await until('delivered', async () => receiver.received.length > 0);
    await worker.idle();

    // Named and anonymous reads, one name past the bound check, and refusals with codes.
    const named = await t.graphql(`query WorkspaceName { workspace { name } }`);
    expect(named.status).toBe(200);
    expect((await t.graphql(`{ workspace { name } }`)).status).toBe(200);
    const invalid = await t.graphql(`query Broken { workspace { nope } }`);
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const refused = await t.graphql(`{ workspace { name } }`, {}, 'pulso_sk_not_a_real_key_0000000000000000');
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // A rescoring run of the workspace, processed by the server's runner.
    await enqueueRescore(t.database.prisma, { workspaceId: t.workspaceId, reason: 'metrics test' });
    t.server.rescoreRunner.kick();
    await t.server.rescoreRunner.idle();

    stream.close();
    await until('subscriber gone', async () => total(await metrics(), 'pulso_live_subscribers') === 0);

    const after = await metrics();
    const moved = (name: string, ...labels: string[]) => {
      const was = total(before, name, ...labels);
      const now = total(after, name, ...labels);
      expect(now, `${name}{${labels.join(',')}}`).toBeGreaterThan(Number.isNaN(was) ? 0 : was);
    };
    moved('pulso_http_request_duration_seconds_count', 'route="graphql"', 'method="POST"', 'status="200"');
    moved('pulso_http_request_duration_seconds_count', 'route="metrics"');
    moved('pulso_graphql_operation_duration_seconds_count', 'operation_name="WorkspaceName"', 'operation_type="query"');
    moved('pulso_graphql_operation_duration_seconds_count', 'operation_name="_anonymous"', 'operation_type="mutation"');
    moved('pulso_graphql_operation_duration_seconds_count', 'operation_name="_invalid"');
    moved('pulso_graphql_errors_total', 'code="GRAPHQL_VALIDATION_FAILED"');
    moved('pulso_graphql_errors_total', 'code="UNAUTHENTICATED"');
    // Five interactions stored (the retry not counted); a score for each of the four writes that stored one.
    expect(
      total(after, 'pulso_interactions_recorded_total') - (total(before, 'pulso_interactions_recorded_total') || 0),
    ).toBe(5);
    moved('pulso_scores_computed_total', 'source="write"');
    moved('pulso_scores_computed_total', 'source="rescore"');
    moved('pulso_rescore_chunk_duration_seconds_count');
    moved('pulso_rescore_run_duration_seconds_count', 'outcome="succeeded"');
    expect(total(after, 'pulso_rescore_run_customers', 'state="total"')).toBe(0);
    moved('pulso_webhook_attempts_total', 'outcome="delivered"');
    moved('pulso_webhook_attempt_duration_seconds_count');
    expect(total(after, 'pulso_webhook_outbox_pending')).toBe(0);
    // The name given by the client never becomes a label unless the operation validated.
    expect([...after.keys()].some((k) => k.includes('operation_name="Broken"'))).toBe(false);
    if (database === 'postgres') {
      expect(total(after, 'pulso_db_pool_connections', 'state="max"')).toBe(5);
      expect(total(after, 'pulso_db_pool_connections', 'state="total"')).toBeGreaterThan(0);
    } else {
      expect(Number.isNaN(total(after, 'pulso_db_pool_connections'))).toBe(true);
    }
  });

  it('counts rate-limit refusals by budget and shed requests by reason', async () => {
    const limited = await createTestServer({
      database: 'pglite',
      metricsToken: TOKEN,
      rateLimits: { perKey: 2, perAddress: 0, perCustomerToken: 0 },
    });
    try {
      const limitedUrl = await limited.server.listen(0, '127.0.0.1');
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await limited.graphql(`{ workspace { name } }`)).status);
      expect(codes).toEqual([200, 200, 429, 429]);
      const text = await (
        await fetch(`${limitedUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
      ).text();
      expect(total(parse(text), 'pulso_rate_limited_total', 'limit="API_KEY"')).toBe(2);
      expect(total(parse(text), 'pulso_graphql_errors_total', 'code="RATE_LIMITED"')).toBe(2);
    } finally {
      await limited.close();
    }

    // Two requests held in flight (their bodies not finished) fill the cap of 2: the next is refused
    // before any work, then the held ones finish normally.
    const body = JSON.stringify({ query: '{ workspace { name } }' });
    const held = [0, 1].map(() => {
      const req = request(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          authorization: `Bearer ${t.secretKey}`,
        },
      });
      const answered = new Promise<number>((resolve, reject) => {
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
      });
      req.write(body.slice(0, 5));
      return { req, answered };
    });
    await until('held requests admitted', async () => (await metrics()).get('pulso_http_requests_in_flight') === 3);
    const refused = await t.graphql(`{ workspace { name } }`);
    expect(refused.status).toBe(503);
    for (const { req } of held) req.end(body.slice(5));
    expect(await Promise.all(held.map((h) => h.answered))).toEqual([200, 200]);
    const shed = 1;
    const after = await metrics();
    expect(total(after, 'pulso_shed_requests_total', 'reason="REQUESTS_IN_FLIGHT"')).toBe(shed);
    expect(total(after, 'pulso_http_request_duration_seconds_count', 'route="graphql"', 'status="503"')).toBe(shed);
  });
});

describe('metrics without a token', () => {
  it('answers /metrics with 404 on the public port, and serves it on a port of its own when asked', async () => {
    const t = await createTestServer({});
    try {
      const url = await t.server.listen(0, '127.0.0.1');
      expect((await fetch(`${url}/metrics`)).status).toBe(404);
      expect(
        (await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer anything-at-all-123456' } })).status,
      ).toBe(404);
      const own = await t.server.listenMetrics(0, '127.0.0.1');
      const served = await fetch(`${own}/metrics`);
      expect(served.status).toBe(200);
      expect(await served.text()).toContain('# TYPE pulso_graphql_operation_duration_seconds histogram');
      expect((await fetch(`${own}/graphql`)).status).toBe(404);
      // The Grafana dashboard reads only metrics the server exposes.
      const exposed = new Set(
        [...(await (await fetch(`${own}/metrics`)).text()).matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]),
      );
      const dashboard = readFileSync(
        new URL('../../../../docs/operations/grafana-dashboard.json', import.meta.url),
        'utf8',
      );
      const read = new Set(
        [...dashboard.matchAll(/\b((?:pulso|nodejs)_[a-z0-9_]+)/g)].map((m) =>
          m[1]!.replace(/_(bucket|count|sum)$/, ''),
        ),
      );
      expect(read.size).toBeGreaterThan(15);
      for (const name of read) expect(exposed.has(name), name).toBe(true);
    } finally {
      await t.close();
    }
  });
});

describe('operation names as labels', () => {
  it('labels the first names met, collapses the rest into _other and unnamed ones into _anonymous', async () => {
    const { OperationNames } = await import('./operation-names.ts');
    const names = new OperationNames(2);
    expect([names.label('A'), names.label('B'), names.label('C'), names.label('A'), names.label(undefined)]).toEqual([
      'A',
      'B',
      '_other',
      'A',
      '_anonymous',
    ]);
  });
});
