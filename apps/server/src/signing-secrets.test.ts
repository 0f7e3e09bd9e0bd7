// A workspace's token signing secret is read once per few seconds, and a rotation on this instance
// is seen at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@pulso/database';
import { createWorkspace } from '@pulso/workspaces';
import { createSigningSecrets, SIGNING_SECRET_TTL_MS } from './signing-secrets.ts';

describe('token signing secrets', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    await database.migrate();
  });
  afterAll(() => database?.close());

  it('keeps a secret for a few seconds, rereads it after, and forgets it on demand', async () => {
    const { workspaceId } = await createWorkspace(database.prisma, { slug: 'secrets', name: 'Secrets' });
    let clock = 1_000_000;
    const secrets = createSigningSecrets(database.prisma, () => clock);
    const first = await secrets.secretOf(workspaceId);
    expect(first).toMatch(/.{32,}/);

    // Rotated by another instance: this one may answer the old secret until its entry expires.
    await database.prisma.workspace.update({ where: { id: workspaceId }, data: { tokenSigningSecret: 'rotated-elsewhere-0123456789abcdef' } });
    clock += SIGNING_SECRET_TTL_MS - 1;
    expect(await secrets.secretOf(workspaceId)).toBe(first);
    clock += 2;
    expect(await secrets.secretOf(workspaceId)).toBe('rotated-elsewhere-0123456789abcdef');

    // Rotated here: forgotten at once.
    await database.prisma.workspace.update({ where: { id: workspaceId }, data: { tokenSigningSecret: 'rotated-here-0123456789abcdef0123' } });
    secrets.forget(workspaceId);
    expect(await secrets.secretOf(workspaceId)).toBe('rotated-here-0123456789abcdef0123');
  });

  it('answers null for a workspace that does not exist', async () => {
    const secrets = createSigningSecrets(database.prisma);
    expect(await secrets.secretOf('00000000-0000-4000-8000-000000000000')).toBeNull();
  });
});
