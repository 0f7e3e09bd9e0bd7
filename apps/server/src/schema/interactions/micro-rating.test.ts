import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTokenSigningSecret, signCustomerToken, signViewToken } from '@pulso/tokens';
import { createWorkspace } from '@pulso/core';
import { createTestServer, type TestServer } from '../../testing.ts';

const RATE = `mutation ($input: SubmitMicroRatingInput!) {
  submitMicroRating(input: $input) {
    __typename
    ... on MicroRatingReceipt { id replayed }
    ... on UserError { field code message }
  }
}`;

describe.each(['pglite', 'postgres'] as const)('micro-ratings and tokens on %s', (database) => {
  let t: TestServer;
  let secret: string;
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', database, workspace: 'demo', demoCustomers: 8 });
    const { body } = await t.graphql(`{ tokenSigningSecret }`);
    secret = body.data.tokenSigningSecret;
  }, 60_000);
  afterAll(() => t?.close());

  const rate = (input: Record<string, unknown>, key: string | null = t.publishableKey) =>
    t.graphql(
      RATE,
      { input: { variant: 'THREE_LEVELS', rating: 'WASTED_TIME', idempotencyKey: crypto.randomUUID(), ...input } },
      key,
    );
  /** A token from createCustomerToken or createViewToken (`field` is the call, with its arguments). */
  const signed = async (field: string): Promise<string> => {
    const type = field.startsWith('createViewToken') ? 'ViewToken' : 'CustomerToken';
    const { body } = await t.graphql(`mutation { signed: ${field} { ... on ${type} { token } } }`);
    expect(body.data?.signed?.token, JSON.stringify(body)).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    return body.data.signed.token;
  };
  /** The new secret of a rotation (`args`, e.g. `(graceSeconds: 2)`, or empty). */
  const rotate = async (args: string): Promise<string> =>
    (await t.graphql(`mutation { rotateTokenSigningSecret${args} { ... on TokenSigningSecret { secret } } }`)).body.data
      .rotateTokenSigningSecret.secret;
  const interactionsOf = async (externalId: string) =>
    t.database.prisma.interaction.count({
      where: { workspaceId: t.workspaceId, customer: { externalId }, type: { key: 'micro_rating' } },
    });

  it('records a rating with a publishable key and a customer token, once per idempotency key', async () => {
    const customerToken = await signCustomerToken({ secret, externalId: 'cus_0001' });
    const before = await t.database.prisma.customer.findFirstOrThrow({
      where: { workspaceId: t.workspaceId, externalId: 'cus_0001' },
    });
    const count = await interactionsOf('cus_0001');
    const input = {
      customerToken,
      customer: 'cus_0001',
      comment: 'Took me an hour to find the export button, again.',
      journeyStage: 'USAGE',
      idempotencyKey: 'click-1',
    };
    const first = await rate(input);
    expect(first.body.data.submitMicroRating).toMatchObject({ __typename: 'MicroRatingReceipt', replayed: false });
    const retry = await rate(input);
    expect(retry.body.data.submitMicroRating).toEqual({
      __typename: 'MicroRatingReceipt',
      id: first.body.data.submitMicroRating.id,
      replayed: true,
    });
    expect(await interactionsOf('cus_0001')).toBe(count + 1);
    const after = await t.database.prisma.customer.findFirstOrThrow({ where: { id: before.id } });
    expect(after.score!).toBeLessThan(before.score!);
    const stored = await t.database.prisma.interaction.findFirstOrThrow({
      where: { idempotencyKey: 'widget:click-1', workspaceId: t.workspaceId },
    });
    expect(stored).toMatchObject({ sentiment: 'WASTED_TIME', source: 'widget', journeyStage: 'USAGE', intensity: 2 });

    const other = await rate({ ...input, rating: 'LIKED' });
    expect(other.body.data.submitMicroRating).toMatchObject({ __typename: 'IdempotencyConflictError' });
  });

  it('creates the customer a signed token names when it is new', async () => {
    const customerToken = await signCustomerToken({ secret, externalId: 'brand-new' });
    const { body } = await rate({ customerToken, variant: 'LIKE_DISLIKE', rating: 'LIKED' });
    expect(body.data.submitMicroRating.__typename).toBe('MicroRatingReceipt');
    expect(await interactionsOf('brand-new')).toBe(1);
  });

  it('refuses forged, expired, other-customer and wrong-kind tokens with a clear reason', async () => {
    const count = await t.database.prisma.interaction.count();
    const forged = await signCustomerToken({ secret: generateTokenSigningSecret(), externalId: 'cus_0002' });
    const expired = await signCustomerToken({
      secret,
      externalId: 'cus_0002',
      expiresInSeconds: 60,
      now: new Date(Date.now() - 3_600_000),
    });
    const mine = await signCustomerToken({ secret, externalId: 'cus_0003' });
    const view = await signViewToken({
      secret,
      workspaceId: t.workspaceId,
      grant: { kind: 'customer', externalId: 'cus_0002' },
    });
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ customerToken: forged }, 'FORGED', /signature is invalid/],
      [{ customerToken: expired }, 'EXPIRED', /expired/],
      [{ customerToken: mine, customer: 'cus_0002' }, 'OTHER_CUSTOMER', /another customer/],
      [{ customerToken: view }, 'WRONG_KIND', /not a customer token/],
      [{ customerToken: 'not-a-token' }, 'MALFORMED', /malformed/],
    ];
    for (const [input, code, message] of cases) {
      const { body } = await rate(input);
      expect(body.data.submitMicroRating).toMatchObject({
        __typename: 'CustomerTokenError',
        field: 'input.customerToken',
        code,
      });
      expect(body.data.submitMicroRating.message).toMatch(message);
    }
    // A token signed by another workspace's secret is a forgery here.
    const other = await createWorkspace(t.database.prisma, { slug: `other-${database}`, name: 'Other' });
    const theirs = await t.database.prisma.workspace.findUniqueOrThrow({ where: { id: other.workspaceId } });
    const foreign = await rate({
      customerToken: await signCustomerToken({ secret: theirs.tokenSigningSecret, externalId: 'cus_0002' }),
    });
    expect(foreign.body.data.submitMicroRating.code).toBe('FORGED');
    const wrongVariant = await rate({ customerToken: mine, variant: 'LIKE_DISLIKE', rating: 'WASTED_TIME' });
    expect(wrongVariant.body.data.submitMicroRating).toMatchObject({
      __typename: 'ValidationError',
      field: 'input.rating',
    });
    expect(await t.database.prisma.interaction.count()).toBe(count);
  });

  it('says so when the workspace has no micro_rating type', async () => {
    const other = await createWorkspace(t.database.prisma, { slug: `no-rating-${database}`, name: 'No ratings' });
    await t.database.prisma.interactionType.deleteMany({
      where: { workspaceId: other.workspaceId, key: 'micro_rating' },
    });
    const theirs = await t.database.prisma.workspace.findUniqueOrThrow({ where: { id: other.workspaceId } });
    const customerToken = await signCustomerToken({ secret: theirs.tokenSigningSecret, externalId: 'c1' });
    const { body } = await rate({ customerToken }, other.publishableKey.key);
    expect(body.data.submitMicroRating).toMatchObject({
      __typename: 'ValidationError',
      field: 'input',
      code: 'NOT_CONFIGURED',
    });
    expect(await t.database.prisma.customer.count({ where: { workspaceId: other.workspaceId } })).toBe(0);
  });

  it('lets a publishable key rate and nothing else', async () => {
    const refused = [
      `{ customers(first: 1) { totalCount } }`,
      `{ tokenSigningSecret }`,
      `mutation { createCustomer(input: { externalId: "x", name: "X" }) { __typename } }`,
      `mutation { recordInteraction(input: { customer: { externalId: "cus_0001" }, type: "meeting", idempotencyKey: "pk" }) { __typename } }`,
      `mutation { createCustomerToken(externalId: "cus_0001") { __typename } }`,
      `mutation { rotateTokenSigningSecret { __typename } }`,
    ];
    for (const query of refused) {
      const { body } = await t.graphql(query, {}, t.publishableKey);
      expect(body.errors?.[0]?.message, query).toMatch(/publishable API key may not use/);
    }
    const readOnly = await t.graphql(
      `mutation { submitMicroRating(input: { customerToken: "x", variant: LIKE_DISLIKE, rating: LIKED, idempotencyKey: "k" }) { __typename } }`,
      {},
      null,
    );
    expect(readOnly.body.errors?.[0]?.message).toMatch(/API key is required/);
  });

  it('accepts ratings only from the allowed origins of a restricted publishable key', async () => {
    await t.database.prisma.apiKey.updateMany({
      where: { workspaceId: t.workspaceId, kind: 'PUBLISHABLE' },
      data: { allowedOrigins: ['https://shop.example'] },
    });
    // The key cache keeps the old origins for a few seconds: use a fresh server on the same database.
    const { createPulsoServer } = await import('../../server.ts');
    const { createLogger } = await import('../../logger.ts');
    const server = createPulsoServer({ database: t.database, logger: createLogger('silent') });
    const customerToken = await signCustomerToken({ secret, externalId: 'cus_0004' });
    const send = async (origin: string): Promise<any> => {
      const response = await server.yoga.fetch('http://pulso.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${t.publishableKey}`, origin },
        body: JSON.stringify({
          query: RATE,
          variables: {
            input: { customerToken, variant: 'LIKE_DISLIKE', rating: 'LIKED', idempotencyKey: crypto.randomUUID() },
          },
        }),
      });
      return response.json();
    };
    const refused = (await send('https://evil.example')).errors[0].message;
    expect(refused).toMatch(/does not accept ratings from https:\/\/evil\.example/);
    // The refusal tells the sender nothing of the key's other sites.
    expect(refused).not.toContain('shop.example');
    expect((await send('https://shop.example')).data.submitMicroRating.__typename).toBe('MicroRatingReceipt');
    await server.yoga.dispose();
    await t.database.prisma.apiKey.updateMany({
      where: { workspaceId: t.workspaceId, kind: 'PUBLISHABLE' },
      data: { allowedOrigins: [] },
    });
  });

  it('signs tokens for secret-key backends and rotates the secret', async () => {
    const customerToken = await signed(`createCustomerToken(externalId: "cus_0005", expiresInSeconds: 600)`);
    expect((await rate({ customerToken })).body.data.submitMicroRating.__typename).toBe('MicroRatingReceipt');
    const next = await rotate('');
    expect(next).toMatch(/^pulso_ts_[0-9a-f]{64}$/);
    const stale = await rate({ customerToken });
    expect(stale.body.data.submitMicroRating.code).toBe('FORGED');
    secret = next;
  });

  it('rotates with a grace period: tokens signed before keep working until it ends, then are refused', async () => {
    const customerToken = await signed(`createCustomerToken(externalId: "cus_0006")`);
    const viewToken = await signed(`createViewToken(atRisk: true)`);
    const atRisk = (token: string) => t.graphql(`{ atRiskCustomers(first: 1) { score } }`, {}, token);
    expect((await atRisk(viewToken)).body.errors).toBeUndefined();

    const next = await rotate('(graceSeconds: 2)');
    expect(next).not.toBe(secret);
    // Old and new tokens both work during the grace period.
    expect((await rate({ customerToken })).body.data.submitMicroRating.__typename).toBe('MicroRatingReceipt');
    expect(
      (await rate({ customerToken: await signCustomerToken({ secret: next, externalId: 'cus_0006' }) })).body.data
        .submitMicroRating.__typename,
    ).toBe('MicroRatingReceipt');
    expect((await atRisk(viewToken)).body.errors).toBeUndefined();
    // After it, the old ones are refused (the cache is judged at each use, not when it was filled).
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await rate({ customerToken })).body.data.submitMicroRating.code).toBe('FORGED');
    expect((await atRisk(viewToken)).status).toBe(401);

    // A rotation without grace ends the grace of the one before at once.
    const inGrace = await signCustomerToken({ secret: next, externalId: 'cus_0006' });
    await rotate('(graceSeconds: 3600)');
    expect((await rate({ customerToken: inGrace })).body.data.submitMicroRating.__typename).toBe('MicroRatingReceipt');
    secret = await rotate('');
    expect((await rate({ customerToken: inGrace })).body.data.submitMicroRating.code).toBe('FORGED');
  });
});
