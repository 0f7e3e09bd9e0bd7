// The scoring model of a workspace, read from its tables into the engine's plain shape.
import type { Prisma, PrismaClient } from '@pulso/database';
import type { ScoringModel } from '@pulso/scoring';
import { dictionary } from './dictionary.ts';

type Client = Pick<PrismaClient, 'workspace' | 'category' | 'interactionType' | 'segmentWeight'>;
type Writer = Pick<
  PrismaClient,
  'workspace' | 'category' | 'interactionType' | 'segmentWeight' | 'scoringModelVersion'
>;

export async function loadScoringModel(
  prisma: Client,
  workspaceId: string,
): Promise<ScoringModel & { version: number }> {
  const { version, model } = await loadStoredModel(prisma, workspaceId);
  return { version, ...model };
}

/** The model as stored, with its version and the ids of its interaction types by key. */
export async function loadStoredModel(
  prisma: Client,
  workspaceId: string,
): Promise<{ version: number; model: ScoringModel; typeIds: Map<string, string> }> {
  const [workspace, categories, types, segmentWeights] = await Promise.all([
    prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } }),
    prisma.category.findMany({ where: { workspaceId }, orderBy: { key: 'asc' } }),
    prisma.interactionType.findMany({
      where: { workspaceId },
      include: { category: { select: { key: true } } },
      orderBy: { key: 'asc' },
    }),
    prisma.segmentWeight.findMany({ where: { workspaceId }, include: { category: { select: { key: true } } } }),
  ]);
  // Segment names are the workspace's own strings, "__proto__" included (dictionary.ts).
  const bySegment = dictionary<Record<string, number>>();
  for (const row of segmentWeights) (bySegment[row.segment] ??= dictionary())[row.category.key] = row.weight;
  const model: ScoringModel = {
    settings: {
      bandAtRiskMax: workspace.bandAtRiskMax,
      bandNeedsAttentionMax: workspace.bandNeedsAttentionMax,
      decayHalfLifeDays: workspace.decayHalfLifeDays,
      silenceWindowDays: workspace.silenceWindowDays,
      upsellEngagementMin: workspace.upsellEngagementMin,
      formula: workspace.scoringFormula === 2 ? 2 : 1,
    },
    categories: categories.map(({ key, name, weight, isEngagement, measuresActivity }) => ({
      key,
      name,
      weight,
      isEngagement,
      measuresActivity,
    })),
    interactionTypes: types.map((t) => ({
      key: t.key,
      name: t.name,
      categoryKey: t.category.key,
      basePoints: t.basePoints,
      sentimentHandling: t.sentimentHandling,
      valueScale: t.valueScale,
      requiresEngagement: t.requiresEngagement,
    })),
    segmentWeights: bySegment,
  };
  return { version: workspace.scoringModelVersion, model, typeIds: new Map(types.map((t) => [t.key, t.id])) };
}

/** Freezes the model as it is now under a version number, so scores can name what produced them. */
export async function snapshotScoringModel(
  prisma: Writer,
  workspaceId: string,
  version: number,
  note?: string,
): Promise<void> {
  const { model: definition } = await loadStoredModel(prisma, workspaceId);
  await prisma.scoringModelVersion.create({
    data: { workspaceId, version, definition: definition as unknown as Prisma.InputJsonValue, note: note ?? null },
  });
}
