// Builds the evaluation's observations from the database: at each instant of a grid, every
// customer active then is scored from what had happened by then, and labelled by whether it
// churned within the horizon after it. Customers are read in chunks, each chunk's interactions
// once, and scored at every instant from that one read: the cost is the engine's, not the
// database's (the target is within 3x the pure engine scoring the same customer-instants).
import type { PrismaClient } from '@pulso/database';
import type { Observation } from '@pulso/evaluation';
import { type CompiledModel, DAY_MS, scoreCustomer } from '@pulso/scoring';
import type { Tx } from '../transaction.ts';
import { interactionsAt, loadCustomerInputs, scoringInputAt } from '../scores/scoring-inputs.ts';

type Db = Tx | PrismaClient;

const CHUNK = 500;
const RECENT_DAYS = 30;

/** Which compiled model scores a given instant (a fixed version, a proposal, or the one in force). */
export type ModelAt = (at: Date) => CompiledModel;

export interface CollectOptions {
  workspaceId: string;
  instants: readonly Date[];
  horizonDays: number;
  modelAt: ModelAt;
  /** Called after each chunk with customers done and in all. */
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

interface Lifecycle {
  createdAt: Date;
  /** Churns and reactivations, oldest first. */
  events: { at: number; churn: boolean }[];
}

export async function collectObservations(db: Db, options: CollectOptions): Promise<Observation[]> {
  const { workspaceId, instants, horizonDays, modelAt } = options;
  const last = instants.reduce((a, b) => (a.getTime() > b.getTime() ? a : b));
  const total = await db.customer.count({ where: { workspaceId } });
  const observations: Observation[] = [];
  let after: string | null = null;
  let done = 0;
  for (;;) {
    const page: { id: string; createdAt: Date }[] = await db.customer.findMany({
      where: { workspaceId, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, createdAt: true },
      orderBy: { id: 'asc' },
      take: CHUNK,
    });
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    const ids = page.map((c) => c.id);
    const [inputs, outcomes] = await Promise.all([
      loadCustomerInputs(db, ids, last),
      db.customerOutcome.findMany({
        where: { workspaceId, customerId: { in: ids }, kind: { in: ['CHURNED', 'REACTIVATED'] } },
        select: { customerId: true, kind: true, occurredAt: true },
        orderBy: [{ occurredAt: 'asc' }, { createdAt: 'asc' }],
      }),
    ]);
    const lifecycles = new Map<string, Lifecycle>(page.map((c) => [c.id, { createdAt: c.createdAt, events: [] }]));
    for (const o of outcomes)
      lifecycles.get(o.customerId)!.events.push({ at: o.occurredAt.getTime(), churn: o.kind === 'CHURNED' });
    for (const customer of inputs) {
      const lifecycle = lifecycles.get(customer.id)!;
      for (const at of instants) {
        const observation = observe(customer, lifecycle, at, horizonDays, modelAt);
        if (observation) observations.push(observation);
      }
    }
    done += page.length;
    await options.onProgress?.(done, total);
    // Scoring a chunk is CPU work: let requests waiting on this process through between chunks.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return observations;
}

function observe(
  customer: Awaited<ReturnType<typeof loadCustomerInputs>>[number],
  lifecycle: Lifecycle,
  at: Date,
  horizonDays: number,
  modelAt: ModelAt,
): Observation | null {
  const atMs = at.getTime();
  const interactions = interactionsAt(customer, at);
  const known = lifecycle.createdAt.getTime() <= atMs || interactions.length > 0;
  if (!known) return null;
  // Churned by then (its latest churn or reactivation up to the instant is a churn): not active.
  let churnedThen = false;
  for (const e of lifecycle.events) if (e.at <= atMs) churnedThen = e.churn;
  if (churnedThen) return null;
  const nextChurn = lifecycle.events.find((e) => e.churn && e.at > atMs)?.at ?? null;
  const result = scoreCustomer(modelAt(at), scoringInputAt(customer, at), interactions, at);
  let recent = 0;
  let lastMs = -Infinity;
  const since = atMs - RECENT_DAYS * DAY_MS;
  for (const i of interactions) {
    const t = i.occurredAt.getTime();
    if (t > since) recent++;
    if (t > lastMs) lastMs = t;
  }
  return {
    customerId: customer.id,
    at,
    score: result.score,
    band: result.band.key,
    churned: nextChurn !== null && nextChurn <= atMs + horizonDays * DAY_MS,
    churnedAt: nextChurn === null ? null : new Date(nextChurn),
    interactionsLast30Days: recent,
    daysSinceLastInteraction: lastMs === -Infinity ? null : (atMs - lastMs) / DAY_MS,
  };
}
