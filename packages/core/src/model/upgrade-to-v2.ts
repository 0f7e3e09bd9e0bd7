// Moves a workspace from model v1 (formula 1) to model v2 (formula 2) as an ordinary model change:
// a new version whose note says what changed, and a rescoring that recomputes the history under
// it, so a customer's trend is not a jump at the day of the upgrade. Only what the workspace kept
// from v1's defaults is changed to v2's (a half-life or an engagement threshold it set itself
// stays); v2's new commercial types are added where a `commercial` category exists. A workspace is
// upgraded once: one that has ever had a formula-2 version (and perhaps went back to 1 on
// purpose) is left alone.
import type { PrismaClient } from '@pulso/database';
import { DEFAULT_INTERACTION_TYPES, DEFAULT_SETTINGS, DEFAULT_SETTINGS_V1, type ScoringModel } from '@pulso/scoring';
import { enqueueRescore } from '../rescoring/rescore-queue.ts';
import type { Tx } from '../transaction.ts';
import { applyModelChange } from './apply-model-change.ts';
import { loadScoringModel } from './load-scoring-model.ts';
import type { ModelOperation, SettingsChange } from './model-operations.ts';

export const MODEL_V2_NOTE =
  'Model v2 (formula 2): engagement and product usage read as activity against the customer’s own level and its peers; ' +
  'what customers say weighs with a neutral prior; renewals, upsells and good answers count in full only with engagement ' +
  'above neutral; "wasted my time", cancellation intent and commercial losses weigh on the whole score; support contacts ' +
  'without a good outcome are friction; scores say how sure they are. History recomputed under it. See docs/scoring-model.md.';

/** The operations that take this model from v1's defaults to v2's, leaving its own choices alone. */
export function modelV2Operations(model: ScoringModel): ModelOperation[] {
  const settings: SettingsChange = { formula: 2 };
  for (const key of ['decayHalfLifeDays', 'upsellEngagementMin'] as const)
    if (model.settings[key] === DEFAULT_SETTINGS_V1[key]) settings[key] = DEFAULT_SETTINGS[key];
  const operations: ModelOperation[] = [{ kind: 'updateSettings', settings }];
  for (const category of model.categories) {
    if (category.isEngagement || category.key === 'product_usage')
      operations.push({ kind: 'updateCategory', key: category.key, measuresActivity: true });
  }
  const types = new Map(model.interactionTypes.map((type) => [type.key, type]));
  if (types.get('support_ticket')?.sentimentHandling === 'SIGNED')
    operations.push({ kind: 'updateInteractionType', key: 'support_ticket', sentimentHandling: 'FRICTION' });
  if (types.get('cancellation_intent')?.basePoints === 20)
    operations.push({ kind: 'updateInteractionType', key: 'cancellation_intent', basePoints: 25 });
  if (model.categories.some((category) => category.key === 'commercial')) {
    for (const type of DEFAULT_INTERACTION_TYPES) {
      if (types.has(type.key) || type.categoryKey !== 'commercial' || type.sentimentHandling !== 'NEGATIVE') continue;
      const { key, name, categoryKey, basePoints, sentimentHandling } = type;
      operations.push({ kind: 'createInteractionType', key, name, categoryKey, basePoints, sentimentHandling });
    }
  }
  return operations;
}

/** Upgrades one workspace if it is due; returns the new version, or null when it was not due. */
export async function upgradeToModelV2(prisma: PrismaClient, workspaceId: string): Promise<number | null> {
  return prisma.$transaction(async (tx: Tx) => {
    if (!(await dueForModelV2(tx, workspaceId))) return null;
    const { version: _version, ...model } = await loadScoringModel(tx, workspaceId);
    const applied = await applyModelChange(tx, workspaceId, modelV2Operations(model), MODEL_V2_NOTE);
    await enqueueRescore(tx, { workspaceId, reason: `model v2 (version ${applied.version})`, recomputeHistory: true });
    return applied.version;
  });
}

/** Upgrades every workspace that is due; returns how many were. */
export async function upgradeWorkspacesToModelV2(prisma: PrismaClient): Promise<number> {
  const candidates = await prisma.workspace.findMany({ where: { scoringFormula: 1 }, select: { id: true } });
  let upgraded = 0;
  for (const { id } of candidates) if ((await upgradeToModelV2(prisma, id)) !== null) upgraded += 1;
  return upgraded;
}

/** Whether the workspace still needs the upgrade, its row locked as a model change locks it (apply-model-change.ts). */
async function dueForModelV2(tx: Tx, workspaceId: string): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ due: boolean }[]>`
    SELECT w."scoringFormula" = 1 AND NOT EXISTS (
      SELECT 1 FROM "ScoringModelVersion" v
      WHERE v."workspaceId" = w."id" AND (v."definition"->'settings'->>'formula') = '2'
    ) AS "due"
    FROM "Workspace" w WHERE w."id" = ${workspaceId}::uuid FOR NO KEY UPDATE`;
  return row?.due ?? false;
}
