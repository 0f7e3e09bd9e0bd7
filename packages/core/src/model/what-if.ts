// What a model change would do, without applying it: every customer scored "as of" one instant
// under the model in force and under the proposed one, in chunks (yielding to the event loop
// between them), tallying band changes and keeping the biggest movers.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { PrismaClient } from '@pulso/database';
import { type BandKey, compileModel, peersFor, scoreCustomer } from '@pulso/scoring';
import { loadPeerGroups } from '../peers/peer-groups.ts';
import { checkCustomerWeights, proposeModel } from './propose-model.ts';
import type { ModelOperation } from './model-operations.ts';
import { activeCustomerInputs, interactionsAt, loadCustomerInputs, scoringInputAt } from '../scores/scoring-inputs.ts';
import { loadScoringModel } from './load-scoring-model.ts';

export interface WhatIfMover {
  customerId: string;
  externalId: string;
  name: string;
  scoreBefore: number;
  scoreAfter: number;
  bandBefore: BandKey;
  bandAfter: BandKey;
}

export interface WhatIfResult {
  asOf: Date;
  modelVersion: number;
  customers: number;
  /** Customers whose band would change, and how many went up (towards healthy) or down. */
  bandChanged: number;
  improved: number;
  worsened: number;
  /** Counts per (from, to) pair with from ≠ to. */
  bandChanges: { from: BandKey; to: BandKey; count: number }[];
  /** Customers per band before and after. */
  bandsBefore: Record<BandKey, number>;
  bandsAfter: Record<BandKey, number>;
  averageBefore: number | null;
  averageAfter: number | null;
  /** Largest score changes, biggest first. */
  movers: WhatIfMover[];
}

export interface WhatIfOptions {
  asOf?: Date;
  chunkSize?: number;
  /** How many movers to report (default 10). */
  movers?: number;
}

const RANK: Record<BandKey, number> = { AT_RISK: 0, NEEDS_ATTENTION: 1, HEALTHY: 2 };
const round1 = (n: number) => Math.round(n * 10) / 10;

export async function previewModelChange(
  prisma: PrismaClient,
  workspaceId: string,
  operations: readonly ModelOperation[],
  options: WhatIfOptions = {},
): Promise<WhatIfResult> {
  const asOf = options.asOf ?? new Date();
  const chunkSize = options.chunkSize ?? 500;
  const limit = options.movers ?? 10;
  const { version, ...current } = await loadScoringModel(prisma, workspaceId);
  const proposed = proposeModel(current, operations);
  const before = compileModel(current);
  const changedIds = [...proposed.customerWeights.keys()];
  if (changedIds.length) {
    const found = await loadCustomerInputs(prisma, workspaceId, changedIds, null);
    checkCustomerWeights(proposed, found);
  }

  // Peers as the stored scores give them; a switch to formula 2 finds none until it is applied.
  const peers = await loadPeerGroups(prisma, workspaceId, proposed.compiled);
  const bandsBefore: Record<BandKey, number> = { AT_RISK: 0, NEEDS_ATTENTION: 0, HEALTHY: 0 };
  const bandsAfter: Record<BandKey, number> = { AT_RISK: 0, NEEDS_ATTENTION: 0, HEALTHY: 0 };
  const pairs = new Map<string, number>();
  let customers = 0;
  let improved = 0;
  let worsened = 0;
  let sumBefore = 0;
  let sumAfter = 0;
  let movers: WhatIfMover[] = [];

  // The customers applying the change would rescore: churned ones keep the score they left with.
  for await (const chunk of activeCustomerInputs(prisma, workspaceId, asOf, chunkSize)) {
    for (const customer of chunk) {
      const interactions = interactionsAt(customer, asOf);
      const input = scoringInputAt(customer, asOf);
      const a = scoreCustomer(before, input, interactions, asOf, { peers: peers && peersFor(peers, input.segment) });
      const overrides = { ...proposed.customerWeights.get(customer.id) };
      for (const key of proposed.deletedCategories) overrides[key] = null;
      const b = scoreCustomer(proposed.compiled, scoringInputAt(customer, asOf, overrides), interactions, asOf, {
        peers: peers && peersFor(peers, input.segment),
      });
      customers += 1;
      sumBefore += a.score;
      sumAfter += b.score;
      bandsBefore[a.band.key] += 1;
      bandsAfter[b.band.key] += 1;
      if (a.band.key !== b.band.key) {
        const pair = `${a.band.key}>${b.band.key}`;
        pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
        if (RANK[b.band.key] > RANK[a.band.key]) improved += 1;
        else worsened += 1;
      }
      if (a.score !== b.score) {
        movers.push({
          customerId: customer.id,
          externalId: customer.externalId,
          name: customer.name,
          scoreBefore: a.score,
          scoreAfter: b.score,
          bandBefore: a.band.key,
          bandAfter: b.band.key,
        });
      }
    }
    movers = topMovers(movers, limit);
    await yieldToEventLoop();
  }

  return {
    asOf,
    modelVersion: version,
    customers,
    bandChanged: improved + worsened,
    improved,
    worsened,
    bandChanges: [...pairs]
      .map(([pair, count]) => {
        const [from, to] = pair.split('>') as [BandKey, BandKey];
        return { from, to, count };
      })
      .sort((x, y) => y.count - x.count || (x.from + x.to < y.from + y.to ? -1 : 1)),
    bandsBefore,
    bandsAfter,
    averageBefore: customers ? round1(sumBefore / customers) : null,
    averageAfter: customers ? round1(sumAfter / customers) : null,
    movers,
  };
}

function topMovers(movers: WhatIfMover[], limit: number): WhatIfMover[] {
  return movers
    .sort(
      (x, y) =>
        Math.abs(y.scoreAfter - y.scoreBefore) - Math.abs(x.scoreAfter - x.scoreBefore) ||
        (x.customerId < y.customerId ? -1 : 1),
    )
    .slice(0, limit);
}
