// Builds the evaluation's observations from the database: at each instant of a grid, every
// customer active then is scored from what had happened by then, and labelled by whether it
// churned within the horizon after it. Customers are read in chunks, each chunk's interactions
// once, and scored at every instant from that one read: the cost is the engine's, not the
// database's (the target is within 3x the pure engine scoring the same customer-instants).
import type { PrismaClient, Sentiment } from '@pulso/database';
import type { Observation } from '@pulso/evaluation';
import {
  buildPeerGroups,
  type CompiledModel,
  type CustomerScoringInput,
  type CustomerTally,
  DAY_MS,
  finishScore,
  type InteractionInput,
  type PeerRates,
  peersFor,
  type ScoreResult,
  scoreCustomer,
  tallyCustomer,
  tallyPeerRates,
} from '@pulso/scoring';
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
  /** Called with each observation and the engine's full result behind it (fitting weights needs it). */
  onScored?: (observation: Observation, result: ScoreResult) => void;
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
  // Formula 2 compares each customer with its peers as of the same instant, so its scores can be
  // finished only once everyone was read: the one read of the interactions tallies each
  // customer-instant (numbers only, no interaction kept) and the peers' rates; the scores are
  // finished at the end. Formula 1 needs no peers and scores at once.
  const pending: Pending[] = [];
  const rates = new Map<number, PeerRates[]>(instants.map((at) => [at.getTime(), []]));
  const observations: Observation[] = [];
  await forEachChunk(
    db,
    workspaceId,
    last,
    (customer, lifecycle) => {
      for (const at of instants) {
        const observation = observe(customer, lifecycle, at, horizonDays);
        if (!observation) continue;
        observations.push(observation);
        const compiled = modelAt(at);
        const interactions = interactionsAt(customer, at);
        const input = scoringInputAt(customer, at);
        if (compiled.formula === 2) {
          const tally = tallyCustomer(compiled, interactions, at, { drivers: false });
          rates.get(at.getTime())!.push(tallyPeerRates(compiled, tally, input.segment));
          pending.push({ observation, compiled, input, tally });
        } else {
          scored(observation, scoreCustomer(compiled, input, interactions, at), options.onScored);
        }
      }
    },
    (done) => options.onProgress?.(done, total),
  );
  const peers = new Map([...rates].map(([at, list]) => [at, buildPeerGroups(list)]));
  for (const { observation, compiled, input, tally } of pending) {
    const groups = peers.get(observation.at.getTime())!;
    const result = finishScore(compiled, input, tally, observation.at, { peers: peersFor(groups, input.segment) });
    scored(observation, result, options.onScored);
  }
  return observations;
}

/** A formula-2 customer-instant read and tallied, its score to be finished once its peers are known. */
interface Pending {
  observation: Observation;
  compiled: CompiledModel;
  input: CustomerScoringInput;
  tally: CustomerTally;
}

function scored(observation: Observation, result: ScoreResult, onScored: CollectOptions['onScored']): void {
  observation.score = result.score;
  observation.band = result.band.key;
  onScored?.(observation, result);
}

type CustomerInputsOf = Awaited<ReturnType<typeof loadCustomerInputs>>[number];

