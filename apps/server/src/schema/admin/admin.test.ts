// The instance administrator's fields: refused to everyone but the administrator key, they create
// a workspace whose printed key works at once, list, rename and delete workspaces and issue their
// keys; every change is audited in the log and the key has a rate budget like any other.
import { issueAdminKey } from '@pulso/api-keys';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyResolver } from '../../auth/api-key-callers.ts';
import { createSigningSecrets } from '../../auth/signing-secrets.ts';
import { createTestServer, type TestServer } from '../../testing.ts';

const ADMIN = issueAdminKey();
const auditLines: Record<string, unknown>[] = [];

const CREATE = `mutation ($name: String!, $slug: String) {
  adminCreateWorkspace(name: $name, slug: $slug) {
    __typename
    ... on CreatedWorkspace { secretKey publishableKey workspace { slug name customerCount activeApiKeyCount } }
    ... on WorkspaceError { code field message }
  }
}`;

describe('admin fields', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({
      over: 'fetch',
      adminKeys: { configured: ADMIN },
      logger: pino({ level: 'info' }, { write: (line: string) => auditLines.push(JSON.parse(line)) }),
    });
  });
  afterAll(() => t?.close());

  it('are refused without the administrator key, and the administrator key reads no workspace', async () => {
    const anonymous = await t.graphql('{ adminWorkspaces { slug } }', {}, null);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const secret = await t.graphql('{ adminWorkspaces { slug } }');
    expect(secret.body.errors?.[0]).toMatchObject({
      message: 'Query.adminWorkspaces needs the instance administrator key (PULSO_ADMIN_KEY, pulso_ak_...)',
      extensions: { code: 'FORBIDDEN' },
    });
    const wrong = await t.graphql('{ adminWorkspaces { slug } }', {}, issueAdminKey());
    expect(wrong.status).toBe(401);
    expect(wrong.body.errors?.[0]?.message).toBe("the administrator key is not this instance's");
    const reading = await t.graphql('{ customers(first: 1) { totalCount } }', {}, ADMIN);
    expect(reading.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('creates a workspace whose printed keys work at once, and manages it and its keys', async () => {
    const created = await t.graphql(CREATE, { name: 'Acme Ltda.' }, ADMIN);
    const acme = created.body.data.adminCreateWorkspace;
    expect(acme.workspace).toEqual({ slug: 'acme-ltda', name: 'Acme Ltda.', customerCount: 0, activeApiKeyCount: 2 });
    const own = await t.graphql('{ workspace { slug name } }', {}, acme.secretKey);
    expect(own.body.data.workspace).toEqual({ slug: 'acme-ltda', name: 'Acme Ltda.' });
    expect((await t.graphql(CREATE, { name: 'Acme Ltda.' }, ADMIN)).body.data.adminCreateWorkspace).toMatchObject({
      code: 'SLUG_TAKEN',
      field: 'slug',
    });

    const renamed = await t.graphql(
      'mutation { adminRenameWorkspace(workspace: "acme-ltda", name: "Acme", slug: "acme") { ... on AdminWorkspace { slug name } } }',
      {},
      ADMIN,
    );
    expect(renamed.body.data.adminRenameWorkspace).toEqual({ slug: 'acme', name: 'Acme' });

    const issued = await t.graphql(
      'mutation { adminCreateApiKey(workspace: "acme", name: "Dashboards", kind: READ_ONLY) { ... on CreatedApiKey { key apiKey { id kind } } } }',
      {},
      ADMIN,
    );
    const readOnly = issued.body.data.adminCreateApiKey;
    expect(readOnly.key).toMatch(/^pulso_rk_/);
    expect((await t.graphql('{ workspace { slug } }', {}, readOnly.key)).body.data.workspace.slug).toBe('acme');
    const revoked = await t.graphql(
      `mutation { adminRevokeApiKey(workspace: "acme", id: "${readOnly.apiKey.id}") { ... on ApiKey { revokedAt } } }`,
      {},
      ADMIN,
    );
    expect(revoked.body.data.adminRevokeApiKey.revokedAt).toBeTruthy();
    const keys = await t.graphql(
      '{ adminApiKeys(workspace: "acme", includeRevoked: true) { kind revokedAt } }',
      {},
      ADMIN,
    );
    expect(keys.body.data.adminApiKeys).toHaveLength(3);
    const unknown = await t.graphql('{ adminApiKeys(workspace: "nope") { kind } }', {}, ADMIN);
    expect(unknown.body.errors?.[0]).toMatchObject({
      message: 'workspace: no workspace "nope"',
      extensions: { code: 'NOT_FOUND' },
    });

    const listed = await t.graphql(
      '{ adminWorkspaces { slug customerCount interactionCount activeApiKeyCount } }',
      {},
      ADMIN,
    );
    expect(listed.body.data.adminWorkspaces).toEqual([
      { slug: 'test', customerCount: 0, interactionCount: 0, activeApiKeyCount: 2 },
      { slug: 'acme', customerCount: 0, interactionCount: 0, activeApiKeyCount: 2 },
    ]);
    const deleted = await t.graphql(
      'mutation { adminDeleteWorkspace(workspace: "acme") { ... on DeletedWorkspace { slug customerCount interactionCount apiKeyCount } ... on WorkspaceError { code } } }',
      {},
      ADMIN,
    );
    expect(deleted.body.data.adminDeleteWorkspace).toEqual({
      slug: 'acme',
      customerCount: 0,
      interactionCount: 0,
      apiKeyCount: 3,
    });
    // (The secret key, used above, stays in the auth cache for up to 5 s, as a revoked key does.)
    const gone = await t.graphql('{ workspace { slug } }', {}, acme.publishableKey);
    expect(gone.status).toBe(401);

    const audit = auditLines.filter((line) => line.audit === 'admin').map((l) => [l.action, l.outcome, l.credential]);
    expect(audit).toEqual([
      ['create workspace', 'done', 'admin:configured'],
      ['create workspace', 'refused', 'admin:configured'],
      ['rename workspace', 'done', 'admin:configured'],
      ['create API key', 'done', 'admin:configured'],
      ['revoke API key', 'done', 'admin:configured'],
      ['delete workspace', 'done', 'admin:configured'],
    ]);
  });

  it('lists every problem of a key to issue in one ApiKeyError: each bad origin, the name, the expiry', async () => {
    const { body } = await t.graphql(
      `mutation ($origins: [String!]) { adminCreateApiKey(workspace: "test", name: " ", kind: PUBLISHABLE,
        allowedOrigins: $origins, expiresAt: "2020-01-01T00:00:00Z") {
          __typename ... on ApiKeyError { field code message problems { field code message } } } }`,
      { origins: ['https://app.example.com', 'ftp://files.example.com', 'https://*.example.com', 'nope'] },
      ADMIN,
    );
    const problems = [
      { field: 'name', code: 'MISSING_VALUE', message: 'a name of 1 to 100 characters tells keys apart' },
      {
        field: 'allowedOrigins[1]',
        code: 'INVALID_ORIGIN',
        message:
          '"ftp://files.example.com" is not an http or https origin: a key can only be limited to pages served over http(s), such as https://app.example.com',
      },
      {
        field: 'allowedOrigins[2]',
        code: 'INVALID_ORIGIN',
        message:
          '"https://*.example.com" holds a wildcard: origins are matched exactly, so list each one (https://app.example.com, https://www.example.com)',
      },
      {
        field: 'allowedOrigins[3]',
        code: 'INVALID_ORIGIN',
        message: '"nope" is not an origin such as https://app.example.com',
      },
      { field: 'expiresAt', code: 'OUT_OF_RANGE', message: 'the expiry must be in the future' },
    ];
    expect(body.data.adminCreateApiKey).toEqual({
      __typename: 'ApiKeyError',
      field: 'name',
      code: 'MISSING_VALUE',
      message: problems.map((p) => `${p.field}: ${p.message}`).join('; '),
      problems,
    });
    // Two bad origins alone: both, the first one first.
    const origins = await t.graphql(
      `mutation { adminCreateApiKey(workspace: "test", name: "Widget", kind: PUBLISHABLE,
        allowedOrigins: ["https://ok.example.com/path", "file:///tmp"]) {
          __typename ... on ApiKeyError { field code problems { field code } } } }`,
      {},
      ADMIN,
    );
    expect(origins.body.data.adminCreateApiKey).toEqual({
      __typename: 'ApiKeyError',
      field: 'allowedOrigins[0]',
      code: 'INVALID_ORIGIN',
      problems: [
        { field: 'allowedOrigins[0]', code: 'INVALID_ORIGIN' },
        { field: 'allowedOrigins[1]', code: 'INVALID_ORIGIN' },
      ],
    });
  });
});

it('removes the demo with everything it has, spends its own rate budget, and exists only when configured', async () => {
  const t = await createTestServer({
    over: 'fetch',
    workspace: 'demo',
    demoCustomers: 10,
    adminKeys: { local: ADMIN },
    rateLimits: { perKey: 2, perAddress: 0, perCustomerToken: 0 },
  });
  try {
    // The demo has outcomes, score history, webhook events: all go with it.
    const deleted = await t.graphql(
      'mutation { adminDeleteWorkspace(workspace: "demo") { ... on DeletedWorkspace { customerCount interactionCount } } }',
      {},
      ADMIN,
    );
    expect(deleted.body.errors).toBeUndefined();
    expect(deleted.body.data.adminDeleteWorkspace.customerCount).toBe(10);
    expect(deleted.body.data.adminDeleteWorkspace.interactionCount).toBeGreaterThan(10);
    expect(await t.database.prisma.scoreSnapshot.count()).toBe(0);
    expect((await t.graphql('{ adminWorkspaces { slug } }', {}, ADMIN)).body.data.adminWorkspaces).toEqual([]);
    const refused = await t.graphql('{ adminWorkspaces { slug } }', {}, ADMIN);
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // Without PULSO_ADMIN_KEY (and no per-start key) every administrator key is refused, saying why.
    const withoutAdmin = createApiKeyResolver(t.database.prisma, createSigningSecrets(t.database.prisma));
    expect(() => withoutAdmin(`Bearer ${ADMIN}`)).toThrow(
      'this instance has no administrator key: set PULSO_ADMIN_KEY when starting the server',
    );
  } finally {
    await t.close();
  }
});
