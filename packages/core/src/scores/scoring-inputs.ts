// What the engine needs about a set of customers besides the model: segment, own weights, the
// manual assessments on record and the interactions, loaded in a few queries per chunk.
import { Prisma, type PrismaClient, type Sentiment } from '@pulso/database';
import type { CustomerScoringInput, InteractionInput, ManualAssessmentInput } from '@pulso/scoring';
import type { Tx } from '../transaction.ts';

type Db = Tx | PrismaClient;

export interface StoredAssessment {
  score: number;
  weight: number;
  reason: string;
  createdAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
}

export interface CustomerInputs {
  id: string;
  externalId: string;
  name: string;
  segment: string | null;
  /** The customer's own weights now, by category key. */
  weights: Record<string, number>;
  /** Changes of those weights, newest first, each with the weight it replaced (weightsAt). */
  weightChanges: StoredWeightChange[];
  /** Every assessment on record, newest first. */
  assessments: StoredAssessment[];
  /** Every interaction up to the latest instant asked for. */
  interactions: InteractionInput[];
}

export interface StoredWeightChange {
  key: string;
  /** The customer's own weight for `key` before the change; null when it had none. */
  previous: number | null;
  at: Date;
}

/**
 * A customer's own weights at an instant: today's, with every change made after it undone, newest
 * first. A model version holds no customer's weights, so without this a weight set today was
 * applied to every past instant (the history rewritten, healthAsOf showing a weight that did not
 * exist then under the version in force then).
 */
export function weightsAt(
  customer: Pick<CustomerInputs, 'weights' | 'weightChanges'>,
  at: Date,
): Record<string, number> {
  const limit = at.getTime();
  const changes = customer.weightChanges;
  if (changes.length === 0 || changes[0]!.at.getTime() <= limit) return customer.weights;
  const weights = { ...customer.weights };
  for (const change of changes) {
    if (change.at.getTime() <= limit) break;
    if (change.previous === null) delete weights[change.key];
    else weights[change.key] = change.previous;
  }
  return weights;
}

/** The assessment a customer had at an instant: the newest one set by then, as the engine takes it. */
export function assessmentAt(assessments: readonly StoredAssessment[], at: Date): ManualAssessmentInput | null {
  for (const a of assessments) {
    if (a.createdAt.getTime() > at.getTime()) continue;
    // Ending one early (withdrawn, replaced) is the same, for the engine, as an earlier expiry.
    const end = a.endedAt && a.endedAt.getTime() < a.expiresAt.getTime() ? a.endedAt : a.expiresAt;
    if (end.getTime() <= a.createdAt.getTime()) return null;
    return { score: a.score, weight: a.weight, reason: a.reason, setAt: a.createdAt, expiresAt: end };
  }
  return null;
}

/** The engine's customer input at an instant. */
export function scoringInputAt(
  customer: CustomerInputs,
  at: Date,
  weightOverrides?: Record<string, number | null>,
): CustomerScoringInput {
  let weights = weightsAt(customer, at);
  if (weightOverrides) {
    weights = { ...weights };
    for (const [key, weight] of Object.entries(weightOverrides)) {
      if (weight === null) delete weights[key];
      else weights[key] = weight;
    }
  }
  return { segment: customer.segment, weights, assessment: assessmentAt(customer.assessments, at) };
}

/** Interactions that had happened by an instant (the engine refuses later ones). */
export function interactionsAt(customer: CustomerInputs, at: Date): InteractionInput[] {
  const limit = at.getTime();
  return customer.interactions.every((i) => i.occurredAt.getTime() <= limit)
    ? customer.interactions
    : customer.interactions.filter((i) => i.occurredAt.getTime() <= limit);
}

/**
 * A customer's scoring inputs as columns beside its row `c`: its own weights and its assessments as
 * JSON (one statement where Prisma's model reads took three, and less CPU on the path every rating
 * takes). Times travel as epoch milliseconds: JSON has no dates, and a timestamp without time zone
 * would read as local time. A write selects these while locking its customers (record-interactions.ts).
 */
export const CUSTOMER_INPUT_COLUMNS = Prisma.sql`c."id"::text AS "id", c."externalId", c."name", c."segment",
  COALESCE((SELECT jsonb_object_agg(k."key", w."weight") FROM "CustomerWeight" w
    JOIN "Category" k ON k."workspaceId" = w."workspaceId" AND k."id" = w."categoryId"
    WHERE w."workspaceId" = c."workspaceId" AND w."customerId" = c."id"), '{}'::jsonb) AS "weights",
  COALESCE((SELECT jsonb_agg(jsonb_build_object('key', h."categoryKey", 'previous', h."previousWeight",
      'at', round(extract(epoch FROM h."changedAt") * 1000)::bigint) ORDER BY h."changedAt" DESC, h."id" DESC)
    FROM "CustomerWeightChange" h WHERE h."workspaceId" = c."workspaceId" AND h."customerId" = c."id"), '[]'::jsonb) AS "weightChanges",
  COALESCE((SELECT jsonb_agg(jsonb_build_object('score', a."score", 'weight', a."weight", 'reason', a."reason",
      'createdAt', round(extract(epoch FROM a."createdAt") * 1000)::bigint,
      'expiresAt', round(extract(epoch FROM a."expiresAt") * 1000)::bigint,
      'endedAt', round(extract(epoch FROM a."endedAt") * 1000)::bigint)
      ORDER BY a."createdAt" DESC, a."id" DESC)
    FROM "ManualAssessment" a WHERE a."customerId" = c."id"), '[]'::jsonb) AS "assessments"`;

