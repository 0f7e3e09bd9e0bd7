// Live updates over real HTTP: a server listening on a port, subscriptions read as Server-Sent
// Events with fetch, ratings submitted by another client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCustomerToken, signViewToken } from '@pulso/tokens';
import { createWorkspace } from '@pulso/core';
import { createLogger } from '../../logger.ts';
import { createPulsoServer, type PulsoServer } from '../../server.ts';
import { createTestServer, openEventStream, type TestServer } from '../../testing.ts';
import { closeLiveTestServer, expiredViewToken, openLiveTestServer } from './live-test-server.ts';

/** Opens a GraphQL subscription as an SSE stream (graphql-yoga's default transport). */
const subscribe = (url: string, query: string, variables: Record<string, unknown>, key: string) =>
  openEventStream(`${url}/graphql`, query, variables, key);

async function post(url: string, query: string, variables: Record<string, unknown>, key: string): Promise<any> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

const RATE = `mutation ($input: SubmitMicroRatingInput!) { submitMicroRating(input: $input) { __typename ... on MicroRatingReceipt { id } } }`;
const SCORE_CHANGED = `subscription ($externalId: String) {
  scoreChanged(externalId: $externalId) { externalId score previousScore change band previousBand customer { externalId score band } }
}`;
const RECORD_MANY = `mutation ($interactions: [RecordInteractionInput!]!) { recordInteractions(interactions: $interactions) { __typename } }`;
const BAND_CHANGED = `subscription { bandChanged { externalId band previousBand } }`;
/** What a gauge followed before the widgets shared liveViews (views.test.ts): closed to view tokens now. */
const GAUGE_CHANGED = `subscription ($externalId: String) { scoreChanged(externalId: $externalId) { customer { name health { value } } } }`;
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

