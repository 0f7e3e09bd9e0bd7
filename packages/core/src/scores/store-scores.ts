// Stores computed scores: the customer's current score, band, explanation and 30-day change, and a
// snapshot for history, on the transaction the caller gives (so that an interaction and its effect
// on the score commit together).
import type { Prisma } from '@pulso/database';
import { DAY_MS, type ScoreResult, type StoredTally } from '@pulso/scoring';
import { customersBeforeScoring, writeWebhookEvents, type CustomerBeforeScore } from '../outbox/webhook-outbox.ts';
import type { Tx } from '../transaction.ts';

export interface ComputedScore {
  customerId: string;
  result: ScoreResult;
}

export function scoreJson(result: ScoreResult): Prisma.InputJsonValue {
  return result as unknown as Prisma.InputJsonValue;
}

/**
 * What a snapshot keeps of an explanation: the per-category breakdown and the flags. The drivers
 * (individual interactions) are left to the current score, so history stays small.
 */
export function historyBreakdown(
  result: ScoreResult,
): Pick<ScoreResult, 'categories' | 'flags' | 'coverage' | 'silenceFactor' | 'interactionCount'> {
  const { categories, flags, coverage, silenceFactor, interactionCount } = result;
  return { categories, flags, coverage, silenceFactor, interactionCount };
}

export interface StoreScoresOptions {
  /** Scores 30 days back that are not stored yet (history being written in the same call). */
  knownEarlier?: Map<string, number>;
  /**
   * The customers as the caller read them while locking them in this transaction, when the caller
   * did (recording does): spares the outbox its own read. An empty map when no webhook endpoint
   * listens.
   */
  lockedBefore?: Map<string, CustomerBeforeScore>;
  /**
   * Formula 2's tallies as of `asOf` (score-from-state.ts), stored with the score under
   * `modelVersion`; null drops a customer's stored tally. Customers not in the map keep theirs.
   */
  states?: Map<string, StoredTally | null>;
}

/**
 * Writes scores computed as of `asOf` under model `modelVersion`, with a history snapshot each.
 *
 * A customer's current score only moves forward in time: one already computed as of a later
 * instant stays (a rescoring queued at 10:00 and reaching the customer at 10:05 must not replace
 * the score a write recorded at 10:02 stored, or that write's interaction would be left out of the
 * current score until the next rescoring). The snapshot is kept either way, as history.
 * Band changes and score drops of the written customers go to the webhook outbox in the same
 * transaction (webhook-outbox.ts). Returns the customers whose current score was written.
 */
