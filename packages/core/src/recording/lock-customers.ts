// The customers a group of writes names, found and locked in one statement together with the
// workspace's model version. A write used to spend three statements before its insert — the model
// version, the customers by external id, then the lock with their scoring inputs — each a round
// trip and, through Prisma, about a quarter of a millisecond of the server's CPU. Customers are
// locked in id order (the sort sits below the lock in the plan), so that concurrent writes for the
// same customers wait for each other instead of deadlocking.
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
  /** The customers found, in id order, locked until the transaction ends. */
  customers: LockedCustomer[];
}

type Row = { modelVersion: number; listened: boolean } & (LockedCustomer | { [K in keyof LockedCustomer]: null });

const lockedColumns = Prisma.sql`${CUSTOMER_INPUT_COLUMNS}, c."score", c."band"::text AS "band", c."scoreComputedAt",
  c."churnedAt" IS NOT NULL AS "churned", c."scoringState", c."scoringStateModelVersion"`;

/**
 * Finds and locks the customers with these ids or external ids; null when the workspace does not
 * exist. Customers not found are simply absent (the caller creates or refuses them).
 */
export async function lockWriters(
  tx: Tx,
  workspaceId: string,
  ids: readonly string[],
  externalIds: readonly string[],
): Promise<LockedWriters | null> {
  const rows = await tx.$queryRaw<Row[]>`
    SELECT w."scoringModelVersion" AS "modelVersion",
      EXISTS (SELECT 1 FROM "WebhookEndpoint" e WHERE e."workspaceId" = w."id" AND e."enabled") AS "listened", l.*
    FROM "Workspace" w
    LEFT JOIN LATERAL (
      SELECT ${lockedColumns} FROM "Customer" c
      WHERE c."workspaceId" = w."id" AND (c."id" = ANY(${[...ids]}::uuid[]) OR c."externalId" = ANY(${[...externalIds]}::text[]))
      ORDER BY c."id" FOR UPDATE OF c
    ) l ON true
    WHERE w."id" = ${workspaceId}::uuid`;
  const first = rows[0];
  if (!first) return null;
  return {
    modelVersion: first.modelVersion,
    listened: first.listened,
    customers: rows.filter((r): r is Row & LockedCustomer => r.id !== null).map(customerOf),
  };
}

/** Locks customers by id (those a write created after lockWriters), in id order. */
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

function customerOf({ modelVersion: _v, listened: _l, ...customer }: Row & LockedCustomer): LockedCustomer {
  return customer;
}
