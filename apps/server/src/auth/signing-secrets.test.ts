// A workspace's token signing secret is read once per few seconds, and a rotation on this instance
// is seen at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { createWorkspace } from '@pulso/core';
import { createSigningSecrets, SIGNING_SECRET_TTL_MS } from './signing-secrets.ts';

describe('token signing secrets', () => {
  let test: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    test = await openTestDatabase('pglite', 'signing_secrets');
    database = test.database;
  });
  afterAll(() => test?.close());

  it('keeps a secret for a few seconds, rereads it after, and forgets it on demand', async () => {
    const { workspaceId } = await createWorkspace(database.prisma, { slug: 'secrets', name: 'Secrets' });
    let clock = 1_000_000;
    const secrets = createSigningSecrets(database.prisma, () => clock);
    const [first] = (await secrets.secretsOf(workspaceId))!;
    expect(first).toMatch(/.{32,}/);

    // Rotated by another instance: this one may answer the old secret until its entry expires.
    await database.prisma.workspace.update({
      where: { id: workspaceId },
      data: { tokenSigningSecret: 'rotated-elsewhere-0123456789abcdef' },
    });
    clock += SIGNING_SECRET_TTL_MS - 1;
    expect(await secrets.secretsOf(workspaceId)).toEqual([first]);
    clock += 2;
    expect(await secrets.secretsOf(workspaceId)).toEqual(['rotated-elsewhere-0123456789abcdef']);

    // Rotated here: forgotten at once.
    await database.prisma.workspace.update({
      where: { id: workspaceId },
      data: { tokenSigningSecret: 'rotated-here-0123456789abcdef0123' },
    });
    secrets.forget(workspaceId);
    expect(await secrets.secretsOf(workspaceId)).toEqual(['rotated-here-0123456789abcdef0123']);
  });

  it('adds the previous secret while its grace period lasts, judged at each use', async () => {
    const { workspaceId } = await createWorkspace(database.prisma, { slug: 'grace', name: 'Grace' });
    let clock = Date.parse('2026-12-01T00:00:00Z');
    const secrets = createSigningSecrets(database.prisma, () => clock);
    await database.prisma.workspace.update({
      where: { id: workspaceId },
      data: {
        tokenSigningSecret: 'new-0123456789abcdef0123456789ab',
        previousTokenSigningSecret: 'old-0123456789abcdef0123456789ab',
        previousTokenSigningSecretUntil: new Date(clock + 1_000),
      },
    });
    expect(await secrets.secretsOf(workspaceId)).toEqual([
      'new-0123456789abcdef0123456789ab',
      'old-0123456789abcdef0123456789ab',
    ]);
    // Still cached, but the grace period is over.
    clock += 1_000;
    expect(await secrets.secretsOf(workspaceId)).toEqual(['new-0123456789abcdef0123456789ab']);
  });

  it('answers null for a workspace that does not exist', async () => {
    const secrets = createSigningSecrets(database.prisma);
    expect(await secrets.secretsOf('00000000-0000-4000-8000-000000000000')).toBeNull();
  });
});
