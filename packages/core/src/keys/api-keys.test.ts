// Creating and revoking keys on a real database: what a new key must be, and that the last
// active secret key of a workspace stays.
import { hashApiKey } from '@pulso/api-keys';
import type { Database } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { ApiKeyError } from './api-key-error.ts';
import { createApiKey, revokeApiKey } from './api-keys.ts';

async function refusal(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    if (error instanceof ApiKeyError) return `${error.field} ${error.code}`;
    throw error;
  }
  return null;
}

describe('API key management', () => {
  let test: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    test = await openTestDatabase('pglite', 'api_key_management');
    database = test.database;
  });
  afterAll(() => test?.close());

  it('stores only the hash of a new key, with its origins normalised and deduplicated', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: 'keys-new', name: 'Keys' });
    const created = await createApiKey(prisma, workspaceId, {
      name: '  Widget  ',
      kind: 'PUBLISHABLE',
      allowedOrigins: ['https://shop.example.com/', 'https://shop.example.com'],
    });
    const row = await prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({
      name: 'Widget',
      kind: 'PUBLISHABLE',
      hash: hashApiKey(created.key),
      allowedOrigins: ['https://shop.example.com'],
      expiresAt: null,
    });
    expect(JSON.stringify(row)).not.toContain(created.key);
  });

  it('refuses a blank name, origins on a backend key and an expiry in the past', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: 'keys-refused', name: 'Keys' });
    const now = new Date('2026-06-01T00:00:00Z');
    expect(await refusal(() => createApiKey(prisma, workspaceId, { name: ' ', kind: 'SECRET' }))).toBe(
      'name MISSING_VALUE',
    );
    expect(
      await refusal(() =>
        createApiKey(prisma, workspaceId, { name: 'CRM', kind: 'SECRET', allowedOrigins: ['https://a.example'] }),
      ),
    ).toBe('allowedOrigins INVALID_ORIGIN');
    expect(
      await refusal(() => createApiKey(prisma, workspaceId, { name: 'CRM', kind: 'SECRET', expiresAt: now }, now)),
    ).toBe('expiresAt OUT_OF_RANGE');
    expect(await prisma.apiKey.count({ where: { workspaceId } })).toBe(2);
  });

  it('revokes a key once, and never the last active secret key', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: 'keys-revoke', name: 'Keys' });
    const first = await prisma.apiKey.findFirstOrThrow({ where: { workspaceId, kind: 'SECRET' } });
    expect(await refusal(() => revokeApiKey(prisma, workspaceId, first.id))).toBe('id LAST_SECRET_KEY');

    const second = await createApiKey(prisma, workspaceId, { name: 'Second', kind: 'SECRET' });
    const now = new Date();
    expect(await revokeApiKey(prisma, workspaceId, first.id, now)).toEqual({ id: first.id });
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: first.id } })).revokedAt).toEqual(now);
    expect(await refusal(() => revokeApiKey(prisma, workspaceId, first.id))).toBe('id ALREADY_REVOKED');
    expect(await refusal(() => revokeApiKey(prisma, workspaceId, second.id))).toBe('id LAST_SECRET_KEY');
    expect(await refusal(() => revokeApiKey(prisma, workspaceId, 'not-a-key'))).toBe('id NOT_FOUND');

    const other = await createWorkspace(prisma, { slug: 'keys-other', name: 'Other' });
    expect(await refusal(() => revokeApiKey(prisma, other.workspaceId, second.id))).toBe('id NOT_FOUND');
  });
});
