// Workspaces as an operator manages them, on both databases: a company's workspace starts with
// the default model and two working keys, slugs are checked and never shared, and deleting one
// removes everything in it (interactions included) in one go, saying what went.
import { hashApiKey } from '@pulso/api-keys';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordInteractions } from '../recording/record-interactions.ts';
import {
  addWorkspace,
  deleteWorkspace,
  describeWorkspace,
  listWorkspaces,
  renameWorkspace,
  slugFromName,
} from './manage-workspaces.ts';
import { WorkspaceError } from './workspace-error.ts';

async function refusal(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    if (error instanceof WorkspaceError) return `${error.field} ${error.code}`;
    throw error;
  }
  return null;
}

it('makes slugs from names, Latin accents folded', () => {
  expect(slugFromName('  Ação & Cia. Ltda ')).toBe('acao-cia-ltda');
  expect(slugFromName('株式会社')).toBe('');
  expect(slugFromName(`${'a'.repeat(47)} b`)).toBe('a'.repeat(47));
});

describe.each(['pglite', 'postgres'] as const)('managing workspaces on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(kind, 'manage_workspaces');
  });
  afterAll(() => test?.close());

  it('adds a workspace with the default model and two working keys; slugs are checked', async () => {
    const prisma = test.database.prisma;
    const acme = await addWorkspace(prisma, { name: '  Acme Corp ' });
    expect(acme).toMatchObject({ slug: 'acme-corp', name: 'Acme Corp' });
    const workspace = await prisma.workspace.findUniqueOrThrow({
      where: { id: acme.workspaceId },
      include: { _count: { select: { categories: true, interactionTypes: true, scoringModelVersions: true } } },
    });
    expect(workspace._count.categories).toBeGreaterThan(0);
    expect(workspace._count.interactionTypes).toBeGreaterThan(0);
    expect(workspace._count.scoringModelVersions).toBe(1);
    const keys = await prisma.apiKey.findMany({ where: { workspaceId: acme.workspaceId }, orderBy: { kind: 'asc' } });
    expect(keys.map((k) => [k.kind, k.hash])).toEqual([
      ['SECRET', hashApiKey(acme.secretKey.key)],
      ['PUBLISHABLE', hashApiKey(acme.publishableKey.key)],
    ]);

    expect(await refusal(() => addWorkspace(prisma, { name: 'Acme Corp' }))).toBe('slug SLUG_TAKEN');
    expect(await refusal(() => addWorkspace(prisma, { name: 'Demo' }))).toBe('slug INVALID_SLUG');
    expect(await refusal(() => addWorkspace(prisma, { name: 'X', slug: 'Bad Slug' }))).toBe('slug INVALID_SLUG');
    expect(await refusal(() => addWorkspace(prisma, { name: '株式会社' }))).toBe('slug MISSING_VALUE');
    expect(await refusal(() => addWorkspace(prisma, { name: '   ' }))).toBe('name MISSING_VALUE');
    expect((await addWorkspace(prisma, { name: '株式会社', slug: 'kabushiki' })).slug).toBe('kabushiki');
  });

  it('renames a workspace and refuses a slug in use', async () => {
    const prisma = test.database.prisma;
    await addWorkspace(prisma, { name: 'Globex' });
    await addWorkspace(prisma, { name: 'Initech' });
    const renamed = await renameWorkspace(prisma, 'globex', { name: 'Globex Corporation', slug: 'globex-corp' });
    expect(renamed).toMatchObject({ slug: 'globex-corp', name: 'Globex Corporation', activeApiKeys: 2 });
    expect(await refusal(() => renameWorkspace(prisma, 'globex-corp', { slug: 'initech' }))).toBe('slug SLUG_TAKEN');
    expect(await refusal(() => renameWorkspace(prisma, 'globex', { name: 'G' }))).toBe('workspace NOT_FOUND');
    expect(await refusal(() => renameWorkspace(prisma, 'initech', {}))).toBe('name MISSING_VALUE');
    expect((await describeWorkspace(prisma, 'initech')).name).toBe('Initech');
  });

  it('deletes a workspace with its customers and interactions, and says how many', async () => {
    const prisma = test.database.prisma;
    const doomed = await addWorkspace(prisma, { name: 'Doomed' });
    const kept = await addWorkspace(prisma, { name: 'Kept' });
    const writes = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        customer: { externalId: `c${i % 3}`, name: `C${i % 3}` },
        typeKey: 'meeting',
        occurredAt: new Date(Date.now() - (i + 1) * 3_600_000),
        idempotencyKey: `k${i}`,
      }));
    await recordInteractions(prisma, doomed.workspaceId, writes(7));
    await recordInteractions(prisma, kept.workspaceId, writes(2));
    expect(await describeWorkspace(prisma, 'doomed')).toMatchObject({
      customers: 3,
      interactions: 7,
      activeApiKeys: 2,
    });

    expect(await deleteWorkspace(prisma, 'doomed')).toEqual({
      slug: 'doomed',
      name: 'Doomed',
      customers: 3,
      interactions: 7,
      apiKeys: 2,
    });
    expect(await prisma.interaction.count({ where: { workspaceId: doomed.workspaceId } })).toBe(0);
    expect(await prisma.apiKey.count({ where: { workspaceId: doomed.workspaceId } })).toBe(0);
    expect(await describeWorkspace(prisma, 'kept')).toMatchObject({ customers: 2, interactions: 2 });
    expect(await refusal(() => deleteWorkspace(prisma, 'doomed'))).toBe('workspace NOT_FOUND');
    expect((await listWorkspaces(prisma)).map((w) => w.slug)).not.toContain('doomed');
  });
});
