// A write reuses the model compiled for the workspace's current version, and sees a model change
// (a new version) at once, on either database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { currentModel, WorkspaceNotFoundError } from './current-model.ts';
import { applyModelChange } from './apply-model-change.ts';

describe.each(['pglite', 'postgres'] as const)('the current model on %s', (kind) => {
  let test: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    test = await openTestDatabase(kind, 'current_model');
    database = test.database;
  });
  afterAll(() => test?.close());

  it('is compiled once per version, and a model change is seen by the next read', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: 'cached', name: 'Cached' });
    const first = await prisma.$transaction((tx) => currentModel(tx, workspaceId));
    const again = await prisma.$transaction((tx) => currentModel(tx, workspaceId));
    expect(again).toBe(first);
    expect(first.typeIds.get('meeting')).toMatch(/^[0-9a-f-]{36}$/);

    const support = first.compiled.categoryKeys.indexOf('support');
    await prisma.$transaction((tx) =>
      applyModelChange(tx, workspaceId, [{ kind: 'updateCategory', key: 'support', weight: 77 }]),
    );
    const changed = await prisma.$transaction((tx) => currentModel(tx, workspaceId));
    expect(changed.version).toBe(first.version + 1);
    expect(changed.compiled.workspaceWeights.weights[support]).toBe(77);
    expect(first.compiled.workspaceWeights.weights[support]).not.toBe(77);
  });

  it('names a workspace that does not exist', async () => {
    await expect(
      database.prisma.$transaction((tx) => currentModel(tx, '00000000-0000-4000-8000-000000000000')),
    ).rejects.toThrow(WorkspaceNotFoundError);
  });
});