describe.each(['pglite', 'postgres'] as const)('live score changes over HTTP on %s', (database) => {
  let t: TestServer;
  let url: string;
  let secret: string;
  beforeAll(async () => {
    ({ t, url, secret } = await openLiveTestServer(database));
  }, 60_000);
  afterAll(() => closeLiveTestServer(t));

  const rateAs = async (externalId: string, rating: string) =>
    post(
      url,
      RATE,
      {
        input: {
          customerToken: await signCustomerToken({ secret, externalId }),
          variant: 'THREE_LEVELS',
          rating,
          idempotencyKey: crypto.randomUUID(),
        },
      },
      t.publishableKey,
    );

  it("delivers a rating submitted by one client to another client's subscription, after commit", async () => {
    const stream = await subscribe(url, SCORE_CHANGED, { externalId: 'cus_0002' }, t.secretKey);
    const workspace = await subscribe(url, SCORE_CHANGED, {}, t.secretKey);
    expect(stream.status).toBe(200);
    await settle();
    expect((await rateAs('cus_0002', 'WASTED_TIME')).data.submitMicroRating.__typename).toBe('MicroRatingReceipt');
    const event = await stream.next();
    expect(event.errors).toBeUndefined();
    const change = event.data.scoreChanged;
    expect(change.externalId).toBe('cus_0002');
    expect(change.score).toBeLessThan(change.previousScore);
    // What the event says is what a reader sees: it was published after the commit.
    const stored = await t.database.prisma.customer.findFirstOrThrow({
      where: { workspaceId: t.workspaceId, externalId: 'cus_0002' },
    });
    expect(change.score).toBe(stored.score);
    expect(change.customer).toEqual({ externalId: 'cus_0002', score: stored.score, band: stored.band });
    expect((await workspace.next()).data.scoreChanged.externalId).toBe('cus_0002');
    // A rating of another customer reaches the workspace stream only.
    await rateAs('cus_0003', 'LIKED');
    expect((await workspace.next()).data.scoreChanged.externalId).toBe('cus_0003');
    expect(await stream.next(300)).toBeNull();
    stream.close();
    workspace.close();
  });

  it('sends bandChanged only when a customer crosses a band threshold', async () => {
    const stream = await subscribe(url, BAND_CHANGED, {}, t.secretKey);
    await settle();
    // A customer made for this test, never one picked from the demo by today's scores (which
    // depend on the date the suite runs): its history is three months of emails twice a week up to
    // now, which scores it healthy on any day; each "indifferent" rating sent here then costs it a
    // little (a liked one would count only as far as engagement backs it), so it steps down until it
    // crosses into "needs attention", the same path on any day.
    const externalId = `band-${database}`;
    const history = Array.from({ length: 26 }, (_, i) => ({
      customer: { externalId, name: externalId },
      type: 'email',
      occurredAt: new Date(Date.now() - (1 + 3.5 * i) * 86_400_000).toISOString(),
      idempotencyKey: `${externalId}-email-${i}`,
    }));
    const recorded = await post(url, RECORD_MANY, { interactions: history }, t.secretKey);
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data.recordInteractions.__typename).toBe('RecordedInteractions');
    await stream.next(1_000); // a new customer may announce its first band: not what is tested
    const first = await t.database.prisma.customer.findFirstOrThrow({
      where: { workspaceId: t.workspaceId, externalId },
    });
    expect(first.band).toBe('HEALTHY');
    let crossed: any = null;
    let quiet = 0; // ratings that moved the score within its band
    for (let i = 0; i < 40 && !crossed; i++) {
      const before = await t.database.prisma.customer.findFirstOrThrow({
        where: { workspaceId: t.workspaceId, externalId },
      });
      await rateAs(externalId, 'INDIFFERENT');
      const after = await t.database.prisma.customer.findFirstOrThrow({ where: { id: before.id } });
      const event = await stream.next(after.band === before.band ? 200 : 5_000);
      if (after.band === before.band) {
        expect(after.score).toBeLessThan(before.score!);
        expect(event).toBeNull();
        quiet += 1;
      } else crossed = { event, before: before.band, after: after.band };
    }
    expect(crossed).not.toBeNull();
    expect(quiet).toBeGreaterThan(0);
    expect(crossed).toMatchObject({ before: 'HEALTHY', after: 'NEEDS_ATTENTION' });
    expect(crossed.event.data.bandChanged).toEqual({ externalId, band: crossed.after, previousBand: crossed.before });
    stream.close();
  }, 60_000);

  it('leaves view tokens to liveViews (no widget follows scoreChanged), and keeps workspaces apart', async () => {
    const gauge = await signViewToken({
      secret,
      workspaceId: t.workspaceId,
      grant: { kind: 'customer', externalId: 'cus_0005' },
    });
    const gaugeOwn = await subscribe(url, GAUGE_CHANGED, { externalId: 'cus_0005' }, gauge);
    const mine = await subscribe(url, GAUGE_CHANGED, { externalId: 'cus_0005' }, t.secretKey);
    const notMine = await subscribe(url, GAUGE_CHANGED, { externalId: 'cus_0006' }, gauge);
    const everything = await subscribe(url, GAUGE_CHANGED, {}, gauge);
    const publishable = await subscribe(url, SCORE_CHANGED, {}, t.publishableKey);
    for (const [refused, message] of [
      [gaugeOwn, /view token may not use Subscription.scoreChanged/],
      [notMine, /view token may not use Subscription.scoreChanged/],
      [everything, /view token may not use Subscription.scoreChanged/],
      [publishable, /publishable API key may not use Subscription.scoreChanged/],
    ] as const) {
      const event = await refused.next();
      expect(event.errors[0].message).toMatch(message);
      refused.close();
    }
    const other = await createWorkspace(t.database.prisma, { slug: `live-other-${database}`, name: 'Other' });
    const outsider = await subscribe(url, SCORE_CHANGED, {}, other.secretKey.key);
    const expired = await expiredViewToken(secret, t.workspaceId);
    const late = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${expired}` },
      body: '{"query":"{ __typename }"}',
    });
    expect(late.status).toBe(401);
    expect(((await late.json()) as any).errors[0].message).toMatch(/view token has expired/);
    await settle();
    await rateAs('cus_0005', 'LIKED');
    const name = (
      await t.database.prisma.customer.findFirstOrThrow({
        where: { workspaceId: t.workspaceId, externalId: 'cus_0005' },
      })
    ).name;
    expect((await mine.next()).data.scoreChanged.customer.name).toBe(name);
    expect(await outsider.next(500)).toBeNull();
    mine.close();
    outsider.close();
  });

  it('refuses NOT_FOUND a stream of a customer the workspace does not have, instead of a silent stream', async () => {
    const other = await createWorkspace(t.database.prisma, { slug: `live-missing-${database}`, name: 'Other' });
    const foreign = await t.database.prisma.customer.create({
      data: { workspaceId: other.workspaceId, externalId: 'theirs', name: 'Theirs' },
    });
    const byId = `subscription ($id: ID) { scoreChanged(customerId: $id) { externalId } }`;
    for (const [query, variables] of [
      [SCORE_CHANGED, { externalId: 'nobody' }],
      [SCORE_CHANGED, { externalId: 'theirs' }],
      [byId, { id: foreign.id }],
      [BAND_CHANGED.replace('bandChanged', 'bandChanged(externalId: "nobody")'), {}],
    ] as const) {
      const stream = await subscribe(url, query, variables, t.secretKey);
      const event = await stream.next(2_000);
      stream.close();
      expect(event?.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe('NOT_FOUND');
      expect(event.errors[0].message).toMatch(/no customer/);
    }
  });

  it("publishes a customer-success manager's assessment as a score change", async () => {
    const stream = await subscribe(url, SCORE_CHANGED, { externalId: 'cus_0004' }, t.secretKey);
    await settle();
    const set = await post(
      url,
      `mutation { setManualAssessment(externalId: "cus_0004", score: 5, reason: "Champion left the company", weight: 0.5) { __typename } }`,
      {},
      t.secretKey,
    );
    expect(set.data.setManualAssessment.__typename).toBe('ManualAssessment');
    const change = (await stream.next()).data.scoreChanged;
    expect(change.score).toBeLessThan(change.previousScore);
    await post(url, `mutation { endManualAssessment(externalId: "cus_0004") { __typename } }`, {}, t.secretKey);
    const back = (await stream.next()).data.scoreChanged;
    expect(back.score).toBeGreaterThan(change.score);
    stream.close();
  });

  it('publishes the scores a scoring-model change moves, once the background rescoring commits them', async () => {
    const workspace = await subscribe(url, SCORE_CHANGED, {}, t.secretKey);
    await settle();
    const changed = await post(
      url,
      `mutation { updateCategory(key: "support", input: { weight: 90 }) { __typename } }`,
      {},
      t.secretKey,
    );
    expect(changed.data.updateCategory.__typename).not.toMatch(/Error/);
    const event = await workspace.next(20_000);
    expect(event?.errors).toBeUndefined();
    const change = event.data.scoreChanged;
    expect(change.score).not.toBe(change.previousScore);
    const stored = await t.database.prisma.customer.findFirstOrThrow({
      where: { workspaceId: t.workspaceId, externalId: change.externalId },
    });
    expect(change.score).toBe(stored.score);
    workspace.close();
  });
});

describe('live events shared through Redis by two instances', () => {
  let t: TestServer;
  const servers: PulsoServer[] = [];
  beforeAll(async () => {
    t = await createTestServer({ database: 'postgres', workspace: 'demo', demoCustomers: 4, demoOutcomes: false });
  }, 60_000);
  afterAll(async () => {
    for (const s of servers) {
      s.http.closeAllConnections();
      await s.close(100);
    }
    await t?.close();
  });

  it('delivers a rating recorded on instance A to a subscriber of instance B', async () => {
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    for (let i = 0; i < 2; i++)
      servers.push(createPulsoServer({ database: t.database, logger: createLogger('silent'), redisUrl }));
    const [a, b] = await Promise.all(servers.map((s) => s.listen(0, '127.0.0.1')));
    const secret = (await t.database.prisma.workspace.findUniqueOrThrow({ where: { id: t.workspaceId } }))
      .tokenSigningSecret;
    const stream = await subscribe(b!, SCORE_CHANGED, { externalId: 'cus_0001' }, t.secretKey);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const customerToken = await signCustomerToken({ secret, externalId: 'cus_0001' });
    const sent = await post(
      a!,
      RATE,
      { input: { customerToken, variant: 'LIKE_DISLIKE', rating: 'LIKED', idempotencyKey: crypto.randomUUID() } },
      t.publishableKey,
    );
    expect(sent.data.submitMicroRating.__typename).toBe('MicroRatingReceipt');
    const event = await stream.next();
    expect(event?.data.scoreChanged.externalId).toBe('cus_0001');
    stream.close();
  });

  it('keeps deployments with different Redis prefixes apart on one Redis', async () => {
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    // Two deployments over the same data (so the same workspace id): only the prefix tells them apart.
    const run = crypto.randomUUID();
    const [staging, production] = ['staging', 'production'].map((name) =>
      createPulsoServer({
        database: t.database,
        logger: createLogger('silent'),
        redisUrl,
        redisPrefix: `pulso-test-${name}-${run}`,
      }),
    );
    servers.push(staging!, production!);
    const [stagingUrl, productionUrl] = await Promise.all([
      staging!.listen(0, '127.0.0.1'),
      production!.listen(0, '127.0.0.1'),
    ]);
    const secret = (await t.database.prisma.workspace.findUniqueOrThrow({ where: { id: t.workspaceId } }))
      .tokenSigningSecret;
    const stream = await subscribe(productionUrl!, SCORE_CHANGED, { externalId: 'cus_0002' }, t.secretKey);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const rate = async (url: string) => {
      const customerToken = await signCustomerToken({ secret, externalId: 'cus_0002' });
      const sent = await post(
        url,
        RATE,
        { input: { customerToken, variant: 'LIKE_DISLIKE', rating: 'LIKED', idempotencyKey: crypto.randomUUID() } },
        t.publishableKey,
      );
      expect(sent.data.submitMicroRating.__typename).toBe('MicroRatingReceipt');
    };
    await rate(stagingUrl!);
    expect(await stream.next(1_000)).toBeNull();
    // The subscription itself works: production's own rating reaches it.
    await rate(productionUrl!);
    expect((await stream.next())?.data.scoreChanged.externalId).toBe('cus_0002');
    stream.close();
  });
});
