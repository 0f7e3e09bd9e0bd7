// The token mutations (issue 16): a token comes back as an object with its expiry and scope, and a
// caller's mistake (a lifetime out of range, a grace period too long, no or several grants, an
// unknown customer) is a ValidationError in the payload naming the argument, not a top-level
// BAD_USER_INPUT error.
import { verifyCustomerToken, verifyViewToken } from '@pulso/tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../../testing.ts';

const REFUSAL = `... on ValidationError { __typename field code message }`;

describe.each(['pglite', 'postgres'] as const)('token mutations on %s', (database) => {
  let t: TestServer;
  let secret: string;
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', database, workspace: 'demo', demoCustomers: 4 });
    secret = (await t.graphql(`{ tokenSigningSecret }`)).body.data.tokenSigningSecret;
  }, 60_000);
  afterAll(() => t?.close());

  it('createCustomerToken answers the token, its expiry and the customer it rates for', async () => {
    const before = Date.now();
    const { body } = await t.graphql(
      `mutation { createCustomerToken(externalId: "cus_0001", expiresInSeconds: 600) {
        __typename ... on CustomerToken { token expiresAt externalId } } }`,
    );
    expect(body.errors).toBeUndefined();
    const answer = body.data.createCustomerToken;
    expect(answer).toMatchObject({ __typename: 'CustomerToken', externalId: 'cus_0001' });
    const verified = await verifyCustomerToken(answer.token, secret);
    expect(verified.externalId).toBe('cus_0001');
    // The expiry the answer states is the one in the token.
    expect(answer.expiresAt).toBe(verified.expiresAt.toISOString());
    expect(Date.parse(answer.expiresAt) - before).toBeGreaterThan(598_000);
    expect(Date.parse(answer.expiresAt) - before).toBeLessThanOrEqual(601_000);
  });

  it('createViewToken answers the token, its expiry and scope, for a customer or the at-risk list', async () => {
    const one = await t.graphql(
      `mutation { createViewToken(externalId: "cus_0002") { ... on ViewToken { token expiresAt scope externalId } } }`,
    );
    const gauge = one.body.data.createViewToken;
    expect(gauge).toMatchObject({ scope: 'CUSTOMER', externalId: 'cus_0002' });
    const verified = await verifyViewToken(gauge.token, secret, t.workspaceId);
    expect(verified.grant).toEqual({ kind: 'customer', externalId: 'cus_0002' });
    expect(gauge.expiresAt).toBe(verified.expiresAt.toISOString());
    expect(Date.parse(gauge.expiresAt) - Date.now()).toBeGreaterThan(590_000); // the default 10 minutes

    const list = await t.graphql(
      `mutation { createViewToken(atRisk: true, expiresInSeconds: 60) { ... on ViewToken { token scope externalId } } }`,
    );
    expect(list.body.data.createViewToken).toMatchObject({ scope: 'AT_RISK', externalId: null });
    expect((await verifyViewToken(list.body.data.createViewToken.token, secret, t.workspaceId)).grant).toEqual({
      kind: 'at_risk',
    });
  });

  it("refuses a caller's mistakes as a ValidationError naming the argument, with no top-level error", async () => {
    const cases: [string, { field: string; code: string; message?: RegExp }][] = [
      [
        `createViewToken(atRisk: true, expiresInSeconds: 86400)`,
        { field: 'expiresInSeconds', code: 'OUT_OF_RANGE', message: /from 1 to 3600, got 86400/ },
      ],
      [`createViewToken(atRisk: true, expiresInSeconds: 0)`, { field: 'expiresInSeconds', code: 'OUT_OF_RANGE' }],
      [
        `createCustomerToken(externalId: "cus_0001", expiresInSeconds: 2592001)`,
        { field: 'expiresInSeconds', code: 'OUT_OF_RANGE', message: /from 1 to 2592000/ },
      ],
      [`createCustomerToken(externalId: "")`, { field: 'externalId', code: 'MISSING_VALUE' }],
      [`createViewToken`, { field: 'customerId', code: 'MISSING_VALUE', message: /^customerId: give exactly one of/ }],
      [`createViewToken(externalId: "cus_0001", atRisk: true)`, { field: 'atRisk', code: 'INVALID' }],
      [`createViewToken(externalId: "nobody")`, { field: 'externalId', code: 'NOT_FOUND' }],
      [`createViewToken(customerId: "not-an-id")`, { field: 'customerId', code: 'NOT_FOUND' }],
      [`rotateTokenSigningSecret(graceSeconds: -1)`, { field: 'graceSeconds', code: 'OUT_OF_RANGE' }],
      [
        `rotateTokenSigningSecret(graceSeconds: 2592001)`,
        { field: 'graceSeconds', code: 'OUT_OF_RANGE', message: /from 0 to 2592000/ },
      ],
    ];
    for (const [call, expected] of cases) {
      const { status, body } = await t.graphql(`mutation { answer: ${call} { ${REFUSAL} } }`);
      expect(status, call).toBe(200);
      expect(body.errors, call).toBeUndefined();
      expect(body.data.answer, call).toMatchObject({
        __typename: 'ValidationError',
        field: expected.field,
        code: expected.code,
        message: expected.message ?? expect.any(String),
      });
    }
    // A refused rotation changed nothing.
    expect((await t.graphql(`{ tokenSigningSecret }`)).body.data.tokenSigningSecret).toBe(secret);
  });

  it('rotateTokenSigningSecret answers the new secret and until when the old one is accepted', async () => {
    const rotate = async (args: string) =>
      (
        await t.graphql(
          `mutation { rotateTokenSigningSecret${args} { ... on TokenSigningSecret { secret previousSecretAcceptedUntil } } }`,
        )
      ).body.data.rotateTokenSigningSecret;
    const before = Date.now();
    const graced = await rotate('(graceSeconds: 3600)');
    expect(graced.secret).toMatch(/^pulso_ts_[0-9a-f]{64}$/);
    expect(graced.secret).not.toBe(secret);
    // Stored as UTC without a zone: read back as the instant it is, whatever the machine's zone.
    const until = Date.parse(graced.previousSecretAcceptedUntil);
    expect(until - before).toBeGreaterThan(3_595_000);
    expect(until - before).toBeLessThan(3_605_000);
    const now = await rotate('');
    expect(now.previousSecretAcceptedUntil).toBeNull();
    expect((await t.graphql(`{ tokenSigningSecret }`)).body.data.tokenSigningSecret).toBe(now.secret);
    secret = now.secret;
  });
});
