// The customers a group of writes names, found and locked in one statement together with the
// workspace's model version. A write used to spend three statements before its insert — the model
// version, the customers by external id, then the lock with their scoring inputs — each a round
// trip and, through Prisma, about a quarter of a millisecond of the server's CPU. Customers are
// locked in id order (the sort sits below the lock in the plan), so that concurrent writes for the
// same customers wait for each other instead of deadlocking.
// Only when every customer named exists: a write that will create customers must not hold a lock
// while it inserts them. It could wait there behind a write inserting the same customer, while that
// write waits for the lock (the customer it locks appeared between the two first statements), and
// PostgreSQL would break the cycle after a second by failing one (concurrent-creation.test.ts). Such
// a write gets the customers found unlocked, creates the missing ones, then locks them all in id
// order.
import { Prisma } from '@pulso/database';
import type { CustomerBeforeScore } from '../outbox/webhook-outbox.ts';
import { CUSTOMER_INPUT_COLUMNS, type CustomerInputRow } from '../scores/scoring-inputs.ts';
import type { Tx } from '../transaction.ts';

/** A locked customer as a write reads it: its inputs, its score before the write, its stored tally. */
export type LockedCustomer = CustomerBeforeScore &
  CustomerInputRow & {
    scoreComputedAt: Date | null;
    churned: boolean;
    scoringState: unknown;
    scoringStateModelVersion: number | null;
  };

export interface LockedWriters {
  /** The workspace's `scoringModelVersion`, read in the same statement. */
  modelVersion: number;
  /** Whether an enabled webhook endpoint listens (the outbox then needs the scores before). */
  listened: boolean;
  /**
   * The customers found, in id order, locked until the transaction ends; empty when some customer
   * named is missing (then see `found`).
   */
  customers: LockedCustomer[];
  /** When some customer named is missing, the others, found but not locked; else empty. */
  found: { id: string; externalId: string }[];
}

type Row = { modelVersion: number; listened: boolean; foundId: string | null; foundExternalId: string | null } & (
  | LockedCustomer
  | { [K in keyof LockedCustomer]: null }
);

const lockedColumns = Prisma.sql`${CUSTOMER_INPUT_COLUMNS}, c."score", c."band"::text AS "band", c."scoreComputedAt",
  c."churnedAt" IS NOT NULL AS "churned", c."scoringState", c."scoringStateModelVersion"`;

/**
 * Finds the customers with these ids or external ids, and locks them when all exist; null when the
 * workspace does not exist. Customers not found are simply absent (the caller creates or refuses
 * them, then locks with lockCustomersById).
 */
export async function lockWriters(
  tx: Tx,
  workspaceId: string,
  ids: readonly string[],
  externalIds: readonly string[],
): Promise<LockedWriters | null> {
  const named = Prisma.sql`c."workspaceId" = w."id"
    AND (c."id" = ANY(${[...ids]}::uuid[]) OR c."externalId" = ANY(${[...externalIds]}::text[]))`;
  // A customer named both by id and by external id counts twice in `ids.length + externalIds.length`
  // and once in the count: the write then takes the unlocked way, which is correct, only slower.
  const rows = await tx.$queryRaw<Row[]>`
    SELECT w."scoringModelVersion" AS "modelVersion",
      EXISTS (SELECT 1 FROM "WebhookEndpoint" e WHERE e."workspaceId" = w."id" AND e."enabled") AS "listened",
      f."id"::text AS "foundId", f."externalId" AS "foundExternalId", l.*
    FROM "Workspace" w
    CROSS JOIN LATERAL (
      SELECT count(*) = ${ids.length + externalIds.length}::bigint AS "all" FROM "Customer" c WHERE ${named}
    ) n
    LEFT JOIN LATERAL (
      SELECT ${lockedColumns} FROM "Customer" c WHERE n."all" AND ${named} ORDER BY c."id" FOR UPDATE OF c
    ) l ON true
    LEFT JOIN LATERAL (
      SELECT c."id", c."externalId" FROM "Customer" c WHERE NOT n."all" AND ${named}
    ) f ON true
    WHERE w."id" = ${workspaceId}::uuid`;
  const first = rows[0];
  if (!first) return null;
  return {
    modelVersion: first.modelVersion,
    listened: first.listened,
    customers: rows.filter((r): r is Row & LockedCustomer => r.id !== null).map(customerOf),
    found: rows.flatMap((r) =>
      r.foundId !== null && r.foundExternalId !== null ? [{ id: r.foundId, externalId: r.foundExternalId }] : [],
    ),
  };
}

/** Locks customers by id (all those of a write that lockWriters did not lock), in id order. */
export async function lockCustomersById(
  tx: Tx,
  workspaceId: string,
  ids: readonly string[],
): Promise<LockedCustomer[]> {
  if (ids.length === 0) return [];
  return tx.$queryRaw<LockedCustomer[]>`
    SELECT ${lockedColumns} FROM "Customer" c
    WHERE c."workspaceId" = ${workspaceId}::uuid AND c."id" = ANY(${[...ids]}::uuid[])
    ORDER BY c."id" FOR UPDATE OF c`;
}

function customerOf({
  modelVersion: _v,
  listened: _l,
  foundId: _i,
  foundExternalId: _e,
  ...customer
}: Row & LockedCustomer): LockedCustomer {
  return customer;
}
