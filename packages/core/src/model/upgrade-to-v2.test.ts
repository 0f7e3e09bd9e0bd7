// Moving a workspace from model v1 to v2: once, as a model change with its note and a history
// rescoring, keeping the workspace's own choices; a workspace that went back to v1 stays there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, PrismaClient } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { applyModelChange } from './apply-model-change.ts';
import { loadScoringModel, snapshotScoringModel } from './load-scoring-model.ts';
import { MODEL_V2_NOTE, upgradeToModelV2, upgradeWorkspacesToModelV2 } from './upgrade-to-v2.ts';

/** A workspace as model v1 left it: its catalogue at v1's defaults, one version, formula 1. */
async function v1Workspace(prisma: PrismaClient, slug: string, halfLife = 30): Promise<string> {
  const { workspaceId } = await createWorkspace(prisma, { slug, name: slug });
  await prisma.$transaction(async (tx) => {
    await tx.workspace.update({
      where: { id: workspaceId },
      data: { scoringFormula: 1, decayHalfLifeDays: halfLife, upsellEngagementMin: 50 },
    });
    await tx.category.updateMany({ where: { workspaceId }, data: { measuresActivity: false } });
    await tx.interactionType.update({
      where: { workspaceId_key: { workspaceId, key: 'support_ticket' } },
      data: { sentimentHandling: 'SIGNED' },
    });
    await tx.interactionType.update({
      where: { workspaceId_key: { workspaceId, key: 'cancellation_intent' } },
      data: { basePoints: 20 },
    });
    await tx.interactionType.deleteMany({
      where: {
        workspaceId,
        key: { in: ['downsell', 'seat_reduction', 'addon_removed', 'payment_failed', 'term_shortened'] },
      },
    });
    await tx.scoringModelVersion.deleteMany({ where: { workspaceId } });
    await snapshotScoringModel(tx, workspaceId, 1, 'Default model');
  });
  return workspaceId;
}

describe.each(['pglite', 'postgres'] as const)('upgrading to model v2 on %s', (kind) => {
  let test: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    test = await openTestDatabase(kind, 'upgrade_model_v2');
    database = test.database;
  });
  afterAll(() => test?.close());

  it('moves a v1 workspace to v2 once, as a noted version with its history queued for rescoring', async () => {
    const prisma = database.prisma;
    const workspaceId = await v1Workspace(prisma, 'old');
    expect(await upgradeToModelV2(prisma, workspaceId)).toBe(2);
    const model = await loadScoringModel(prisma, workspaceId);
    expect(model.settings).toMatchObject({ formula: 2, decayHalfLifeDays: 14, upsellEngagementMin: 60 });
    expect(model.categories.filter((c) => c.measuresActivity).map((c) => c.key)).toEqual([
      'engagement',
      'product_usage',
    ]);
    const types = new Map(model.interactionTypes.map((t) => [t.key, t]));
    expect(types.get('support_ticket')?.sentimentHandling).toBe('FRICTION');
    expect(types.get('cancellation_intent')?.basePoints).toBe(25);
    expect(types.get('downsell')).toMatchObject({ categoryKey: 'commercial', sentimentHandling: 'NEGATIVE' });
    const version = await prisma.scoringModelVersion.findFirstOrThrow({ where: { workspaceId, version: 2 } });
    expect(version.note).toBe(MODEL_V2_NOTE);
    const run = await prisma.rescoreRun.findFirstOrThrow({ where: { workspaceId } });
    expect(run).toMatchObject({ recomputeHistory: true, status: 'PENDING', scope: null });
    expect(await upgradeToModelV2(prisma, workspaceId)).toBeNull();
  });

  it("keeps the workspace's own settings, and leaves alone a workspace that went back to v1", async () => {
    const prisma = database.prisma;
    const own = await v1Workspace(prisma, 'own-half-life', 45);
    const back = await v1Workspace(prisma, 'went-back');
    await upgradeToModelV2(prisma, back);
    await prisma.$transaction((tx) =>
      applyModelChange(tx, back, [{ kind: 'updateSettings', settings: { formula: 1 } }], 'back to v1'),
    );
    const fresh = await createWorkspace(prisma, { slug: 'fresh', name: 'Fresh' });
    // `old` was upgraded by the test before; `fresh` starts on v2; `went-back` chose v1.
    expect(await upgradeWorkspacesToModelV2(prisma)).toBe(1);
    expect((await loadScoringModel(prisma, own)).settings).toMatchObject({ formula: 2, decayHalfLifeDays: 45 });
    expect((await loadScoringModel(prisma, back)).settings.formula).toBe(1);
    expect((await loadScoringModel(prisma, fresh.workspaceId)).settings.formula).toBe(2);
  });
});
