// Computes customers' scores with the scoring engine and stores them: the current score, band and
// explanation on the customer, plus a snapshot for history. Customers are processed in chunks so a
// large workspace never holds all its interactions in memory, and each chunk is one transaction:
// a reader never sees half of a chunk rescored.
import type { PrismaClient } from '@pulso/database';
import { type CompiledModel, compileModel, DAY_MS, peersFor, scoreCustomer, type StoredTally } from '@pulso/scoring';
import { measurePeers } from '../peers/measure-peers.ts';
import { loadPeerGroups, noPeers } from '../peers/peer-groups.ts';
import { interactionsAt, loadCustomerInputs, scoringInputAt } from '../scores/scoring-inputs.ts';
import { loadScoringModel } from '../model/load-scoring-model.ts';
import { insertSnapshots, type SnapshotRow } from '../recording/bulk-insert.ts';
import { EVERY_INTERACTION, scoreAsOf } from '../scores/score-from-state.ts';
import { historyBreakdown, storeScores, type ComputedScore } from '../scores/store-scores.ts';
import type { Tx } from '../transaction.ts';
import { CHUNK_TRANSACTION } from './history-grid.ts';

export interface RescoreOptions {
  /** The instant scores are computed for; stored as the customer's current score. */
  asOf: Date;
  /** Earlier instants to record snapshots for as well (for history), oldest first. */
  historyAt?: Date[];
  /** Only these customers; all of the workspace's otherwise. */
  customerIds?: string[];
  /** Customers per chunk (default 500). */
  chunkSize?: number;
  /** Called after each chunk with how many customers are done. */
  onProgress?: (done: number, total: number) => void;
}

export interface RescoreSummary {
  customers: number;
  snapshots: number;
  modelVersion: number;
}

export async function rescoreWorkspace(
  prisma: PrismaClient,
  workspaceId: string,
  options: RescoreOptions,
): Promise<RescoreSummary> {
  const { version, ...model } = await loadScoringModel(prisma, workspaceId);
  const compiled: CompiledModel = compileModel(model);
  const where = { workspaceId, ...(options.customerIds ? { id: { in: options.customerIds } } : {}) };
  const total = await prisma.customer.count({ where });
  const chunkSize = options.chunkSize ?? 500;
  let done = 0;
  let snapshots = 0;
  let cursor: string | undefined;
  // Formula 2 compares customers with their peers: today's, measured first when none is stored.
  let groups = await loadPeerGroups(prisma, workspaceId, compiled);
  if (noPeers(groups)) groups = await measurePeers(prisma, workspaceId, compiled, options.asOf);
  const context = (segment: string | null | undefined) => ({ peers: groups && peersFor(groups, segment) });

  while (done < total) {
    const ids = (
      await prisma.customer.findMany({
        where: cursor ? { AND: [where, { id: { gt: cursor } }] } : where,
        select: { id: true },
        orderBy: { id: 'asc' },
        take: chunkSize,
      })
    ).map((c) => c.id);
    if (ids.length === 0) break;
    cursor = ids[ids.length - 1]!;
    // Every interaction, later ones included: formula 2 stores each customer's tally with its score
    // only when none is after `asOf` (score-from-state.ts).
    const customers = await loadCustomerInputs(prisma, workspaceId, ids, EVERY_INTERACTION);
    const states = new Map<string, StoredTally | null>();

    const history: SnapshotRow[] = [];
    const current: ComputedScore[] = [];
    const monthAgo = options.asOf.getTime() - 30 * DAY_MS;
    const earlier = new Map<string, number>();
    for (const customer of customers) {
      for (const at of options.historyAt ?? []) {
        const input = scoringInputAt(customer, at);
        const result = scoreCustomer(compiled, input, interactionsAt(customer, at), at, context(input.segment));
        if (at.getTime() <= monthAgo) earlier.set(customer.id, result.score);
        history.push({
          workspaceId,
          customerId: customer.id,
          computedAt: at,
          score: result.score,
          band: result.band.key,
          coverage: result.coverage,
          breakdown: historyBreakdown(result),
          modelVersion: version,
        });
      }
      const { state, ...scored } = scoreAsOf(compiled, customer, options.asOf, groups ?? undefined);
      current.push(scored);
      if (state !== undefined) states.set(customer.id, state);
    }

    // A chunk's history is thousands of snapshots (a year of weeks per customer): on a loaded
    // machine it outlasted Prisma's default 5 s and failed a first start's demo seeding.
    await prisma.$transaction(async (tx: Tx) => {
      await insertSnapshots(tx, history);
      await storeScores(tx, workspaceId, version, options.asOf, current, {
        knownEarlier: earlier,
        ...(compiled.formula === 2 ? { states } : {}),
      });
    }, CHUNK_TRANSACTION);
    snapshots += history.length + current.length;
    done += customers.length;
    options.onProgress?.(done, total);
  }
  return { customers: done, snapshots, modelVersion: version };
}
