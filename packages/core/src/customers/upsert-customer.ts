// Creating customers by external id, safe under concurrency: the unique index on
// (workspaceId, externalId) decides with INSERT ... ON CONFLICT, never a read-then-write. Used by
// recording (a write that names a missing customer with a name creates it) and by the API's
// customer upsert.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@pulso/database';
import type { Tx } from '../transaction.ts';

export interface CustomerUpsert {
  externalId: string;
  name: string;
  /** Left as it is on an existing customer when undefined. */
  segment?: string | null;
  /** Left as they are on an existing customer when undefined. */
  properties?: unknown;
}

/**
 * Creates missing customers by external id in one statement; existing ones are left alone.
 * Atomic under concurrency: the unique index on (workspaceId, externalId) decides.
 */
export async function insertMissingCustomers(
  tx: Tx | PrismaClient,
  workspaceId: string,
  customers: { externalId: string; name: string }[],
  now: Date,
): Promise<void> {
  const json = JSON.stringify(customers.map((c) => ({ id: randomUUID(), externalId: c.externalId, name: c.name })));
  await tx.$executeRaw`
    INSERT INTO "Customer" ("id", "workspaceId", "externalId", "name", "createdAt", "updatedAt")
    SELECT r."id", ${workspaceId}::uuid, r."externalId", r."name", ${now}, ${now}
    FROM jsonb_to_recordset(${json}::jsonb) AS r("id" uuid, "externalId" text, "name" text)
    ON CONFLICT ("workspaceId", "externalId") DO NOTHING`;
}

/**
 * Creates or updates one customer by external id with INSERT ... ON CONFLICT DO UPDATE: concurrent
 * first-time upserts of one customer store one row and none fails (Prisma's upsert reads then
 * writes, and can fail with a unique violation under a race).
 */
export async function upsertCustomer(
  tx: Tx | PrismaClient,
  workspaceId: string,
  input: CustomerUpsert,
  now: Date,
): Promise<{ id: string; created: boolean }> {
  const hasSegment = input.segment !== undefined;
  const hasProperties = input.properties !== undefined;
  const properties = JSON.stringify(input.properties ?? {});
  const rows = await tx.$queryRaw<{ id: string; created: boolean }[]>`
    INSERT INTO "Customer" ("id", "workspaceId", "externalId", "name", "segment", "properties", "createdAt", "updatedAt")
    VALUES (${randomUUID()}::uuid, ${workspaceId}::uuid, ${input.externalId}, ${input.name}, ${input.segment ?? null}, ${properties}::jsonb, ${now}, ${now})
    ON CONFLICT ("workspaceId", "externalId") DO UPDATE SET
      "name" = EXCLUDED."name",
      "segment" = CASE WHEN ${hasSegment} THEN EXCLUDED."segment" ELSE "Customer"."segment" END,
      "properties" = CASE WHEN ${hasProperties} THEN EXCLUDED."properties" ELSE "Customer"."properties" END,
      "updatedAt" = EXCLUDED."updatedAt"
    RETURNING "id"::text AS "id", (xmax = 0) AS "created"`;
  // xmax is 0 on a row version the INSERT wrote, non-zero on one the UPDATE branch wrote.
  return rows[0]!;
}
