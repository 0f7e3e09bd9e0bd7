// Creates or updates up to 1,000 customers by external id in one transaction: how a CRM's customer
// list is loaded (the API's upsertCustomers, the CSV importer). Concurrent batches naming the same
// customers store one row each and none fails (the unique index on (workspaceId, externalId)
// decides, as in upsertCustomer); a customer whose fields are unchanged is left untouched, so a
// re-run of the same list counts (and rescores) nothing. A customer whose segment
// changes is rescored in the transaction (segment weights may differ); with `scoreNew`, the
// customers created are scored too (on silence alone until they have interactions), for callers
// that record no interaction for them right after.
//
// Three statements rather than one upsert: the existing customers are locked and read first (what
// a change is, and whose segment moved, is judged against them), the missing ones inserted with
// ON CONFLICT DO NOTHING, and the others updated only where a field differs.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@pulso/database';
import type { ScoreChange } from '../scores/score-change.ts';
import { rescoreCustomersInTransaction } from '../scores/score-customers.ts';
import type { Tx } from '../transaction.ts';
import { MAX_BATCH } from '../recording/validate-writes.ts';
import type { FieldProblem } from '../validation/validation-error.ts';
import { checkCustomerFields, CustomerValidationError } from './customer-fields.ts';
import type { NewCustomer } from './customer-writes.ts';

export interface SaveCustomersOptions {
  now?: Date;
  /** Score the customers this call creates, in the same transaction (default false). */
  scoreNew?: boolean;
  /** Prefix of the problems' field paths (default `customers[i]`). */
  field?: (index: number) => string;
}

export interface SavedCustomer {
  id: string;
  externalId: string;
  /** It did not exist before this call. */
  created: boolean;
  /** It existed and a field changed (false when everything given was already stored). */
  updated: boolean;
}

export interface SaveCustomersResult {
  /** One per input, in input order. */
  results: SavedCustomer[];
  /** The score changes of the customers scored or rescored, to publish once committed. */
  changes: ScoreChange[];
}

/** A rescoring may take a while on a big workspace: wait for it rather than fail the write. */
const TRANSACTION = { maxWait: 60_000, timeout: 120_000 };

/** Every problem of the batch at once, each naming its field: nothing is stored when there is one. */
function batchProblems(inputs: readonly NewCustomer[], field: (i: number) => string): FieldProblem[] {
  if (inputs.length > MAX_BATCH)
    return [
      {
        field: 'customers',
        code: 'TOO_MANY',
        message: `at most ${MAX_BATCH} customers per batch, got ${inputs.length}`,
      },
    ];
  const problems: FieldProblem[] = [];
  const seen = new Map<string, number>();
  inputs.forEach((input, i) => {
    try {
      checkCustomerFields(input, { path: field(i), partial: false });
    } catch (error) {
      if (error instanceof CustomerValidationError) problems.push(...error.problems);
      else throw error;
    }
    const earlier = seen.get(input.externalId);
    // One statement cannot update a row twice: the caller merges what it knows of one customer.
    if (earlier !== undefined)
      problems.push({
        field: `${field(i)}.externalId`,
        code: 'DUPLICATE',
        message: `"${input.externalId}" is also given by ${field(earlier)} in this batch`,
      });
    else seen.set(input.externalId, i);
  });
  return problems;
}

