// A new workspace starts with the default scoring catalogue (categories, interaction types,
// settings) so that it can score interactions from its first request.
import { issueApiKey, type IssuedApiKey } from '@pulso/api-keys';
import type { PrismaClient } from '@pulso/database';
import { DEFAULT_CATEGORIES, DEFAULT_INTERACTION_TYPES, DEFAULT_SETTINGS } from '@pulso/scoring';
import { snapshotScoringModel } from '../model/load-scoring-model.ts';
import type { Tx } from '../transaction.ts';

export interface CreateWorkspaceInput {
  slug: string;
  name: string;
  /** Fixed keys (e.g. from configuration); random ones otherwise. */
  secretKey?: string;
  publishableKey?: string;
  allowedOrigins?: string[];
}

export interface CreatedWorkspace {
  workspaceId: string;
  secretKey: IssuedApiKey;
  publishableKey: IssuedApiKey;
}

export async function createWorkspace(prisma: PrismaClient, input: CreateWorkspaceInput): Promise<CreatedWorkspace> {
  const secretKey = issueApiKey('SECRET', input.secretKey);
  const publishableKey = issueApiKey('PUBLISHABLE', input.publishableKey);
  const workspaceId = await prisma.$transaction(async (tx: Tx) => {
    const workspace = await tx.workspace.create({
      data: {
        slug: input.slug,
        name: input.name,
        bandAtRiskMax: DEFAULT_SETTINGS.bandAtRiskMax,
        bandNeedsAttentionMax: DEFAULT_SETTINGS.bandNeedsAttentionMax,
        decayHalfLifeDays: DEFAULT_SETTINGS.decayHalfLifeDays,
        silenceWindowDays: DEFAULT_SETTINGS.silenceWindowDays,
        upsellEngagementMin: DEFAULT_SETTINGS.upsellEngagementMin,
        scoringFormula: DEFAULT_SETTINGS.formula ?? 1,
      },
    });
    const categoryIds = new Map<string, string>();
    for (const category of DEFAULT_CATEGORIES) {
      const row = await tx.category.create({ data: { ...category, workspaceId: workspace.id } });
      categoryIds.set(category.key, row.id);
    }
    await tx.interactionType.createMany({
      data: DEFAULT_INTERACTION_TYPES.map(({ categoryKey, ...type }) => ({
        ...type,
        workspaceId: workspace.id,
        categoryId: categoryIds.get(categoryKey)!,
      })),
    });
    await tx.apiKey.createMany({
      data: [
        {
          workspaceId: workspace.id,
          kind: 'SECRET',
          name: 'Default secret key',
          prefix: secretKey.prefix,
          hash: secretKey.hash,
        },
        {
          workspaceId: workspace.id,
          kind: 'PUBLISHABLE',
          name: 'Default publishable key',
          prefix: publishableKey.prefix,
          hash: publishableKey.hash,
          allowedOrigins: input.allowedOrigins ?? [],
        },
      ],
    });
    await snapshotScoringModel(tx, workspace.id, 1, 'Default model');
    return workspace.id;
  });
  return { workspaceId, secretKey, publishableKey };
}
