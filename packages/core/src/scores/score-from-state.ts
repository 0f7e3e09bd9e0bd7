// Scoring the customers a write touched from their stored tallies (issue 19): the tally kept beside
// each customer is moved forward to now and takes the interactions this write inserted, then the
// score is finished from it, so a rating costs the same whatever the customer's history. A tally
// that cannot serve — none yet, built under another model version, of an older format, or taken
// after `asOf` (another instance's clock ahead) — is rebuilt from the history once, as before.
// Formula 1 keeps scoring from the history (scoreCustomers).
import {
  type CompiledModel,
  type CustomerTally,
  extendTally,
  finishScore,
  type InteractionInput,
  type PeerGroups,
  parseStoredTally,
  peersFor,
  scoreCustomer,
  type StoredTally,
  serializeTally,
  tallyCustomer,
} from '@pulso/scoring';
import type { Tx } from '../transaction.ts';
import { type CustomerInputs, interactionsAt, loadCustomerInputs, scoringInputAt } from './scoring-inputs.ts';
import type { ComputedScore } from './store-scores.ts';

/**
 * A customer scored from its whole history through a fresh tally, which is stored with the score:
 * what a write does when no tally can serve, and what a full rescoring does for every customer.
 * `customer` must hold every interaction it has, later ones included (load it up to
 * EVERY_INTERACTION): with any after `asOf`, no tally is stored (see ScoredFromState.state).
 */
export function scoreFromHistory(
  compiled: CompiledModel,
  customer: CustomerInputs,
  asOf: Date,
  peers: PeerGroups | undefined,
): ComputedScore & { state: StoredTally | null } {
  const upToNow = interactionsAt(customer, asOf);
  const tally = tallyCustomer(compiled, upToNow, asOf);
  return {
    customerId: customer.id,
    result: finishFor(compiled, customer, tally, asOf, peers),
    state: upToNow.length === customer.interactions.length ? serializeTally(tally) : null,
  };
}

/** The customer's score from its tally, with its own inputs and its segment's peers. */
function finishFor(
  compiled: CompiledModel,
  customer: CustomerInputs,
  tally: CustomerTally,
  asOf: Date,
  peers: PeerGroups | undefined,
) {
  const input = scoringInputAt(customer, asOf);
  return finishScore(compiled, input, tally, asOf, { peers: peers && peersFor(peers, input.segment) });
}

/** After every interaction (JavaScript's last date). */
export const EVERY_INTERACTION = new Date(8.64e15);

/**
 * A customer's score as of `asOf` from its whole history, under either formula: what a rescoring
 * does for each customer. Formula 2 goes through a fresh tally and returns it to store with the
 * score (scoreFromHistory); formula 1 scores the interactions known at `asOf`.
 */
export function scoreAsOf(
  compiled: CompiledModel,
  customer: CustomerInputs,
  asOf: Date,
  peers: PeerGroups | undefined,
): ComputedScore & { state?: StoredTally | null } {
  if (compiled.formula === 2) return scoreFromHistory(compiled, customer, asOf, peers);
  const input = scoringInputAt(customer, asOf);
  return {
    customerId: customer.id,
    result: scoreCustomer(compiled, input, interactionsAt(customer, asOf), asOf, {
      peers: peers && peersFor(peers, input.segment),
    }),
  };
}

export interface StoredState {
  customerId: string;
  scoringState: unknown;
  scoringStateModelVersion: number | null;
}

export interface ScoredFromState extends ComputedScore {
  /**
   * The tally as of `asOf`, to store beside the score; null when the history holds interactions
   * after `asOf` (another instance's clock ahead): a tally as of `asOf` would leave them out for
   * good, so none is stored and the next write rebuilds it.
   */
  state: StoredTally | null;
  /** Whether it was rebuilt from the history (no usable stored tally). */
  rebuilt: boolean;
}

export async function scoreCustomersFromState(
  tx: Tx,
  workspaceId: string,
  compiled: CompiledModel,
  modelVersion: number,
  stored: StoredState[],
  inserted: ReadonlyMap<string, InteractionInput[]>,
  asOf: Date,
  peers?: PeerGroups,
  /** The customers' inputs when the caller read them already (a write, while locking them). */
  preloaded?: ReadonlyMap<string, CustomerInputs>,
): Promise<ScoredFromState[]> {
  const tallies = new Map<string, CustomerTally>();
  for (const { customerId, scoringState, scoringStateModelVersion } of stored) {
    if (scoringStateModelVersion !== modelVersion) continue;
    const tally = parseStoredTally(compiled, scoringState);
    if (tally !== null && tally.asOfMs <= asOf.getTime()) tallies.set(customerId, tally);
  }
  const rebuild = stored.map((s) => s.customerId).filter((id) => !tallies.has(id));
  const keptIds = [...tallies.keys()];
  const [kept, fromHistory] = await Promise.all([
    preloaded && keptIds.every((id) => preloaded.has(id))
      ? keptIds.map((id) => preloaded.get(id)!)
      : loadCustomerInputs(tx, workspaceId, keptIds, null),
    loadCustomerInputs(tx, workspaceId, rebuild, EVERY_INTERACTION),
  ]);
  const score = (customer: CustomerInputs, tally: CustomerTally): ScoredFromState => ({
    customerId: customer.id,
    result: finishFor(compiled, customer, tally, asOf, peers),
    state: serializeTally(tally),
    rebuilt: false,
  });
  return [
    ...kept.map((customer) =>
      score(customer, extendTally(compiled, tallies.get(customer.id)!, inserted.get(customer.id) ?? [], asOf)),
    ),
    ...fromHistory.map((customer) => ({
      ...scoreFromHistory(compiled, customer, asOf, peers),
      rebuilt: true,
    })),
  ];
}
