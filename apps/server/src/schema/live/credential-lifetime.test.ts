// Live streams hold their credential to account for as long as they are open, over real HTTP and a
// real WebSocket: a revoked key, an expired key or view token and a rotated signing secret end the
// stream with UNAUTHENTICATED instead of letting it receive score changes all day.
import { signViewToken } from '@pulso/tokens';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openEventStream, type TestServer } from '../../testing.ts';
import { closeLiveTestServer, openLiveTestServer } from './live-test-server.ts';

const SCORE_CHANGED = `subscription { scoreChanged { externalId score } }`;
const LIVE_VIEWS = `subscription ($views: [String!]!) { liveViews(views: $views) { views change { externalId } } }`;
const RECORD = `mutation ($input: RecordInteractionInput!) { recordInteraction(input: $input) { __typename } }`;
const CREATE_KEY = `mutation ($expiresAt: DateTime) { createApiKey(name: "Wallboard", kind: READ_ONLY, expiresAt: $expiresAt) {
  ... on CreatedApiKey { key apiKey { id } } } }`;
const REVOKE_KEY = `mutation ($id: ID!) { revokeApiKey(id: $id) { __typename } }`;
/** How long the server trusts a looked-up key here (5 s in production). */
const CACHE_MS = 200;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** After its refusal, the stream sends nothing more and is closed by the server. */
async function expectEnded(stream: Awaited<ReturnType<typeof openEventStream>>): Promise<void> {
  expect(await stream.next(2_000)).toBeNull();
  expect(stream.ended).toBe(true);
}

