// Records interactions and their effect on scores in one transaction, so that no reader ever sees
// an interaction without the score it produced. Each write carries an idempotency key: a retry
// with the same key and the same content returns the original interaction; the same key with
// other content is refused. Concurrent duplicates are settled by the unique index on
// (workspaceId, idempotencyKey) with INSERT ... ON CONFLICT DO NOTHING, never by a read-then-write.
import { createHash, randomUUID } from 'node:crypto';
import type { Band, JourneyStage, PrismaClient, Sentiment } from '@pulso/database';
import { ScoringInputError, scoreCustomer, type CompiledModel, type ScoreResult } from '@pulso/scoring';
import { interactionsAt, loadCustomerInputs, scoringInputAt } from '../scores/scoring-inputs.ts';
import { currentModel } from '../model/current-model.ts';
import { storeScores, type ComputedScore, type Tx } from '../scores/store-scores.ts';
import type { CustomerBeforeScore } from '../outbox/webhook-outbox.ts';
import { ValidationError, type FieldProblem } from '../validation/validation-error.ts';

export const MAX_BATCH = 1_000;
/** Client clocks run a little ahead: a time up to this far in the future is taken as now. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;
const MAX_KEY_LENGTH = 200;
const MAX_COMMENT_LENGTH = 10_000;
const MAX_SOURCE_LENGTH = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Names a customer by Pulso's id or the workspace's external id; with a name, a missing one is created. */
export interface CustomerRef {
  id?: string | null;
  externalId?: string | null;
  /** Creates the customer with this name when no customer has the external id. */
  name?: string | null;
}

export interface InteractionWrite {
  customer: CustomerRef;
  typeKey: string;
  /** Defaults to now. */
  occurredAt?: Date | null;
  intensity?: number | null;
  sentiment?: Sentiment | null;
  value?: number | null;
  comment?: string | null;
  journeyStage?: JourneyStage | null;
  source?: string | null;
  idempotencyKey: string;
}

/** Bad interactions: nothing was stored. Lists every problem found, each naming its field. */
export class InteractionValidationError extends ValidationError {
  override readonly name = 'InteractionValidationError';
}

/** An idempotency key already used for different content: nothing was stored. */
export class IdempotencyConflictError extends Error {
  override readonly name = 'IdempotencyConflictError';
  readonly code = 'IDEMPOTENCY_CONFLICT';
  constructor(
    readonly field: string,
    readonly idempotencyKey: string,
    readonly existingInteractionId: string,
    /** What the key names: an interaction, or an outcome for lifecycle events. */
    readonly subject: 'interaction' | 'outcome' = 'interaction',
  ) {
    super(
      `${field}: the idempotency key "${idempotencyKey}" was already used for a different ${subject}; use a new key for new content`,
    );
  }
}

export interface RecordedInteraction {
  interactionId: string;
  customerId: string;
  /** True when this write was a retry of one already recorded: nothing new was stored. */
  replayed: boolean;
}

/** A customer's score moved; published to live subscribers after the transaction commits. */
export interface ScoreChange {
  workspaceId: string;
  customerId: string;
  externalId: string;
  score: number;
  previousScore: number | null;
  band: Band;
  previousBand: Band | null;
  /** ISO 8601. */
  computedAt: string;
  modelVersion: number;
}

export interface RecordOptions {
  now?: Date;
  /** Prefix of field paths in problems: `interactions` for a batch, `input` for one write. */
  field?: (index: number) => string;
}

export interface RecordResult {
  results: RecordedInteraction[];
  changes: ScoreChange[];
}

