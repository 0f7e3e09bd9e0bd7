// Computes customers' scores with the scoring engine and stores them: the current score, band and
// explanation on the customer, plus a snapshot for history. Customers are processed in chunks so a
// large workspace never holds all its interactions in memory, and each chunk is one transaction:
// a reader never sees half of a chunk rescored.
import type { PrismaClient } from '@pulso/database';
import { compileModel, scoreCustomer, type CompiledModel, type InteractionInput } from '@pulso/scoring';
import { loadScoringModel } from './scoring-model.ts';
import { insertSnapshots, type SnapshotRow } from './bulk-insert.ts';
import { historyBreakdown, storeScores, type ComputedScore, type Tx } from './store-scores.ts';

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

const DAY_MS = 24 * 60 * 60 * 1000;

export async function rescoreWorkspace(prisma: PrismaClient, workspaceId: string, options: RescoreOptions): Promise<RescoreSummary> {
  const { version, ...model } = await loadScoringModel(prisma, workspaceId);
  const compiled: CompiledModel = compileModel(model);
  const where = { workspaceId, ...(options.customerIds ? { id: { in: options.customerIds } } : {}) };
  const total = await prisma.customer.count({ where });
  const chunkSize = options.chunkSize ?? 500;
  let done = 0;
  let snapshots = 0;
  let cursor: string | undefined;

  while (done < total) {
    const customers = await prisma.customer.findMany({
      where,
      select: { id: true, segment: true, weights: { select: { weight: true, category: { select: { key: true } } } } },
      orderBy: { id: 'asc' },
      take: chunkSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (customers.length === 0) break;
    cursor = customers[customers.length - 1]!.id;
    const rows = await prisma.interaction.findMany({
      where: { customerId: { in: customers.map((c) => c.id) }, occurredAt: { lte: options.asOf } },
      select: { id: true, customerId: true, occurredAt: true, intensity: true, sentiment: true, value: true, type: { select: { key: true } } },
    });
    const byCustomer = new Map<string, InteractionInput[]>();
    for (const row of rows) {
      let list = byCustomer.get(row.customerId);
      if (!list) byCustomer.set(row.customerId, (list = []));
      list.push({ id: row.id, typeKey: row.type.key, occurredAt: row.occurredAt, intensity: row.intensity, sentiment: row.sentiment, value: row.value });
    }

    const history: SnapshotRow[] = [];
    const current: ComputedScore[] = [];
    const monthAgo = options.asOf.getTime() - 30 * DAY_MS;
    const earlier = new Map<string, number>();
    for (const customer of customers) {
      const all = byCustomer.get(customer.id) ?? [];
      const weights = Object.fromEntries(customer.weights.map((w) => [w.category.key, w.weight]));
      const input = { segment: customer.segment, weights };
      for (const at of options.historyAt ?? []) {
        const result = scoreCustomer(compiled, input, all.filter((i) => i.occurredAt.getTime() <= at.getTime()), at);
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
      current.push({ customerId: customer.id, result: scoreCustomer(compiled, input, all, options.asOf) });
    }

    await prisma.$transaction(async (tx: Tx) => {
      await insertSnapshots(tx, history);
      await storeScores(tx, workspaceId, version, options.asOf, current, earlier);
    });
    snapshots += history.length + current.length;
    done += customers.length;
    options.onProgress?.(done, total);
  }
  return { customers: done, snapshots, modelVersion: version };
}