export async function saveCustomers(
  prisma: PrismaClient,
  workspaceId: string,
  inputs: readonly NewCustomer[],
  options: SaveCustomersOptions = {},
): Promise<SaveCustomersResult> {
  const now = options.now ?? new Date();
  const field = options.field ?? ((i: number) => `customers[${i}]`);
  const problems = batchProblems(inputs, field);
  if (problems.length) throw new CustomerValidationError(problems);
  if (inputs.length === 0) return { results: [], changes: [] };

  // In external id order, as every writer of several customers locks them, so two batches wait on
  // each other instead of deadlocking.
  const rows = inputs
    .map((c) => ({
      id: randomUUID(),
      externalId: c.externalId,
      name: c.name.trim(),
      segment: c.segment ?? null,
      hasSegment: c.segment !== undefined,
      properties: c.properties ?? {},
      hasProperties: c.properties !== undefined && c.properties !== null,
    }))
    .sort((a, b) => (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));

  const json = JSON.stringify(rows);
  return prisma.$transaction(async (tx: Tx) => {
    // Existing customers locked first, as they stood: what changes is judged against them.
    const before = new Map(
      (
        await tx.$queryRaw<{ id: string; externalId: string; segment: string | null; scored: boolean }[]>`
          SELECT "id"::text AS "id", "externalId", "segment", "score" IS NOT NULL AS "scored" FROM "Customer"
          WHERE "workspaceId" = ${workspaceId}::uuid AND "externalId" = ANY(${rows.map((r) => r.externalId)}::text[])
          ORDER BY "externalId" FOR UPDATE`
      ).map((c) => [c.externalId, c]),
    );
    const created = new Map(
      (
        await tx.$queryRaw<{ id: string; externalId: string }[]>`
          INSERT INTO "Customer" ("id", "workspaceId", "externalId", "name", "segment", "properties", "createdAt", "updatedAt")
          SELECT r."id", ${workspaceId}::uuid, r."externalId", r."name", r."segment", r."properties", ${now}, ${now}
          FROM jsonb_to_recordset(${json}::jsonb) AS r("id" uuid, "externalId" text, "name" text, "segment" text, "properties" jsonb)
          ORDER BY r."externalId"
          ON CONFLICT ("workspaceId", "externalId") DO NOTHING
          RETURNING "id"::text AS "id", "externalId"`
      ).map((c) => [c.externalId, c.id]),
    );
    // The others exist (a concurrent batch may have created some since the lock): updated where
    // a field differs, left alone (updatedAt too) where everything given is already stored.
    const updated = new Map(
      (
        await tx.$queryRaw<{ id: string; externalId: string; segment: string | null }[]>`
          WITH r AS (
            SELECT * FROM jsonb_to_recordset(${json}::jsonb)
              AS r("externalId" text, "name" text, "segment" text, "hasSegment" boolean, "properties" jsonb, "hasProperties" boolean)
            WHERE NOT (r."externalId" = ANY(${[...created.keys()]}::text[]))
          ), target AS (
            SELECT c."id", r."name",
              CASE WHEN r."hasSegment" THEN r."segment" ELSE c."segment" END AS "segment",
              CASE WHEN r."hasProperties" THEN r."properties" ELSE c."properties" END AS "properties"
            FROM "Customer" AS c JOIN r ON c."externalId" = r."externalId" WHERE c."workspaceId" = ${workspaceId}::uuid
          )
          UPDATE "Customer" AS c SET "name" = t."name", "segment" = t."segment", "properties" = t."properties", "updatedAt" = ${now}
          FROM target AS t
          WHERE c."workspaceId" = ${workspaceId}::uuid AND c."id" = t."id"
            AND (c."name", c."segment", c."properties") IS DISTINCT FROM (t."name", t."segment", t."properties")
          RETURNING c."id"::text AS "id", c."externalId", c."segment"`
      ).map((c) => [c.externalId, c]),
    );
    // Customers neither created nor updated nor seen by the lock: created by a concurrent batch since.
    const unseen = rows.filter(
      (r) => !before.has(r.externalId) && !created.has(r.externalId) && !updated.has(r.externalId),
    );
    const late = new Map(
      unseen.length
        ? (
            await tx.customer.findMany({
              where: { workspaceId, externalId: { in: unseen.map((r) => r.externalId) } },
              select: { id: true, externalId: true },
            })
          ).map((c) => [c.externalId, c.id])
        : [],
    );
    const rescore = [
      ...[...updated.values()]
        .filter((u) => {
          const old = before.get(u.externalId);
          return old?.scored === true && old.segment !== u.segment;
        })
        .map((u) => u.id),
      ...(options.scoreNew ? created.values() : []),
    ];
    const changes = await rescoreCustomersInTransaction(tx, workspaceId, rescore, now);
    return {
      results: inputs.map(({ externalId }) => {
        const id =
          created.get(externalId) ?? updated.get(externalId)?.id ?? before.get(externalId)?.id ?? late.get(externalId)!;
        return { id, externalId, created: created.has(externalId), updated: updated.has(externalId) };
      }),
      changes,
    };
  }, TRANSACTION);
}
