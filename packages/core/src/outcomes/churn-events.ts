// A customer that churns becomes a `customer.churned` webhook event for every enabled endpoint
// that asked for churns, written in the transaction that recorded the churn (the outbox rule: an
// event exists exactly when its cause committed). The payload carries the churn and the score the
// customer had when it left, which is what a CS team's tooling wants to act on or study.
import type { Tx } from '../scores/store-scores.ts';

export async function writeChurnEvents(tx: Tx, workspaceId: string, customerIds: string[], now: Date): Promise<number> {
  if (customerIds.length === 0) return 0;
  return tx.$executeRaw`
    INSERT INTO "WebhookEvent" ("id", "messageId", "workspaceId", "endpointId", "customerId", "type", "payload", "nextAttemptAt", "createdAt")
    SELECT gen_random_uuid(), 'evt_' || replace(gen_random_uuid()::text, '-', ''), e."workspaceId", e."id", c."id", 'customer.churned',
      jsonb_build_object('type', 'customer.churned', 'timestamp', ${now.toISOString()}::text, 'data', jsonb_build_object(
        'workspaceId', c."workspaceId",
        'customer', jsonb_build_object('id', c."id", 'externalId', c."externalId", 'name', c."name"),
        'churn', jsonb_build_object('occurredAt', to_char(c."churnedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'reason', o."reason", 'voluntary', o."voluntary"),
        'score', jsonb_build_object('current', c."score", 'band', c."band"))),
      now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
    FROM "Customer" c
    JOIN "WebhookEndpoint" e ON e."workspaceId" = c."workspaceId" AND e."enabled" AND e."customerChurned"
    LEFT JOIN LATERAL (
      SELECT "reason", "voluntary" FROM "CustomerOutcome"
      WHERE "workspaceId" = c."workspaceId" AND "customerId" = c."id" AND "kind" = 'CHURNED' AND "occurredAt" = c."churnedAt"
      ORDER BY "createdAt" DESC LIMIT 1
    ) o ON true
    WHERE c."workspaceId" = ${workspaceId}::uuid AND c."id" = ANY(${customerIds}::uuid[]) AND c."churnedAt" IS NOT NULL
    ORDER BY c."id", e."id"`;
}