/** Canonical hash of what a write says, to tell an honest retry from a reused key. */
function contentHash(customerId: string, w: InteractionWrite): string {
  const content = [
    customerId,
    w.typeKey,
    w.occurredAt ? w.occurredAt.toISOString() : null,
    w.intensity ?? 1,
    w.sentiment ?? null,
    w.value ?? null,
    w.comment ?? null,
    w.journeyStage ?? null,
    w.source ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

type Client = PrismaClient;

export async function recordInteractions(
  prisma: Client,
  workspaceId: string,
  writes: InteractionWrite[],
  options: RecordOptions = {},
): Promise<RecordResult> {
  const now = options.now ?? new Date();
  const field = options.field ?? ((i: number) => `interactions[${i}]`);
  if (writes.length > MAX_BATCH) {
    throw new InteractionValidationError([
      {
        field: 'interactions',
        code: 'TOO_MANY',
        message: `at most ${MAX_BATCH} interactions per batch, got ${writes.length}`,
      },
    ]);
  }
  checkShape(writes, now, field);
  if (writes.length === 0) return { results: [], changes: [] };

  return prisma.$transaction(
    async (tx: Tx) => {
      const { version, compiled, typeIds: types } = await currentModel(tx, workspaceId);
      checkAgainstModel(compiled, writes, now, field);
      const customerIds = await resolveCustomers(tx, workspaceId, writes, field, now);

      // Lock the customers in a fixed order before touching their interactions: concurrent writes
      // for one customer then score one after the other, each seeing the other's interaction.
      const ids = [...new Set(customerIds)].sort();
      // The same read tells the webhook outbox what the scores were, when an endpoint listens.
      const before = await tx.$queryRaw<(CustomerBeforeScore & { listened: boolean })[]>`
        SELECT "id"::text AS "id", "externalId", "name", "score", "band"::text AS "band",
          EXISTS (SELECT 1 FROM "WebhookEndpoint" WHERE "workspaceId" = ${workspaceId}::uuid AND "enabled") AS "listened"
        FROM "Customer" WHERE "id" = ANY(${ids}::uuid[]) ORDER BY "id" FOR UPDATE`;

      const rows = writes.map((w, index) => ({
        index,
        id: randomUUID(),
        workspaceId,
        customerId: customerIds[index]!,
        typeId: types.get(w.typeKey)!,
        occurredAt: (w.occurredAt && w.occurredAt.getTime() < now.getTime() ? w.occurredAt : now).toISOString(),
        intensity: w.intensity ?? 1,
        sentiment: w.sentiment ?? null,
        value: w.value ?? null,
        comment: w.comment ?? null,
        journeyStage: w.journeyStage ?? null,
        source: w.source ?? null,
        idempotencyKey: w.idempotencyKey,
        contentHash: contentHash(customerIds[index]!, w),
      }));
      // Keys in a fixed order, so two batches sharing keys wait on each other instead of deadlocking.
      const ordered = [...rows].sort((a, b) =>
        a.idempotencyKey < b.idempotencyKey ? -1 : a.idempotencyKey > b.idempotencyKey ? 1 : 0,
      );
      const inserted = await tx.$queryRaw<{ idempotencyKey: string }[]>`
        INSERT INTO "Interaction" ("id", "workspaceId", "customerId", "typeId", "occurredAt", "intensity", "sentiment",
          "value", "comment", "journeyStage", "source", "idempotencyKey", "contentHash")
        SELECT r."id", r."workspaceId", r."customerId", r."typeId", r."occurredAt", r."intensity", r."sentiment"::"Sentiment",
          r."value", r."comment", r."journeyStage"::"JourneyStage", r."source", r."idempotencyKey", r."contentHash"
        FROM jsonb_to_recordset(${JSON.stringify(ordered)}::jsonb) AS r("id" uuid, "workspaceId" uuid, "customerId" uuid, "typeId" uuid,
          "occurredAt" timestamp(3), "intensity" double precision, "sentiment" text, "value" double precision, "comment" text,
          "journeyStage" text, "source" text, "idempotencyKey" text, "contentHash" text)
        ON CONFLICT ("workspaceId", "idempotencyKey") DO NOTHING
        RETURNING "idempotencyKey"`;
      const fresh = new Set(inserted.map((r) => r.idempotencyKey));

      const results: RecordedInteraction[] = rows.map((r) => ({
        interactionId: r.id,
        customerId: r.customerId,
        replayed: false,
      }));
      const retried = rows.filter((r) => !fresh.has(r.idempotencyKey));
      if (retried.length > 0) {
        const existing = await tx.interaction.findMany({
          where: { workspaceId, idempotencyKey: { in: retried.map((r) => r.idempotencyKey) } },
          select: { id: true, customerId: true, idempotencyKey: true, contentHash: true },
        });
        const byKey = new Map(existing.map((e) => [e.idempotencyKey!, e]));
        for (const row of retried) {
          const original = byKey.get(row.idempotencyKey)!;
          if (original.contentHash !== row.contentHash) {
            throw new IdempotencyConflictError(`${field(row.index)}.idempotencyKey`, row.idempotencyKey, original.id);
          }
          results[row.index] = { interactionId: original.id, customerId: original.customerId, replayed: true };
        }
      }

      // Scored as of now, once the customers are locked, not as of `now` when the call began: a
      // concurrent write that took `now` later but committed first has already stored an
      // interaction after our `now`, and a score as of our `now` would leave it out for good.
      const scoredAt = options.now ?? new Date();
      const touched = [...new Set(rows.filter((r) => fresh.has(r.idempotencyKey)).map((r) => r.customerId))];
      const computed = await scoreCustomers(tx, compiled, touched, scoredAt);
      const previous = new Map(before.map((b) => [b.id, b]));
      await storeScores(tx, workspaceId, version, scoredAt, computed, {
        lockedBefore: before[0]?.listened ? previous : new Map(),
      });
      const changes = computed.map(({ customerId, result }) =>
        scoreChangeOf(workspaceId, customerId, previous.get(customerId)!, result, scoredAt, version),
      );
      return { results, changes };
    },
    // Writers queue for the one PGlite connection or the pool: wait rather than fail.
    { maxWait: 60_000, timeout: 120_000 },
  );
}

/**
 * Scores customers from everything stored for them up to `asOf` (interactions, own weights,
 * manual assessments), read inside the caller's transaction, the same way the rescoring job does.
 */
export async function scoreCustomers(
  tx: Tx,
  compiled: CompiledModel,
  customerIds: string[],
  asOf: Date,
): Promise<ComputedScore[]> {
  const customers = await loadCustomerInputs(tx, customerIds, asOf);
  return customers.map((customer) => ({
    customerId: customer.id,
    result: scoreCustomer(compiled, scoringInputAt(customer, asOf), interactionsAt(customer, asOf), asOf),
  }));
}

/** Rescores some customers now, inside a transaction the caller holds (e.g. after a segment change). */
export async function rescoreCustomersInTransaction(
  tx: Tx,
  workspaceId: string,
  customerIds: string[],
  now: Date,
): Promise<ScoreChange[]> {
  if (customerIds.length === 0) return [];
  const { version, compiled } = await currentModel(tx, workspaceId);
  const before = await tx.customer.findMany({
    where: { id: { in: customerIds }, workspaceId },
    select: { id: true, externalId: true, score: true, band: true },
  });
  const computed = await scoreCustomers(
    tx,
    compiled,
    before.map((b) => b.id),
    now,
  );
  await storeScores(tx, workspaceId, version, now, computed);
  const previous = new Map(before.map((b) => [b.id, b]));
  return computed.map(({ customerId, result }) =>
    scoreChangeOf(workspaceId, customerId, previous.get(customerId)!, result, now, version),
  );
}

/** The event for a customer whose score was just computed, from what was stored before. */
export function scoreChangeOf(
  workspaceId: string,
  customerId: string,
  before: { externalId: string; score: number | null; band: Band | null },
  result: ScoreResult,
  computedAt: Date,
  modelVersion: number,
): ScoreChange {
  return {
    workspaceId,
    customerId,
    externalId: before.externalId,
    score: result.score,
    previousScore: before.score,
    band: result.band.key,
    previousBand: before.band,
    computedAt: computedAt.toISOString(),
    modelVersion,
  };
}

/** Checks what can be checked without the database; throws every problem at once. */
function checkShape(writes: InteractionWrite[], now: Date, field: (i: number) => string): void {
  const problems: FieldProblem[] = [];
  const keys = new Map<string, number>();
  writes.forEach((w, i) => {
    const at = field(i);
    const hasId = w.customer.id != null;
    const hasExternal = w.customer.externalId != null;
    if (hasId === hasExternal)
      problems.push({ field: `${at}.customer`, code: 'INVALID', message: 'give exactly one of id or externalId' });
    if (hasExternal && w.customer.externalId!.trim() === '')
      problems.push({ field: `${at}.customer.externalId`, code: 'INVALID', message: 'must not be empty' });
    if (hasId && w.customer.name != null)
      problems.push({
        field: `${at}.customer.name`,
        code: 'INVALID',
        message: 'a name creates a missing customer: give it with externalId, not id',
      });
    if (w.customer.name != null && w.customer.name.trim() === '')
      problems.push({ field: `${at}.customer.name`, code: 'INVALID', message: 'must not be empty' });
    const key = w.idempotencyKey;
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
      problems.push({
        field: `${at}.idempotencyKey`,
        code: 'INVALID',
        message: `must be 1 to ${MAX_KEY_LENGTH} characters`,
      });
    } else if (keys.has(key)) {
      problems.push({
        field: `${at}.idempotencyKey`,
        code: 'DUPLICATE_KEY',
        message: `"${key}" is also used by ${field(keys.get(key)!)} in this batch`,
      });
    } else keys.set(key, i);
    if (w.occurredAt) {
      if (Number.isNaN(w.occurredAt.getTime()))
        problems.push({ field: `${at}.occurredAt`, code: 'INVALID_DATE', message: 'is not a valid date' });
      else if (w.occurredAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
        problems.push({
          field: `${at}.occurredAt`,
          code: 'FUTURE_DATE',
          message: `${w.occurredAt.toISOString()} is in the future (now is ${now.toISOString()})`,
        });
      }
    }
    if (w.source != null && (w.source.length === 0 || w.source.length > MAX_SOURCE_LENGTH)) {
      problems.push({
        field: `${at}.source`,
        code: 'INVALID',
        message: `must be 1 to ${MAX_SOURCE_LENGTH} characters`,
      });
    }
    if (w.comment != null && w.comment.length > MAX_COMMENT_LENGTH) {
      problems.push({
        field: `${at}.comment`,
        code: 'TOO_LONG',
        message: `at most ${MAX_COMMENT_LENGTH} characters, got ${w.comment.length}`,
      });
    }
  });
  if (problems.length) throw new InteractionValidationError(problems);
}

/** The engine's own checks (type key, survey answer on its scale, intensity) on each write alone. */
function checkAgainstModel(
  compiled: CompiledModel,
  writes: InteractionWrite[],
  now: Date,
  field: (i: number) => string,
): void {
  const problems: FieldProblem[] = [];
  writes.forEach((w, i) => {
    try {
      const at = w.occurredAt && w.occurredAt.getTime() < now.getTime() ? w.occurredAt : now;
      scoreCustomer(
        compiled,
        {},
        [
          {
            id: 'check',
            typeKey: w.typeKey,
            occurredAt: at,
            intensity: w.intensity ?? 1,
            sentiment: w.sentiment ?? null,
            value: w.value ?? null,
          },
        ],
        now,
      );
    } catch (error) {
      if (!(error instanceof ScoringInputError)) throw error;
      // The API calls the type key `type`.
      const name = error.field.replace(/^interactions\[0\]\./, '').replace(/^typeKey$/, 'type');
      const code = error.code === 'UNKNOWN_KEY' && name === 'type' ? 'UNKNOWN_INTERACTION_TYPE' : error.code;
      problems.push({ field: `${field(i)}.${name}`, code, message: error.message.replace(/^[^:]*: /, '') });
    }
  });
  if (problems.length) throw new InteractionValidationError(problems);
}

/** Pulso ids of the named customers, creating the missing ones that come with a name. */
export async function resolveCustomers(
  tx: Tx,
  workspaceId: string,
  writes: readonly { customer: CustomerRef }[],
  field: (i: number) => string,
  now: Date,
): Promise<string[]> {
  const byId = [...new Set(writes.map((w) => w.customer.id).filter((id): id is string => id != null && UUID.test(id)))];
  const found = new Set(
    byId.length
      ? (await tx.customer.findMany({ where: { workspaceId, id: { in: byId } }, select: { id: true } })).map(
          (c) => c.id,
        )
      : [],
  );
  const externalIds = [...new Set(writes.map((w) => w.customer.externalId).filter((e): e is string => e != null))];
  const byExternal = await customerIdsByExternalId(tx, workspaceId, externalIds);
  // Customers named with a name are created when missing. Looked up first: most writes are for
  // customers that exist, and then the lookup is the only statement.
  const toCreate = new Map<string, string>();
  for (const w of writes) {
    const externalId = w.customer.externalId;
    if (externalId != null && w.customer.name != null && !byExternal.has(externalId) && !toCreate.has(externalId))
      toCreate.set(externalId, w.customer.name.trim());
  }
  if (toCreate.size > 0) {
    await insertMissingCustomers(
      tx,
      workspaceId,
      [...toCreate].sort().map(([externalId, name]) => ({ externalId, name })),
      now,
    );
    // Read again rather than trusting RETURNING: a concurrent write may have created some of them.
    for (const [externalId, id] of await customerIdsByExternalId(tx, workspaceId, [...toCreate.keys()]))
      byExternal.set(externalId, id);
  }
  const problems: FieldProblem[] = [];
  const ids = writes.map((w, i) => {
    if (w.customer.id != null) {
      if (found.has(w.customer.id)) return w.customer.id;
      problems.push({
        field: `${field(i)}.customer.id`,
        code: 'NOT_FOUND',
        message: `no customer has id "${w.customer.id}"`,
      });
      return '';
    }
    const id = byExternal.get(w.customer.externalId!);
    if (id) return id;
    problems.push({
      field: `${field(i)}.customer.externalId`,
      code: 'NOT_FOUND',
      message: `no customer has external id "${w.customer.externalId}"; give customer.name to create it`,
    });
    return '';
  });
  if (problems.length) throw new InteractionValidationError(problems);
  return ids;
}

async function customerIdsByExternalId(
  tx: Tx,
  workspaceId: string,
  externalIds: string[],
): Promise<Map<string, string>> {
  if (externalIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ id: string; externalId: string }[]>`
    SELECT "id"::text AS "id", "externalId" FROM "Customer" WHERE "workspaceId" = ${workspaceId}::uuid AND "externalId" = ANY(${externalIds}::text[])`;
  return new Map(rows.map((r) => [r.externalId, r.id]));
}

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
  tx: Tx | Client,
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
  tx: Tx | Client,
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
