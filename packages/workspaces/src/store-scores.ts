// Stores computed scores: the customer's current score, band, explanation and 30-day change, and a
// snapshot for history, on the transaction the caller gives (so that an interaction and its effect
// on the score commit together).
import type { Prisma, PrismaClient } from '@pulso/database';
import type { ScoreResult } from '@pulso/scoring';
import { insertSnapshots } from './bulk-insert.ts';

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export interface ComputedScore {
  customerId: string;
  result: ScoreResult;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function scoreJson(result: ScoreResult): Prisma.InputJsonValue {
  return result as unknown as Prisma.InputJsonValue;
}

/**
 * What a snapshot keeps of an explanation: the per-category breakdown and the flags. The drivers
 * (individual interactions) are left to the current score, so history stays small.
 */
export function historyBreakdown(result: ScoreResult): Pick<ScoreResult, 'categories' | 'flags' | 'coverage' | 'silenceFactor' | 'interactionCount'> {
  const { categories, flags, coverage, silenceFactor, interactionCount } = result;
  return { categories, flags, coverage, silenceFactor, interactionCount };
}

/** The latest stored score of each customer at or before an instant. */
export async function scoresAtOrBefore(tx: Tx | PrismaClient, customerIds: string[], at: Date): Promise<Map<string, number>> {
  if (customerIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ customerId: string; score: number }[]>`
    SELECT DISTINCT ON ("customerId") "customerId"::text AS "customerId", "score"
    FROM "ScoreSnapshot"
    WHERE "customerId" = ANY(${customerIds}::uuid[]) AND "computedAt" <= ${at}
    ORDER BY "customerId", "computedAt" DESC`;
  return new Map(rows.map((r) => [r.customerId, r.score]));
}

/**
 * Writes scores computed as of `asOf` under model `modelVersion`. `knownEarlier` may hold scores
 * 30 days back that are not stored yet (history being written in the same call).
 */
export async function storeScores(
  tx: Tx,
  workspaceId: string,
  modelVersion: number,
  asOf: Date,
  scores: ComputedScore[],
  knownEarlier: Map<string, number> = new Map(),
): Promise<void> {
  if (scores.length === 0) return;
  const monthAgo = new Date(asOf.getTime() - 30 * DAY_MS);
  const missing = scores.map((s) => s.customerId).filter((id) => !knownEarlier.has(id));
  const stored = await scoresAtOrBefore(tx, missing, monthAgo);
  for (const { customerId, result } of scores) {
    const earlier = knownEarlier.get(customerId) ?? stored.get(customerId);
    await tx.customer.update({
      where: { id: customerId },
      data: {
        score: result.score,
        band: result.band.key,
        scoreBreakdown: scoreJson(result),
        scoreComputedAt: asOf,
        scoreModelVersion: modelVersion,
        scoreChange30d: earlier === undefined ? null : Math.round((result.score - earlier) * 10) / 10,
        lastInteractionAt: result.lastInteractionAt ? new Date(result.lastInteractionAt) : null,
      },
    });
  }
  await insertSnapshots(
    tx,
    scores.map(({ customerId, result }) => ({
      workspaceId,
      customerId,
      computedAt: asOf,
      score: result.score,
      band: result.band.key,
      coverage: result.coverage,
      breakdown: historyBreakdown(result),
      modelVersion,
    })),
  );
}