/** Every customer with its interactions and lifecycle, chunk by chunk, yielding between chunks. */
async function forEachChunk(
  db: Db,
  workspaceId: string,
  last: Date,
  visit: (customer: CustomerInputsOf, lifecycle: Lifecycle) => Promise<void> | void,
  onChunk: (done: number) => void | Promise<void>,
): Promise<void> {
  let done = 0;
  // The next chunk is read while this one is scored: PostgreSQL finds and encodes its rows on
  // another core instead of the scoring waiting for them.
  let next = readChunk(db, workspaceId, null, last);
  for (;;) {
    const chunk = await next;
    if (!chunk) break;
    next = readChunk(db, workspaceId, chunk.page[chunk.page.length - 1]!.id, last);
    // Should scoring throw, the read under way must not become an unhandled rejection.
    next.catch(() => {});
    const { page, inputs, interactions, outcomes } = chunk;
    const lifecycles = new Map<string, Lifecycle>(page.map((c) => [c.id, { createdAt: c.createdAt, events: [] }]));
    for (const o of outcomes)
      lifecycles.get(o.customerId)!.events.push({ at: o.occurredAt.getTime(), churn: o.kind === 'CHURNED' });
    for (const customer of inputs) {
      customer.interactions = interactions.get(customer.id) ?? [];
      await visit(customer, lifecycles.get(customer.id)!);
    }
    done += page.length;
    await onChunk(done);
    // Scoring a chunk is CPU work: let requests waiting on this process through between chunks.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Known by then and not churned then: the customers an instant observes. */
function activeAt(customer: CustomerInputsOf, lifecycle: Lifecycle, at: Date): boolean {
  const atMs = at.getTime();
  const known = lifecycle.createdAt.getTime() <= atMs || interactionsAt(customer, at).length > 0;
  if (!known) return false;
  let churnedThen = false;
  for (const e of lifecycle.events) if (e.at <= atMs) churnedThen = e.churn;
  return !churnedThen;
}

/** The customers after `after` (by id), up to CHUNK, with everything needed to observe them; null when none is left. */
async function readChunk(db: Db, workspaceId: string, after: string | null, last: Date) {
  const page: { id: string; createdAt: Date }[] = await db.customer.findMany({
    where: { workspaceId, ...(after ? { id: { gt: after } } : {}) },
    select: { id: true, createdAt: true },
    orderBy: { id: 'asc' },
    take: CHUNK,
  });
  if (page.length === 0) return null;
  const ids = page.map((c) => c.id);
  const [inputs, interactions, outcomes] = await Promise.all([
    // The customers' own inputs (segment, weights, assessments) only: their interactions come below.
    loadCustomerInputs(db, workspaceId, ids, null),
    loadInteractions(db, ids, last),
    db.customerOutcome.findMany({
      where: { workspaceId, customerId: { in: ids }, kind: { in: ['CHURNED', 'REACTIVATED'] } },
      select: { customerId: true, kind: true, occurredAt: true },
      orderBy: [{ occurredAt: 'asc' }, { createdAt: 'asc' }],
    }),
  ]);
  return { page, inputs, interactions, outcomes };
}

/**
 * The chunk's interactions, one row per customer with its interactions as a JSON array of arrays.
 * Read as rows (loadCustomerInputs' way, right for the few hundred of one rescored customer), the
 * ~50,000 of a chunk cost the evaluation more than scoring them: per-row objects built by the driver
 * and then by Prisma, and the garbage they leave. JSON is parsed natively in one call per customer.
 * Times travel as epoch milliseconds (a timestamp without time zone would read as local time).
 */
async function loadInteractions(db: Db, customerIds: string[], upTo: Date): Promise<Map<string, InteractionInput[]>> {
  const rows = await db.$queryRaw<
    {
      customerId: string;
      interactions: [string, number, number, Sentiment | null, number | null, string, boolean][];
    }[]
  >`
    SELECT i."customerId"::text AS "customerId",
      json_agg(json_build_array(i."id", round(extract(epoch FROM i."occurredAt") * 1000)::bigint, i."intensity",
        i."sentiment", i."value", t."key", i."journeyStage" IS NOT DISTINCT FROM 'CANCELLATION')) AS "interactions"
    FROM "Interaction" i JOIN "InteractionType" t ON t."workspaceId" = i."workspaceId" AND t."id" = i."typeId"
    WHERE i."customerId" = ANY(${customerIds}::uuid[]) AND i."occurredAt" <= ${upTo}
    GROUP BY i."customerId"`;
  const byCustomer = new Map<string, InteractionInput[]>();
  for (const row of rows)
    byCustomer.set(
      row.customerId,
      row.interactions.map(([id, at, intensity, sentiment, value, typeKey, cancelling]) => ({
        id,
        typeKey,
        occurredAt: new Date(at),
        intensity,
        sentiment,
        value,
        ...(cancelling ? { journeyStage: 'CANCELLATION' } : {}),
      })),
    );
  return byCustomer;
}

/** The customer-instant with its label and the baselines' inputs; its score is set when scored. */
function observe(customer: CustomerInputsOf, lifecycle: Lifecycle, at: Date, horizonDays: number): Observation | null {
  const atMs = at.getTime();
  if (!activeAt(customer, lifecycle, at)) return null;
  const interactions = interactionsAt(customer, at);
  const nextChurn = lifecycle.events.find((e) => e.churn && e.at > atMs)?.at ?? null;
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
    score: Number.NaN,
    band: 'AT_RISK',
    churned: nextChurn !== null && nextChurn <= atMs + horizonDays * DAY_MS,
    churnedAt: nextChurn === null ? null : new Date(nextChurn),
    interactionsLast30Days: recent,
    daysSinceLastInteraction: lastMs === -Infinity ? null : (atMs - lastMs) / DAY_MS,
  };
}
