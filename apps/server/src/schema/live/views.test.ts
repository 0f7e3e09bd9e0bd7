// Several views over one stream (liveViews), over real HTTP: the events each view may see, with
// their positions, and the refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signViewToken } from '@pulso/tokens';
import { createWorkspace } from '@pulso/core';
import { openEventStream, type TestServer } from '../../testing.ts';
import { closeLiveTestServer, expiredViewToken, openLiveTestServer } from './live-test-server.ts';
import { MAX_LIVE_VIEWS } from './views.ts';

const LIVE_VIEWS = `subscription ($views: [String!]!) { liveViews(views: $views) { views change { externalId band previousBand customer { externalId } } } }`;
/** What the widgets select: a gauge's customer, or (at-risk lists alone) which customer changed. */
const GAUGE_LIVE = `subscription ($views: [String!]!) { liveViews(views: $views) { views change { customer { name health { value } } } } }`;
const AT_RISK_LIVE = `subscription ($views: [String!]!) { liveViews(views: $views) { views change { externalId } } }`;
const RECORD = `mutation ($input: RecordInteractionInput!) { recordInteraction(input: $input) { __typename } }`;
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

describe('liveViews: several view tokens over one stream', () => {
  let t: TestServer;
  let url: string;
  let secret: string;
  beforeAll(async () => {
    ({ t, url, secret } = await openLiveTestServer());
  }, 60_000);
  afterAll(() => closeLiveTestServer(t));

  const view = (grant: { kind: 'customer'; externalId: string } | { kind: 'at_risk' }, workspaceId = t.workspaceId) =>
    signViewToken({ secret, workspaceId, grant });
  // A key as the bearer reads every field of a change; what view tokens read is below.
  const open = (views: string[], credential = t.secretKey, query = LIVE_VIEWS) =>
    openEventStream(`${url}/graphql`, query, { views }, credential);
  const nps = (externalId: string, value: number) =>
    t.graphql(RECORD, {
      input: { customer: { externalId }, type: 'nps', value, idempotencyKey: crypto.randomUUID() },
    });

  it('sends each change once, naming the views that see it', async () => {
    const { body } = await t.graphql(
      '{ atRiskCustomers(first: 1) { customer { externalId } } customers(first: 20) { edges { node { externalId band } } } }',
    );
    const atRisk: string = body.data.atRiskCustomers[0].customer.externalId;
    const healthy: string = body.data.customers.edges.find((e: any) => e.node.band === 'HEALTHY').node.externalId;
    const [a, b, list] = await Promise.all([
      view({ kind: 'customer', externalId: healthy }),
      view({ kind: 'customer', externalId: atRisk }),
      view({ kind: 'at_risk' }),
    ]);
    const stream = await open([a, b, list]);
    expect(stream.status).toBe(200);
    await settle();
    // The at-risk customer answers 0 out of 10: its gauge and the list see it.
    await nps(atRisk, 0);
    const first = (await stream.next()).data.liveViews;
    expect(first.change.externalId).toBe(atRisk);
    expect(first.change.band).toBe('AT_RISK');
    expect(first.views).toEqual([1, 2]);
    // The healthy one answers 10: only its gauge sees it.
    await nps(healthy, 10);
    const second = (await stream.next()).data.liveViews;
    expect(second.change.customer.externalId).toBe(healthy);
    expect(second.views).toEqual([0]);
    expect(await stream.next(500)).toBeNull();
    stream.close();
  }, 30_000);

  it("gives a view token's widget only what it shows: an at-risk list learns which customer changed, not its details", async () => {
    const { body } = await t.graphql(
      '{ atRiskCustomers(first: 1) { customer { externalId } } customers(first: 20) { edges { node { externalId band } } } }',
    );
    const atRisk: string = body.data.atRiskCustomers[0].customer.externalId;
    const healthy: string = body.data.customers.edges.find(
      (e: any) => e.node.band === 'HEALTHY' && e.node.externalId !== atRisk,
    ).node.externalId;
    const [gauge, list] = await Promise.all([
      view({ kind: 'customer', externalId: healthy }),
      view({ kind: 'at_risk' }),
    ]);
    // A token in `views` reads what its widget shows, whoever the bearer: the list alone may not
    // select a gauge's details, nor anything a widget does not show.
    for (const [views, bearer, query] of [
      [[list], list, GAUGE_LIVE],
      [[list], gauge, GAUGE_LIVE],
      [[gauge, list], gauge, LIVE_VIEWS.replace('customer { externalId }', 'customer { properties }')],
    ] as const) {
      const refused = await open([...views], bearer, query);
      const event = await refused.next(2_000);
      refused.close();
      expect(event.errors[0].extensions.code, JSON.stringify({ views, query })).toBe('FORBIDDEN');
      expect(event.data ?? null).toBeNull();
    }
    // A page of a gauge and an at-risk list, with the gauge's selection: the list's own events
    // carry no change; the gauge's carry its customer.
    const page = await open([gauge, list], gauge, GAUGE_LIVE);
    const alone = await open([list], list, AT_RISK_LIVE);
    expect(page.status).toBe(200);
    await settle();
    await nps(atRisk, 0);
    expect((await page.next()).data.liveViews).toEqual({ views: [1], change: null });
    expect((await alone.next()).data.liveViews).toEqual({ views: [0], change: { externalId: atRisk } });
    await nps(healthy, 10);
    const own = (await page.next()).data.liveViews;
    expect(own.views).toEqual([0]);
    expect(own.change.customer.name).toEqual(expect.any(String));
    expect(own.change.customer.health.value).toEqual(expect.any(Number));
    page.close();
    alone.close();
  }, 30_000);

  it('refuses the stream naming the positions of expired, forged or foreign tokens', async () => {
    const good = await view({ kind: 'customer', externalId: 'cus_0003' });
    const expired = await expiredViewToken(secret, t.workspaceId);
    const other = await createWorkspace(t.database.prisma, { slug: 'views-other', name: 'Other' });
    const otherSecret = (await t.database.prisma.workspace.findUniqueOrThrow({ where: { id: other.workspaceId } }))
      .tokenSigningSecret;
    const foreign = await signViewToken({
      secret: otherSecret,
      workspaceId: other.workspaceId,
      grant: { kind: 'at_risk' },
    });
    const stream = await open([good, expired, 'eyJhbGciOiJIUzI1NiJ9.e30.forged', foreign], good, GAUGE_LIVE);
    const event = await stream.next();
    expect(event.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', views: [1, 2, 3] });
    stream.close();
  });

  it('needs a caller that may read live scores, and 1 to 50 tokens', async () => {
    const good = await view({ kind: 'customer', externalId: 'cus_0004' });
    const publishable = await open([good], t.publishableKey);
    expect((await publishable.next()).errors[0].message).toMatch(
      /publishable API key may not use Subscription.liveViews/,
    );
    publishable.close();
    const none = await open([], good, GAUGE_LIVE);
    expect((await none.next()).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    none.close();
    const many = await open(
      Array.from({ length: MAX_LIVE_VIEWS + 1 }, () => good),
      good,
      GAUGE_LIVE,
    );
    expect((await many.next()).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    many.close();
  });
});