/** What CUSTOMER_INPUT_COLUMNS reads. */
export interface CustomerInputRow {
  id: string;
  externalId: string;
  name: string;
  segment: string | null;
  weights: Record<string, number>;
  weightChanges: { key: string; previous: number | null; at: number }[];
  assessments: {
    score: number;
    weight: number;
    reason: string;
    createdAt: number;
    expiresAt: number;
    endedAt: number | null;
  }[];
}

/** A customer's inputs from its CUSTOMER_INPUT_COLUMNS, without interactions. */
export function customerInputsOf(c: CustomerInputRow): CustomerInputs {
  return {
    id: c.id,
    externalId: c.externalId,
    name: c.name,
    segment: c.segment,
    weights: c.weights,
    weightChanges: c.weightChanges.map((w) => ({ key: w.key, previous: w.previous, at: new Date(Number(w.at)) })),
    assessments: c.assessments.map((a) => ({
      score: a.score,
      weight: a.weight,
      reason: a.reason,
      createdAt: new Date(Number(a.createdAt)),
      expiresAt: new Date(Number(a.expiresAt)),
      endedAt: a.endedAt === null ? null : new Date(Number(a.endedAt)),
    })),
    interactions: [],
  };
}

/**
 * The customers' scoring inputs with their interactions up to `upTo`; `null` reads none (a caller
 * that scores from a stored tally needs only the customer rows, and one statement fewer per write).
 */
export async function loadCustomerInputs(
  db: Db,
  workspaceId: string,
  customerIds: string[],
  upTo: Date | null,
): Promise<CustomerInputs[]> {
  if (customerIds.length === 0) return [];
  const [customers, interactions] = await Promise.all([
    db.$queryRaw<CustomerInputRow[]>`
      SELECT ${CUSTOMER_INPUT_COLUMNS}
      FROM "Customer" c WHERE c."workspaceId" = ${workspaceId}::uuid AND c."id" = ANY(${customerIds}::uuid[]) ORDER BY c."id"`,
    // Every interaction of the customers, often hundreds each: one statement with the type's key
    // joined in, read raw — Prisma's model reads would take a second statement for the type and
    // cost several times more CPU per row, which a rating pays for each of its customer's rows.
    upTo === null
      ? Promise.resolve([])
      : db.$queryRaw<
          {
            id: string;
            customerId: string;
            occurredAt: Date;
            intensity: number;
            sentiment: Sentiment | null;
            value: number | null;
            journeyStage: string | null;
            typeKey: string;
          }[]
        >`
      SELECT i."id"::text AS "id", i."customerId"::text AS "customerId", i."occurredAt", i."intensity", i."sentiment"::text AS "sentiment", i."value", i."journeyStage"::text AS "journeyStage", t."key" AS "typeKey"
      FROM "Interaction" i JOIN "InteractionType" t ON t."workspaceId" = ${workspaceId}::uuid AND t."id" = i."typeId"
      WHERE i."customerId" = ANY(${customerIds}::uuid[]) AND i."occurredAt" <= ${upTo}`,
  ]);
  const byCustomer = new Map<string, CustomerInputs>();
  const result = customers.map((c) => {
    const inputs = customerInputsOf(c);
    byCustomer.set(c.id, inputs);
    return inputs;
  });
  for (const row of interactions) {
    byCustomer.get(row.customerId)?.interactions.push({
      id: row.id,
      typeKey: row.typeKey,
      occurredAt: row.occurredAt,
      intensity: row.intensity,
      sentiment: row.sentiment,
      value: row.value,
      // Only a cancellation means something to scoring: other stages are left out of the inputs.
      ...(row.journeyStage === 'CANCELLATION' ? { journeyStage: row.journeyStage } : {}),
    });
  }
  return result;
}

/**
 * The inputs of every customer that is not churned, a chunk at a time in id order: what applying a
 * model change would rescore (what-if.ts) and who counts as a peer (measure-peers.ts).
 */
export async function* activeCustomerInputs(
  prisma: PrismaClient,
  workspaceId: string,
  upTo: Date,
  chunkSize: number,
): AsyncGenerator<CustomerInputs[]> {
  let cursor: string | undefined;
  for (;;) {
    const ids = (
      await prisma.customer.findMany({
        where: { workspaceId, churnedAt: null, ...(cursor ? { id: { gt: cursor } } : {}) },
        select: { id: true },
        orderBy: { id: 'asc' },
        take: chunkSize,
      })
    ).map((c) => c.id);
    if (ids.length === 0) return;
    cursor = ids[ids.length - 1];
    yield await loadCustomerInputs(prisma, workspaceId, ids, upTo);
  }
}