export async function storeScores(
  tx: Tx,
  workspaceId: string,
  modelVersion: number,
  asOf: Date,
  scores: ComputedScore[],
  { knownEarlier = new Map(), lockedBefore, states }: StoreScoresOptions = {},
): Promise<string[]> {
  if (scores.length === 0) return [];
  const monthAgo = new Date(asOf.getTime() - 30 * DAY_MS);
  const before =
    lockedBefore ??
    (await customersBeforeScoring(
      tx,
      workspaceId,
      scores.map((s) => s.customerId),
    ));
  // One statement for the whole chunk: an UPDATE per customer cost a round trip and a Prisma
  // query each, which made most of a full rescoring's time (bench/RESULTS.md, benchmark 3). Rows
  // are locked in id order first, as writers of single customers lock them, so two writers never
  // deadlock; the condition keeps a score computed as of a later instant. The score 30 days back
  // (for the change) is read in the same statement: one round trip fewer per write.
  const rows = scores.map(({ customerId, result }) => {
    return {
      id: customerId,
      score: result.score,
      band: result.band.key,
      breakdown: result,
      earlier: knownEarlier.get(customerId) ?? null,
      lastInteractionAt: result.lastInteractionAt ? new Date(result.lastInteractionAt).toISOString() : null,
      coverage: result.coverage,
      history: historyBreakdown(result),
      hasState: states?.has(customerId) ?? false,
      state: states?.get(customerId) ?? null,
    };
  });
  const updated = await tx.$queryRaw<{ id: string }[]>`
    WITH r AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        AS r("id" uuid, "score" float8, "band" text, "breakdown" jsonb, "earlier" float8, "lastInteractionAt" timestamp(3),
          "coverage" float8, "history" jsonb, "hasState" boolean, "state" jsonb)
    ), earlier AS (
      -- The latest score at or before 30 days back, unless the caller knows it (history written by
      -- the same call). One index probe per customer (LIMIT 1): a DISTINCT ON over all of them read
      -- every older snapshot of each customer, a cost that grew with history and was paid by every
      -- write (the time-ordered benchmark's batches slowed as histories grew).
      SELECT r."id", COALESCE(r."earlier", (
        SELECT s."score" FROM "ScoreSnapshot" s
        WHERE s."customerId" = r."id" AND s."computedAt" <= ${monthAgo}
        ORDER BY s."computedAt" DESC LIMIT 1)) AS "score"
      FROM r
    ), locked AS (
      SELECT c."id" FROM "Customer" AS c
      WHERE c."workspaceId" = ${workspaceId}::uuid AND c."id" IN (SELECT "id" FROM r) ORDER BY c."id" FOR UPDATE
    ), snapshots AS (
      -- Every computed score is history, whether or not it becomes the current one.
      INSERT INTO "ScoreSnapshot" ("id", "workspaceId", "customerId", "computedAt", "score", "band", "coverage", "breakdown", "modelVersion")
      SELECT gen_random_uuid(), ${workspaceId}::uuid, r."id", ${asOf}, r."score", r."band"::"Band", r."coverage", r."history", ${modelVersion}
      FROM r
    )
    UPDATE "Customer" AS c
    SET "score" = r."score", "band" = r."band"::"Band", "scoreBreakdown" = r."breakdown", "scoreComputedAt" = ${asOf},
      "scoreModelVersion" = ${modelVersion}, "lastInteractionAt" = r."lastInteractionAt", "updatedAt" = ${new Date()},
      -- To a tenth, halves rounded up as Math.round rounds them; null without a score 30 days back.
      "scoreChange30d" = floor((r."score" - e."score") * 10 + 0.5) / 10,
      "scoringState" = CASE WHEN r."hasState" THEN r."state" ELSE c."scoringState" END,
      "scoringStateModelVersion" = CASE WHEN r."hasState" THEN ${modelVersion}::int ELSE c."scoringStateModelVersion" END
    FROM r JOIN earlier AS e ON e."id" = r."id"
    WHERE c."workspaceId" = ${workspaceId}::uuid AND c."id" = r."id" AND c."id" IN (SELECT "id" FROM locked) AND (c."scoreComputedAt" IS NULL OR c."scoreComputedAt" <= ${asOf})
    RETURNING c."id"::text AS "id"`;
  const updatedIds = new Set(updated.map((u) => u.id));
  const written = scores.map((s) => s.customerId).filter((id) => updatedIds.has(id));
  // A customer whose score was not replaced (one computed as of a later instant stands) keeps no
  // tally: the one stored may lack what this call's caller just recorded, and a tally is only
  // ever trusted whole. The next write rebuilds it from the history.
  const stale = states ? [...states.keys()].filter((id) => !updatedIds.has(id)) : [];
  if (stale.length > 0)
    await tx.$executeRaw`UPDATE "Customer" SET "scoringState" = NULL, "scoringStateModelVersion" = NULL
      WHERE "workspaceId" = ${workspaceId}::uuid AND "id" = ANY(${stale}::uuid[])`;
  if (before.size > 0) {
    const writtenIds = new Set(written);
    const changes = scores
      .filter((s) => writtenIds.has(s.customerId))
      .map(({ customerId, result }) => ({ customerId, score: result.score, band: result.band.key }));
    await writeWebhookEvents(tx, workspaceId, modelVersion, asOf, before, changes);
  }
  return written;
}
