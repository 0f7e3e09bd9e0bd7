import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '@pulso/api-keys';
import { createTestServer, type TestServer } from '../../testing.ts';

const CACHE_MS = 200;

describe.each(['pglite', 'postgres'] as const)('API key management on %s', (database) => {
  let t: TestServer;
  beforeAll(async () => {
    // Keys are trusted for a fifth of a second here rather than 5 s, so a revocation shows without a
    // long wait; auth/api-key-callers.test.ts proves the 5 s default on a moved clock.
    t = await createTestServer({ over: 'fetch', workspace: 'empty', database, apiKeyCacheMs: CACHE_MS });
  });
  afterAll(() => t?.close());

  it('creates a key shown once and stored hashed, lists it, and a revoked key is refused once the key cache expires', async () => {
    const created = await t.graphql(`mutation { createApiKey(name: "Reporting", kind: READ_ONLY) {
      __typename ... on CreatedApiKey { key apiKey { id name kind prefix createdAt lastUsedAt revokedAt } } } }`);
    expect(created.body.errors).toBeUndefined();
    const { key, apiKey } = created.body.data.createApiKey;
    expect(key).toMatch(/^pulso_rk_[0-9A-Za-z]{32}$/);
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    expect(apiKey).toMatchObject({ name: 'Reporting', kind: 'READ_ONLY', revokedAt: null });
    const stored = await t.database.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(stored.hash).toBe(hashApiKey(key));
    expect(JSON.stringify(stored)).not.toContain(key);

    const list = await t.graphql(`{ apiKeys { totalCount nodes { name kind prefix } } }`);
    expect(list.body.data.apiKeys.nodes[0].name).toBe('Reporting');
    expect(list.body.data.apiKeys.nodes.map((k: any) => k.kind).sort()).toEqual(['PUBLISHABLE', 'READ_ONLY', 'SECRET']);
    expect(list.body.data.apiKeys.nodes).toHaveLength(3);
    expect(list.body.data.apiKeys.totalCount).toBe(3);
    expect(JSON.stringify(list.body)).not.toContain(key);

    expect((await t.graphql(`{ workspace { name } }`, {}, key)).body.data.workspace.name).toBe('Test');
    const readOnlyCannot = await t.graphql(`{ apiKeys { nodes { name } } }`, {}, key);
    expect(readOnlyCannot.body.errors?.[0]?.message).toMatch(/read-only API key may not use Query.apiKeys/);

    const revoked = await t.graphql(
      `mutation ($id: ID!) { revokeApiKey(id: $id) { __typename ... on ApiKey { revokedAt } } }`,
      { id: apiKey.id },
    );
    expect(revoked.body.data.revokeApiKey.revokedAt).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, CACHE_MS + 50));
    const refused = await t.graphql(`{ workspace { name } }`, {}, key);
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.message).toMatch(/unknown, revoked or expired/);
    const again = await t.graphql(
      `mutation ($id: ID!) { revokeApiKey(id: $id) { __typename ... on UserError { field code } } }`,
      { id: apiKey.id },
    );
    expect(again.body.data.revokeApiKey).toEqual({ __typename: 'ApiKeyError', field: 'id', code: 'ALREADY_REVOKED' });
    expect(
      (await t.graphql(`{ apiKeys(includeRevoked: true) { nodes { name } } }`)).body.data.apiKeys.nodes,
    ).toHaveLength(3);
  });

  it('gives publishable keys an allow-list of origins, and refuses bad origins and revoking the last secret key', async () => {
    const pk =
      await t.graphql(`mutation { createApiKey(name: "Portal widget", kind: PUBLISHABLE, allowedOrigins: ["https://portal.example.com", "http://localhost:3000/"]) {
      __typename ... on CreatedApiKey { key apiKey { allowedOrigins } } } }`);
    expect(pk.body.data.createApiKey.key).toMatch(/^pulso_pk_/);
    expect(pk.body.data.createApiKey.apiKey.allowedOrigins).toEqual([
      'https://portal.example.com',
      'http://localhost:3000',
    ]);
    const badOrigin =
      await t.graphql(`mutation { createApiKey(name: "x", kind: PUBLISHABLE, allowedOrigins: ["https://ok.example", "https://portal.example.com/path"]) {
      __typename ... on UserError { field code message } } }`);
    expect(badOrigin.body.data.createApiKey).toMatchObject({
      __typename: 'ApiKeyError',
      field: 'allowedOrigins[1]',
      code: 'INVALID_ORIGIN',
    });
    const secretWithOrigins = await t.graphql(
      `mutation { createApiKey(name: "x", kind: SECRET, allowedOrigins: ["https://ok.example"]) { __typename ... on UserError { field } } }`,
    );
    expect(secretWithOrigins.body.data.createApiKey).toMatchObject({ field: 'allowedOrigins' });
    const secret = await t.database.prisma.apiKey.findFirstOrThrow({
      where: { workspaceId: t.workspaceId, kind: 'SECRET' },
    });
    const last = await t.graphql(
      `mutation ($id: ID!) { revokeApiKey(id: $id) { __typename ... on UserError { code } } }`,
      { id: secret.id },
    );
    expect(last.body.data.revokeApiKey).toEqual({ __typename: 'ApiKeyError', code: 'LAST_SECRET_KEY' });
    const publishableCannot = await t.graphql(
      `mutation { createApiKey(name: "x", kind: SECRET) { __typename } }`,
      {},
      t.publishableKey,
    );
    expect(publishableCannot.body.errors?.[0]?.message).toMatch(/may not use Mutation.createApiKey/);
  });
});
