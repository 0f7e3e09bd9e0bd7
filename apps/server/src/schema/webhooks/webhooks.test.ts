// The webhook API over real HTTP, against PGlite and PostgreSQL, with a real receiver on loopback
// and the real delivery worker: endpoints, typed refusals, events written by API writes that
// change a band, their delivery status, redelivery and secret rotation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookWorker } from '@pulso/webhooks';
import {
  loopbackWorker,
  startWebhookReceiver,
  until,
  verifyWebhook,
  type WebhookReceiver,
} from '@pulso/webhooks/testing';
import { createTestServer, type TestServer } from '../../testing.ts';

const ENDPOINT = `id url description enabled secret bandChanged { from to } scoreDropped { threshold }`;
const EVENT = `id webhookId type status attempts lastStatusCode lastError nextAttemptAt deliveredAt payload customer { externalId } endpoint { id }`;

describe.each(['pglite', 'postgres'] as const)('webhooks API on %s', (database) => {
  let t: TestServer;
  let receiver: WebhookReceiver;
  let worker: WebhookWorker;
  beforeAll(async () => {
    // The receiver listens on loopback: allowed here, refused by default (the test after the next).
    t = await createTestServer({
      over: 'fetch',
      workspace: 'empty',
      database,
      webhookAddresses: { allowPrivateAddresses: true },
    });
    receiver = await startWebhookReceiver();
    worker = loopbackWorker(t.database.prisma);
    await worker.start();
  });
  afterAll(async () => {
    await worker?.stop();
    await receiver?.close();
    await t?.close();
  });

  it('refuses, by default, URLs on loopback, private and link-local addresses, naming the setting that allows them', async () => {
    const strict = await createTestServer({ over: 'fetch', workspace: 'empty', database });
    try {
      const create = async (url: string) =>
        (
          await strict.graphql(
            `mutation ($url: String!) { createWebhookEndpoint(input: { url: $url, bandChanged: {} }) { __typename ... on UserError { field code message } } }`,
            { url },
          )
        ).body.data.createWebhookEndpoint;
      for (const url of [
        'http://127.0.0.1:8080/h',
        'http://localhost/h',
        'http://[::1]/h',
        'http://169.254.169.254/latest/meta-data',
        'https://10.0.0.5/h',
        'http://[fd00::1]/h',
      ]) {
        const refused = await create(url);
        expect(refused, url).toMatchObject({
          __typename: 'WebhookEndpointError',
          field: 'url',
          code: 'ADDRESS_NOT_ALLOWED',
        });
        expect(refused.message).toMatch(/not a public one: .*PULSO_WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true/);
      }
      // A public address is taken; so is a name that does not resolve yet (checked again at each delivery).
      expect(await create('https://93.184.215.14/h')).toEqual({ __typename: 'WebhookEndpoint' });
      expect(await create('https://receiver.invalid/h')).toEqual({ __typename: 'WebhookEndpoint' });
      // An update to a refused URL changes nothing.
      const [endpoint] = (
        await strict.graphql(`{ webhookEndpoints { edges { node { id url } } } }`)
      ).body.data.webhookEndpoints.edges.map((e: any) => e.node);
      const update = await strict.graphql(
        `mutation ($id: ID!) { updateWebhookEndpoint(id: $id, input: { url: "http://192.168.1.1/h" }) { __typename ... on UserError { code } } }`,
        { id: endpoint.id },
      );
      expect(update.body.data.updateWebhookEndpoint).toEqual({
        __typename: 'WebhookEndpointError',
        code: 'ADDRESS_NOT_ALLOWED',
      });
      const after = (
        await strict.graphql(`{ webhookEndpoints { edges { node { id url } } } }`)
      ).body.data.webhookEndpoints.edges.map((e: any) => e.node);
      expect(after).toContainEqual(endpoint);
    } finally {
      await strict.close();
    }
  });

  const record = (sentiment: string, key: string) =>
    t.graphql(`mutation ($input: RecordInteractionInput!) { recordInteraction(input: $input) { __typename } }`, {
      input: { customer: { externalId: 'acme', name: 'Acme' }, type: 'meeting', sentiment, idempotencyKey: key },
    });
  const events = async (filter = '') =>
    (await t.graphql(`{ webhookEvents${filter} { edges { node { ${EVENT} } } } }`)).body.data.webhookEvents.edges.map(
      (e: any) => e.node,
    );

  it('refuses keys other than secret ones, and invalid endpoints with typed errors', async () => {
    const create = `mutation { createWebhookEndpoint(input: { url: "https://example.com/h", bandChanged: {} }) { __typename } }`;
    const publishable = await t.graphql(create, {}, t.publishableKey);
    expect(publishable.body.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(
      (await t.graphql(`{ webhookEndpoints { edges { node { id } } } }`, {}, t.publishableKey)).body.errors?.[0]
        ?.extensions?.code,
    ).toBe('FORBIDDEN');

    const refused = async (input: string) =>
      (
        await t.graphql(
          `mutation { createWebhookEndpoint(input: ${input}) { __typename ... on UserError { field code message } } }`,
        )
      ).body.data.createWebhookEndpoint;
    expect(await refused(`{ url: "ftp://example.com/h", bandChanged: {} }`)).toMatchObject({
      __typename: 'WebhookEndpointError',
      field: 'url',
      code: 'INVALID_URL',
    });
    expect(await refused(`{ url: "not a url", bandChanged: {} }`)).toMatchObject({ field: 'url', code: 'INVALID_URL' });
    // fetch cannot send a URL with credentials: every delivery would fail. The message says why, not what they were.
    const credentials = await refused(`{ url: "http://user:pass@example.com/x", customerChurned: true }`);
    expect(credentials).toMatchObject({ __typename: 'WebhookEndpointError', field: 'url', code: 'INVALID_URL' });
    expect(credentials.message).toMatch(/credentials .*cannot be sent.*signing secret/);
    expect(credentials.message).not.toContain('user:pass@');
    const clean = await t.graphql(
      `mutation { createWebhookEndpoint(input: { url: "https://example.com/h", customerChurned: true }) { ... on WebhookEndpoint { id url } } }`,
    );
    const cleanId = clean.body.data.createWebhookEndpoint.id;
    const update = await t.graphql(
      `mutation ($id: ID!) { updateWebhookEndpoint(id: $id, input: { url: "https://:secret@example.com/h" }) { __typename ... on UserError { field code } } }`,
      { id: cleanId },
    );
    expect(update.body.data.updateWebhookEndpoint).toEqual({
      __typename: 'WebhookEndpointError',
      field: 'url',
      code: 'INVALID_URL',
    });
    await t.graphql(`mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) { __typename } }`, { id: cleanId });
    expect(await refused(`{ url: "https://example.com/h" }`)).toMatchObject({
      field: 'bandChanged',
      code: 'NO_EVENT_TYPES',
    });
    expect(await refused(`{ url: "https://example.com/h", scoreDropped: { threshold: 0 } }`)).toMatchObject({
      field: 'scoreDropped.threshold',
      code: 'OUT_OF_RANGE',
    });
    // Every problem in one answer, in field order; field and code are the first's.
    const many = (
      await t.graphql(
        `mutation ($description: String) { createWebhookEndpoint(input: { url: "ftp://example.com/h", description: $description, scoreDropped: { threshold: 0 } }) {
          ... on WebhookEndpointError { field code message problems { field code } } } }`,
        { description: 'x'.repeat(501) },
      )
    ).body.data.createWebhookEndpoint;
    expect(many).toMatchObject({ field: 'url', code: 'INVALID_URL' });
    expect(many.problems).toEqual([
      { field: 'url', code: 'INVALID_URL' },
      { field: 'description', code: 'TOO_LONG' },
      { field: 'scoreDropped.threshold', code: 'OUT_OF_RANGE' },
    ]);
    expect(many.message).toMatch(/^url: .*; description: .*; scoreDropped\.threshold: /);
    const noEvents = (
      await t.graphql(
        `mutation { createWebhookEndpoint(input: { url: "not a url" }) { ... on WebhookEndpointError { problems { field code } } } }`,
      )
    ).body.data.createWebhookEndpoint;
    expect(noEvents.problems).toEqual([
      { field: 'url', code: 'INVALID_URL' },
      { field: 'bandChanged', code: 'NO_EVENT_TYPES' },
    ]);
    // Allowed on this server: a loopback URL is taken (and deleted at once).
    const local = await t.graphql(
      `mutation { createWebhookEndpoint(input: { url: "http://127.0.0.1:9/h", bandChanged: {} }) { ... on WebhookEndpoint { id } } }`,
    );
    await t.graphql(`mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) { __typename } }`, {
      id: local.body.data.createWebhookEndpoint.id,
    });
    const missing = await t.graphql(
      `mutation { rotateWebhookSecret(id: "nope") { __typename ... on UserError { code } } }`,
    );
    expect(missing.body.data.rotateWebhookSecret).toEqual({ __typename: 'WebhookEndpointError', code: 'NOT_FOUND' });
    const noEvent = await t.graphql(
      `mutation { redeliverWebhookEvent(id: "evt_missing") { __typename ... on UserError { code } } }`,
    );
    expect(noEvent.body.data.redeliverWebhookEvent).toEqual({
      __typename: 'WebhookEventNotFoundError',
      code: 'NOT_FOUND',
    });
    expect(
      (await t.graphql(`{ webhookEndpoints { edges { node { id } } } }`)).body.data.webhookEndpoints.edges,
    ).toEqual([]);
  });

  it('delivers band changes and drops from API writes, signed, visible with their status; redelivers; rotates the secret', async () => {
    const created = await t.graphql(
      `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { __typename ... on WebhookEndpoint { ${ENDPOINT} } } }`,
      {
        input: {
          url: receiver.url,
          description: 'CRM',
          bandChanged: { from: ['HEALTHY'], to: ['AT_RISK'] },
          scoreDropped: { threshold: 10 },
        },
      },
    );
    const endpoint = created.body.data.createWebhookEndpoint;
    expect(endpoint).toMatchObject({
      __typename: 'WebhookEndpoint',
      url: receiver.url,
      description: 'CRM',
      enabled: true,
      bandChanged: { from: ['HEALTHY'], to: ['AT_RISK'] },
      scoreDropped: { threshold: 10 },
    });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    // Healthy first (no event for a first score), then two "wasted my time" in one write: grave
    // signals that leave about 55 % of the score, so the band falls from healthy straight to at risk
    // (one at a time it would stop at "needs attention" on the way, which this endpoint ignores).
    for (const [i, sentiment] of ['LIKED', 'LIKED', 'LIKED'].entries())
      expect((await record(sentiment, `k${i}`)).status).toBe(200);
    expect(
      (await t.database.prisma.customer.findFirstOrThrow({ where: { workspaceId: t.workspaceId, externalId: 'acme' } }))
        .band,
    ).toBe('HEALTHY');
    const fall = await t.graphql(
      `mutation ($interactions: [RecordInteractionInput!]!) { recordInteractions(interactions: $interactions) { __typename } }`,
      {
        interactions: ['k3', 'k4'].map((idempotencyKey) => ({
          customer: { externalId: 'acme' },
          type: 'meeting',
          sentiment: 'WASTED_TIME',
          idempotencyKey,
        })),
      },
    );
    expect(fall.body.data.recordInteractions.__typename).toBe('RecordedInteractions');
    const customer = await t.database.prisma.customer.findFirstOrThrow({ where: { externalId: 'acme' } });
    expect(customer.band).toBe('AT_RISK');
    const delivered = await until('deliveries', async () => {
      const list = await events();
      return list.length > 0 && list.every((e: any) => e.status === 'DELIVERED') && list;
    });
    expect(delivered.map((e: any) => e.type).sort()).toContain('band.changed');
    expect(delivered.map((e: any) => e.type)).toContain('score.dropped');
    for (const e of delivered)
      expect(e).toMatchObject({
        attempts: 1,
        lastStatusCode: 200,
        lastError: null,
        nextAttemptAt: null,
        customer: { externalId: 'acme' },
        endpoint: { id: endpoint.id },
      });
    const band = delivered.find((e: any) => e.type === 'band.changed');
    expect(band.payload.data).toMatchObject({
      customer: { externalId: 'acme', name: 'Acme' },
      band: { previous: 'HEALTHY', current: 'AT_RISK' },
    });
    expect(receiver.received.map((r) => r.id).sort()).toEqual(delivered.map((e: any) => e.webhookId).sort());
    for (const request of receiver.received) expect(verifyWebhook(endpoint.secret, request)).toEqual(request.payload);

    // A failing receiver: the error shows, and a retry is scheduled.
    receiver.respond(() => 500);
    await record('WASTED_TIME', 'k-fall');
    const failing = await until('a failed attempt', async () =>
      (await events('(status: PENDING)')).find((e: any) => e.attempts === 1 && e.lastStatusCode === 500),
    );
    expect(failing).toMatchObject({ lastError: 'HTTP 500 Internal Server Error', type: 'score.dropped' });
    expect(new Date(failing.nextAttemptAt).getTime()).toBeGreaterThan(Date.now() + 10_000);

    // Rotated secret, receiver back, redelivery asked: same webhook-id, signed with the new secret.
    const rotated = (
      await t.graphql(`mutation ($id: ID!) { rotateWebhookSecret(id: $id) { ... on WebhookEndpoint { secret } } }`, {
        id: endpoint.id,
      })
    ).body.data.rotateWebhookSecret;
    expect(rotated.secret).not.toBe(endpoint.secret);
    receiver.respond(() => 200);
    const redelivered = await t.graphql(
      `mutation ($id: ID!) { redeliverWebhookEvent(id: $id) { __typename ... on WebhookEvent { status webhookId } } }`,
      { id: failing.webhookId },
    );
    // Queued again (PENDING); the worker, woken by the same write, may already have delivered it by
    // the time the payload's fields are read.
    expect(redelivered.body.data.redeliverWebhookEvent).toEqual({
      __typename: 'WebhookEvent',
      status: expect.stringMatching(/^(PENDING|DELIVERED)$/),
      webhookId: failing.webhookId,
    });
    await until('redelivery', async () =>
      (await events()).find((e: any) => e.id === failing.id && e.status === 'DELIVERED'),
    );
    const last = receiver.received.at(-1)!;
    expect(last.id).toBe(failing.webhookId);
    expect(verifyWebhook(rotated.secret, last)).toEqual(failing.payload);
    expect(() => verifyWebhook(endpoint.secret, last)).toThrow(/signature/i);

    // Paging and filters.
    const page = await t.graphql(
      `query ($id: ID!) { webhookEvents(first: 1, endpointId: $id) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
      { id: endpoint.id },
    );
    expect(page.body.data.webhookEvents.pageInfo.hasNextPage).toBe(true);
    expect(await events('(status: FAILED)')).toEqual([]);

    // Unsubscribed from drops, disabled, then deleted with its events.
    const updated = await t.graphql(
      `mutation ($id: ID!) { updateWebhookEndpoint(id: $id, input: { scoreDropped: null, enabled: false }) { ... on WebhookEndpoint { enabled scoreDropped { threshold } bandChanged { to } } } }`,
      { id: endpoint.id },
    );
    expect(updated.body.data.updateWebhookEndpoint).toEqual({
      enabled: false,
      scoreDropped: null,
      bandChanged: { to: ['AT_RISK'] },
    });
    const none = await t.graphql(
      `mutation ($id: ID!) { updateWebhookEndpoint(id: $id, input: { bandChanged: null }) { __typename ... on UserError { code } } }`,
      { id: endpoint.id },
    );
    expect(none.body.data.updateWebhookEndpoint).toEqual({
      __typename: 'WebhookEndpointError',
      code: 'NO_EVENT_TYPES',
    });
    const deleted = await t.graphql(
      `mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) { ... on DeletedWebhookEndpoint { id } } }`,
      { id: endpoint.id },
    );
    expect(deleted.body.data.deleteWebhookEndpoint.id).toBe(endpoint.id);
    expect(await events()).toEqual([]);
  });
});