describe('live streams end when their credential is refused', () => {
  let t: TestServer;
  let url: string;
  let secret: string;
  beforeAll(async () => {
    ({ t, url, secret } = await openLiveTestServer('pglite', { apiKeyCacheMs: CACHE_MS }));
  }, 60_000);
  afterAll(() => closeLiveTestServer(t));

  const nps = async (externalId: string, value: number) => {
    const { body } = await t.graphql(RECORD, {
      input: { customer: { externalId }, type: 'nps', value, idempotencyKey: crypto.randomUUID() },
    });
    expect(body.errors).toBeUndefined();
  };
  const readOnlyKey = async (expiresAt?: Date): Promise<{ key: string; id: string }> => {
    const { body } = await t.graphql(CREATE_KEY, { expiresAt: expiresAt?.toISOString() ?? null });
    expect(body.errors).toBeUndefined();
    return { key: body.data.createApiKey.key, id: body.data.createApiKey.apiKey.id };
  };
  const open = (query: string, variables: Record<string, unknown>, credential: string) =>
    openEventStream(`${url}/graphql`, query, variables, credential);

  it('ends a stream at its next event once its API key is revoked, saying why', async () => {
    const { key, id } = await readOnlyKey();
    const stream = await open(SCORE_CHANGED, {}, key);
    expect(stream.status).toBe(200);
    await pause(150);
    await nps('cus_0001', 9);
    expect((await stream.next()).data.scoreChanged.externalId).toBe('cus_0001');

    expect((await t.graphql(REVOKE_KEY, { id })).body.data.revokeApiKey.__typename).toBe('ApiKey');
    await pause(CACHE_MS + 50);
    await nps('cus_0002', 3);
    const last = await stream.next();
    expect(last.data).toBeUndefined();
    expect(last.errors).toEqual([
      expect.objectContaining({
        message: 'the API key is unknown, revoked or expired',
        extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }),
      }),
    ]);
    await expectEnded(stream);
  }, 30_000);

  it('ends a stream at its API key expiry, with no event needed', async () => {
    const { key } = await readOnlyKey(new Date(Date.now() + 1_500));
    const stream = await open(SCORE_CHANGED, {}, key);
    expect(stream.status).toBe(200);
    const last = await stream.next(5_000);
    expect(last.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(last.errors[0].message).toBe('the API key expired: open the stream again with a new one');
    await expectEnded(stream);
  }, 30_000);

  it('ends liveViews at a view token expiry, naming its position; the other views were served until then', async () => {
    const lasting = await signViewToken({ secret, workspaceId: t.workspaceId, grant: { kind: 'at_risk' } });
    const expiring = await signViewToken({
      secret,
      workspaceId: t.workspaceId,
      grant: { kind: 'customer', externalId: 'cus_0003' },
      expiresInSeconds: 2,
    });
    const stream = await open(LIVE_VIEWS, { views: [lasting, expiring] }, t.secretKey);
    expect(stream.status).toBe(200);
    await pause(150);
    await nps('cus_0003', 10);
    expect((await stream.next()).data.liveViews.views).toContain(1);
    const last = await stream.next(5_000);
    expect(last.errors[0].extensions).toEqual(expect.objectContaining({ code: 'UNAUTHENTICATED', views: [1] }));
    await expectEnded(stream);
  }, 30_000);

  it('ends a stream opened with a view token at its expiry', async () => {
    const token = await signViewToken({
      secret,
      workspaceId: t.workspaceId,
      grant: { kind: 'at_risk' },
      expiresInSeconds: 2,
    });
    const stream = await open(LIVE_VIEWS, { views: [token] }, token);
    expect(stream.status).toBe(200);
    const last = await stream.next(5_000);
    expect(last.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    await expectEnded(stream);
  }, 30_000);

  it('ends liveViews at its next event once the signing secret is rotated without a grace period', async () => {
    const token = await signViewToken({
      secret,
      workspaceId: t.workspaceId,
      grant: { kind: 'customer', externalId: 'cus_0004' },
    });
    const stream = await open(LIVE_VIEWS, { views: [token] }, t.secretKey);
    expect(stream.status).toBe(200);
    await pause(150);
    await nps('cus_0004', 8);
    expect((await stream.next()).data.liveViews.views).toEqual([0]);
    const rotated = await t.graphql(`mutation { rotateTokenSigningSecret { __typename } }`);
    expect(rotated.body.errors).toBeUndefined();
    // Tokens are verified again at most as often as the secrets are looked up again (5 s).
    await pause(5_100);
    await nps('cus_0004', 2);
    const last = await stream.next();
    expect(last.errors[0].extensions).toEqual(expect.objectContaining({ code: 'UNAUTHENTICATED', views: [0] }));
    await expectEnded(stream);
    ({ tokenSigningSecret: secret } = await t.database.prisma.workspace.findUniqueOrThrow({
      where: { id: t.workspaceId },
    }));
  }, 30_000);

  it('ends a WebSocket subscription at its next event once its API key is revoked', async () => {
    const { key, id } = await readOnlyKey();
    const client = createClient({
      url: `${url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${key}` },
      retryAttempts: 0,
    });
    try {
      const results: any[] = [];
      let complete!: () => void;
      const completed = new Promise<void>((resolve) => (complete = resolve));
      const delivered: (() => void)[] = [];
      client.subscribe(
        { query: SCORE_CHANGED },
        {
          next: (value) => {
            results.push(value);
            delivered.shift()?.();
          },
          error: (error) => results.push({ failed: error }),
          complete,
        },
      );
      await pause(300);
      const first = new Promise<void>((resolve) => delivered.push(resolve));
      await nps('cus_0005', 9);
      await first;
      expect(results[0].data.scoreChanged.externalId).toBe('cus_0005');

      await t.graphql(REVOKE_KEY, { id });
      await pause(CACHE_MS + 50);
      await nps('cus_0006', 3);
      await completed;
      expect(results).toHaveLength(2);
      expect(results[1].errors[0]).toEqual(
        expect.objectContaining({
          message: 'the API key is unknown, revoked or expired',
          extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }),
        }),
      );
    } finally {
      await client.dispose();
    }
  }, 30_000);
});
