// Scoring customers inside a transaction the caller holds, from everything stored for them: the
// write paths (recording, assessments, a segment change) score the customers they touched before
// committing, so no reader sees a change without the score it produced.
import { type CompiledModel, type PeerGroups, peersFor, scoreCustomer } from '@pulso/scoring';
import { currentModel } from '../model/current-model.ts';
import { loadPeerGroups } from '../peers/peer-groups.ts';
import type { Tx } from '../transaction.ts';
import { scoreChangeOf, type ScoreChange } from './score-change.ts';
import { interactionsAt, loadCustomerInputs, scoringInputAt } from './scoring-inputs.ts';
import { storeScores, type ComputedScore } from './store-scores.ts';

/**
 * Scores customers from everything stored for them up to `asOf` (interactions, own weights,
 * manual assessments), read inside the caller's transaction, the same way the rescoring job does.
 */
export async function scoreCustomers(
  tx: Tx,
  workspaceId: string,
  compiled: CompiledModel,
  customerIds: string[],
  asOf: Date,
  peers?: PeerGroups,
): Promise<ComputedScore[]> {
  const customers = await loadCustomerInputs(tx, workspaceId, customerIds, asOf);
  return customers.map((customer) => {
    const input = scoringInputAt(customer, asOf);
    return {
      customerId: customer.id,
      result: scoreCustomer(compiled, input, interactionsAt(customer, asOf), asOf, {
        peers: peers && peersFor(peers, input.segment),
      }),
    };
  });
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
    workspaceId,
    compiled,
    before.map((b) => b.id),
    now,
    await loadPeerGroups(tx, workspaceId, compiled, now),
  );
  await storeScores(tx, workspaceId, version, now, computed);
  const previous = new Map(before.map((b) => [b.id, b]));
  return computed.map(({ customerId, result }) =>
    scoreChangeOf(workspaceId, customerId, previous.get(customerId)!, result, now, version),
  );
}
