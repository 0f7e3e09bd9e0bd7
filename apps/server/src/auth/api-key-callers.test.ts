// A looked-up API key is trusted for API_KEY_CACHE_MS: a key revoked elsewhere keeps working at
// most that long, and is refused from then on. The clock is moved rather than waited for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { createWorkspace } from '@pulso/core';
import { API_KEY_CACHE_MS, AuthenticationError, createApiKeyResolver } from './api-key-callers.ts';
import { createSigningSecrets } from './signing-secrets.ts';

describe('API key callers', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase('pglite', 'api_key_callers');
  });
  afterAll(() => test?.close());

  it('trusts a looked-up key for 5 s by default, then refuses it once revoked', async () => {
    const { prisma } = test.database;
    const { workspaceId, secretKey } = await createWorkspace(prisma, { slug: 'callers', name: 'Callers' });
    let clock = 1_000_000;
    const resolve = createApiKeyResolver(prisma, createSigningSecrets(prisma), { now: () => clock });
    const header = `Bearer ${secretKey.key}`;
    expect(await resolve(header)).toMatchObject({ workspaceId, kind: 'SECRET' });

    await prisma.apiKey.updateMany({ where: { hash: secretKey.hash }, data: { revokedAt: new Date() } });
    expect(API_KEY_CACHE_MS).toBe(5_000);
    clock += API_KEY_CACHE_MS - 1;
    // Still the cached caller, answered without a promise.
    expect(resolve(header)).toMatchObject({ workspaceId, kind: 'SECRET' });
    clock += 1;
    await expect(Promise.resolve().then(() => resolve(header))).rejects.toThrow(AuthenticationError);
    await expect(Promise.resolve().then(() => resolve(header))).rejects.toThrow(/unknown, revoked or expired/);
  });

  it('trusts a key only as long as it is told to', async () => {
    const { prisma } = test.database;
    const { secretKey } = await createWorkspace(prisma, { slug: 'short', name: 'Short' });
    let clock = 1_000_000;
    const resolve = createApiKeyResolver(prisma, createSigningSecrets(prisma), { cacheMs: 100, now: () => clock });
    const header = `Bearer ${secretKey.key}`;
    await resolve(header);
    await prisma.apiKey.updateMany({ where: { hash: secretKey.hash }, data: { revokedAt: new Date() } });
    clock += 99;
    expect(resolve(header)).toMatchObject({ kind: 'SECRET' });
    clock += 1;
    await expect(Promise.resolve().then(() => resolve(header))).rejects.toThrow(/unknown, revoked or expired/);
  });
});
