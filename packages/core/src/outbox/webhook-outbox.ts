// The webhook outbox, written where scores are stored: a band change or a score drop becomes one
// WebhookEvent row per endpoint that asked for it, in the same transaction as the score itself. So
// an event exists exactly when its change committed, and a crash loses neither (@pulso/webhooks
// delivers the rows, retries them and shows them through the API; its README describes the payload).
//
// It lives here, not in @pulso/webhooks, because this package owns the transaction that stores
// scores and every path to it (interactions, micro-ratings, assessments, rescoring) goes through
// storeScores; the matching is one INSERT ... SELECT against the endpoints' filters.
//
// Order: storeScores locks the customers' rows before writing them, and this insert follows in the
// same transaction, so two transactions that change one customer take their `sequence` numbers in
// commit order. The worker delivers a customer's events to an endpoint in that order.
import type { Band } from '@pulso/database';
import type { Tx } from '../transaction.ts';

/** What a customer was before its score was written (read under a row lock). */
export interface CustomerBeforeScore {
  id: string;
  externalId: string;
  name: string;
  score: number | null;
  band: Band | null;
}

/** A customer's stored score change, as the outbox sees it. */
export interface OutboxScoreChange {
  customerId: string;
  score: number;
  band: Band;
}

/**
 * Locks and reads the customers whose scores are about to be written, when the workspace has an
 * enabled webhook endpoint; an empty map (and no lock) otherwise, in one round trip either way.
 */
export async function customersBeforeScoring(
  tx: Tx,
  workspaceId: string,
  customerIds: string[],
): Promise<Map<string, CustomerBeforeScore>> {
  if (customerIds.length === 0) return new Map();
  const ids = [...new Set(customerIds)].sort();
  const rows = await tx.$queryRaw<CustomerBeforeScore[]>`
    SELECT "id"::text AS "id", "externalId", "name", "score", "band"::text AS "band" FROM "Customer"
    WHERE "workspaceId" = ${workspaceId}::uuid AND "id" = ANY(${ids}::uuid[])
      AND EXISTS (SELECT 1 FROM "WebhookEndpoint" WHERE "workspaceId" = ${workspaceId}::uuid AND "enabled")
    ORDER BY "id" FOR UPDATE`;
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * Writes the outbox rows of stored score changes: `band.changed` when the band moved (not on a
 * customer's first score: it had no band to change from) and `score.dropped` when the score fell
 * by at least an endpoint's threshold, each for every enabled endpoint whose filters match.
 */
export async function writeWebhookEvents(
  tx: Tx,
  workspaceId: string,
  modelVersion: number,
  computedAt: Date,
  before: Map<string, CustomerBeforeScore>,
  changes: OutboxScoreChange[],
): Promise<number> {
  const rows = changes.flatMap(({ customerId, score, band }, order) => {
    const old = before.get(customerId);
    if (!old || old.score === null || (old.band === band && score >= old.score)) return [];
    return [
      {
        order,
        customerId,
        previousBand: old.band,
        band,
        previousScore: old.score,
        score,
        data: {
          workspaceId,
          customer: { id: customerId, externalId: old.externalId, name: old.name },
          score: { previous: old.score, current: score, change: Math.round((score - old.score) * 10) / 10 },
          band: { previous: old.band, current: band },
          computedAt: computedAt.toISOString(),
          modelVersion,
        },
      },
    ];
  });
  if (rows.length === 0) return 0;
  // band.changed sorts before score.dropped: one change that does both sends them in that order.
  return tx.$executeRaw`
    INSERT INTO "WebhookEvent" ("id", "messageId", "workspaceId", "endpointId", "customerId", "type", "payload", "nextAttemptAt", "createdAt")
    SELECT gen_random_uuid(), 'evt_' || replace(gen_random_uuid()::text, '-', ''), e."workspaceId", e."id", c."customerId", t."type",
      jsonb_build_object('type', t."type", 'timestamp', ${computedAt.toISOString()}::text, 'data', c."data"), now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS c("order" int, "customerId" uuid, "previousBand" text, "band" text, "previousScore" float8, "score" float8, "data" jsonb)
    CROSS JOIN (VALUES ('band.changed'), ('score.dropped')) AS t("type")
    JOIN "WebhookEndpoint" e ON e."workspaceId" = ${workspaceId}::uuid AND e."enabled"
    WHERE (t."type" = 'band.changed' AND e."bandChanged" AND c."previousBand" IS NOT NULL AND c."band" <> c."previousBand"
        AND (cardinality(e."bandChangedFrom") = 0 OR c."previousBand"::"Band" = ANY(e."bandChangedFrom"))
        AND (cardinality(e."bandChangedTo") = 0 OR c."band"::"Band" = ANY(e."bandChangedTo")))
      OR (t."type" = 'score.dropped' AND e."scoreDropPoints" IS NOT NULL AND c."previousScore" - c."score" >= e."scoreDropPoints")
    ORDER BY c."order", t."type", e."id"`;
}
