// Live streams one credential may hold open, over real HTTP: beyond the limit a new stream is
// refused TOO_MANY_STREAMS (429) before it opens, another credential is not concerned, and a stream
// that ends gives its place back.
import { signViewToken } from '@pulso/tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStream, type EventStream, type TestServer } from '../testing.ts';
import { createTestServer } from '../testing.ts';

const WORKSPACE_STREAM = `subscription { scoreChanged { externalId } }`;
const LIVE_VIEWS = `subscription ($views: [String!]!) { liveViews(views: $views) { views } }`;
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('live streams per credential', () => {
  let t: TestServer;
  let url: string;
  const opened: EventStream[] = [];
  beforeAll(async () => {
    t = await createTestServer({
      workspace: 'demo',
      demoCustomers: 3,
      demoOutcomes: false,
      maxStreamsPerCredential: 2,
    });
    url = await t.server.listen(0, '127.0.0.1');
  }, 60_000);
  afterAll(async () => {
    for (const stream of opened) stream.close();
    t?.server.http.closeAllConnections();
    await t?.close();
  });
  const open = async (query: string, variables: Record<string, unknown>, credential: string) => {
    const stream = await openEventStream(`${url}/graphql`, query, variables, credential);
    opened.push(stream);
    return stream;
  };
  const refusal = async (query: string, variables: Record<string, unknown>, credential: string) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        accept: 'text/event-stream',
        'content-type': 'application/json',
        authorization: `Bearer ${credential}`,
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    return { status: response.status, text };
  };

  it('refuses a key its third stream while two are open, and takes it again once one ends', async () => {
    const first = await open(WORKSPACE_STREAM, {}, t.secretKey);
    await open(WORKSPACE_STREAM, {}, t.secretKey);
    expect(first.status).toBe(200);
    await settle();
    const refused = await refusal(WORKSPACE_STREAM, {}, t.secretKey);
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('TOO_MANY_STREAMS');
    expect(refused.text).toContain('the most one may hold open at a time (2)');
    // A view token is a credential of its own.
    const { tokenSigningSecret: secret } = await t.database.prisma.workspace.findUniqueOrThrow({
      where: { id: t.workspaceId },
    });
    const token = await signViewToken({ secret, workspaceId: t.workspaceId, grant: { kind: 'at_risk' } });
    expect((await open(LIVE_VIEWS, { views: [token] }, token)).status).toBe(200);

    first.close();
    let again: EventStream | undefined;
    for (let i = 0; i < 50 && again?.status !== 200; i++) {
      await settle();
      again = await open(WORKSPACE_STREAM, {}, t.secretKey);
    }
    expect(again?.status).toBe(200);
  });
});
