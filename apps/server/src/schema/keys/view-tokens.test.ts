import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTokenSigningSecret, signCustomerToken, signViewToken } from '@pulso/tokens';
import { createWorkspace } from '@pulso/core';
import { createTestServer, type TestServer } from '../../testing.ts';

describe.each(['pglite', 'postgres'] as const)('view tokens on %s', (database) => {
  let t: TestServer;
  let secret: string;
  let gauge: string;
  let list: string;
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', database, workspace: 'demo', demoCustomers: 12 });
    secret = (await t.database.prisma.workspace.findUniqueOrThrow({ where: { id: t.workspaceId } })).tokenSigningSecret;
    gauge = (await t.graphql(`mutation { createViewToken(externalId: "cus_0001") { ... on ViewToken { token } } }`))
      .body.data.createViewToken.token;
    list = await signViewToken({ secret, workspaceId: t.workspaceId, grant: { kind: 'at_risk' } });
  }, 60_000);
  afterAll(() => t?.close());

  it("read one customer's score, by external id or id, and nothing else", async () => {
    const stored = await t.graphql(`{ customer(externalId: "cus_0001") { id name health { value } } }`);
    const own = await t.graphql(`{ customer(externalId: "cus_0001") { id name health { value } } }`, {}, gauge);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data).toEqual(stored.body.data);
    const byId = await t.graphql(
      `query ($id: ID!) { customer(id: $id) { name } }`,
      { id: own.body.data.customer.id },
      gauge,
    );
    expect(byId.body.data.customer.name).toBe(stored.body.data.customer.name);
    for (const query of [
      `{ customer(externalId: "cus_0002") { id } }`,
      `{ customers(first: 5) { totalCount } }`,
      `{ atRiskCustomers(first: 5) { customer { externalId } } }`,
      `{ workspace { name } }`,
      `{ tokenSigningSecret }`,
      `mutation { recordInteraction(input: { customer: { externalId: "cus_0001" }, type: "meeting", idempotencyKey: "v" }) { __typename } }`,
    ]) {
      const { body } = await t.graphql(query, {}, gauge);
      expect(body.errors?.[0]?.message, query).toMatch(/view token may not use/);
    }
    const other = await t.graphql(`{ customer(externalId: "cus_0002") { id } }`);
    const node = await t.graphql(
      `query ($id: ID!) { node(id: $id) { id } }`,
      { id: other.body.data.customer.id },
      gauge,
    );
    expect(node.body.data?.node ?? null).toBeNull();
    expect(node.body.errors?.[0]?.message).toMatch(/view token/);
  });

  it('read the at-risk list, and no single customer', async () => {
    const query = `{ atRiskCustomers(first: 5) { customer { externalId } score } }`;
    const { body } = await t.graphql(query, {}, list);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual((await t.graphql(query)).body.data);
    const single = await t.graphql(`{ customer(externalId: "cus_0001") { id } }`, {}, list);
    expect(single.body.errors?.[0]?.message).toMatch(/view token may not use Query.customer/);
  });

  it('are refused when forged, expired, of another workspace, or for a customer that does not exist', async () => {
    const cases: [string, RegExp][] = [
      [
        await signViewToken({
          secret: generateTokenSigningSecret(),
          workspaceId: t.workspaceId,
          grant: { kind: 'at_risk' },
        }),
        /signature is invalid/,
      ],
      [
        await signViewToken({
          secret,
          workspaceId: t.workspaceId,
          grant: { kind: 'at_risk' },
          expiresInSeconds: 60,
          now: new Date(Date.now() - 3_600_000),
        }),
        /has expired/,
      ],
      [
        await signViewToken({ secret, workspaceId: t.workspaceId, grant: { kind: 'customer', externalId: 'ghost' } }),
        /does not exist/,
      ],
      [await signCustomerToken({ secret, externalId: 'cus_0001' }), /not a Pulso view token/],
    ];
    const other = await createWorkspace(t.database.prisma, { slug: `vt-other-${database}`, name: 'Other' });
    // Signed with our secret but naming their workspace: verified with their secret, so forged.
    cases.push([
      await signViewToken({ secret, workspaceId: other.workspaceId, grant: { kind: 'at_risk' } }),
      /signature is invalid/,
    ]);
    for (const [token, message] of cases) {
      const { status, body } = await t.graphql(`{ atRiskCustomers(first: 1) { customer { id } } }`, {}, token);
      expect(status).toBe(401);
      expect(body.errors?.[0]?.message).toMatch(message);
    }
  });
});
