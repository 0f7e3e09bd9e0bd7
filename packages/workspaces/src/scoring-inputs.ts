// What the engine needs about a set of customers besides the model: segment, own weights, the
// manual assessments on record and the interactions, loaded in a few queries per chunk.
import type { PrismaClient, Sentiment } from '@pulso/database';
import type { CustomerScoringInput, InteractionInput, ManualAssessmentInput } from '@pulso/scoring';
import type { Tx } from './store-scores.ts';

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
  weights: Record<string, number>;
  /** Every assessment on record, newest first. */
  assessments: StoredAssessment[];
  /** Every interaction up to the latest instant asked for. */
  interactions: InteractionInput[];
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
export function scoringInputAt(customer: CustomerInputs, at: Date, weightOverrides?: Record<string, number | null>): CustomerScoringInput {
  let weights = customer.weights;
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

export async function loadCustomerInputs(db: Db, customerIds: string[], upTo: Date): Promise<CustomerInputs[]> {
  if (customerIds.length === 0) return [];
  const [customers, interactions, assessments] = await Promise.all([
    db.customer.findMany({
      where: { id: { in: customerIds } },
      select: { id: true, externalId: true, name: true, segment: true, weights: { select: { weight: true, category: { select: { key: true } } } } },
      orderBy: { id: 'asc' },
    }),
    // Every interaction of the customers, often hundreds each: one statement with the type's key
    // joined in, read raw — Prisma's model reads would take a second statement for the type and
    // cost several times more CPU per row, which a rating pays for each of its customer's rows.
    db.$queryRaw<{ id: string; customerId: string; occurredAt: Date; intensity: number; sentiment: Sentiment | null; value: number | null; typeKey: string }[]>`
      SELECT i."id"::text AS "id", i."customerId"::text AS "customerId", i."occurredAt", i."intensity", i."sentiment"::text AS "sentiment", i."value", t."key" AS "typeKey"
      FROM "Interaction" i JOIN "InteractionType" t ON t."id" = i."typeId"
      WHERE i."customerId" = ANY(${customerIds}::uuid[]) AND i."occurredAt" <= ${upTo}`,
    db.manualAssessment.findMany({
      where: { customerId: { in: customerIds } },
      select: { customerId: true, score: true, weight: true, reason: true, createdAt: true, expiresAt: true, endedAt: true },
      orderBy: { createdAt: 'desc' },
    }),
  ]);
  const byCustomer = new Map<string, CustomerInputs>();
  const result = customers.map((c) => {
    const inputs: CustomerInputs = {
      id: c.id,
      externalId: c.externalId,
      name: c.name,
      segment: c.segment,
      weights: Object.fromEntries(c.weights.map((w) => [w.category.key, w.weight])),
      assessments: [],
      interactions: [],
    };
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
    });
  }
  for (const { customerId, ...a } of assessments) byCustomer.get(customerId)?.assessments.push(a);
  return result;
}
