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
  type StoredTally,
  serializeTally,
  tallyCustomer,
} from '@pulso/scoring';
import type { Tx } from '../transaction.ts';
import { type CustomerInputs, interactionsAt, loadCustomerInputs, scoringInputAt } from './scoring-inputs.ts';
import type { ComputedScore } from './store-scores.ts';

/** Before any interaction: loadCustomerInputs then reads the customer's own inputs only. */
const NO_INTERACTIONS = new Date(0);
/** After every interaction (JavaScript's last date). */
const EVERY_INTERACTION = new Date(8.64e15);

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
  compiled: CompiledModel,
  modelVersion: number,
  stored: StoredState[],
  inserted: ReadonlyMap<string, InteractionInput[]>,
  asOf: Date,
  peers?: PeerGroups,
): Promise<ScoredFromState[]> {
  const tallies = new Map<string, CustomerTally>();
  for (const { customerId, scoringState, scoringStateModelVersion } of stored) {
    if (scoringStateModelVersion !== modelVersion) continue;
    const tally = parseStoredTally(compiled, scoringState);
    if (tally !== null && tally.asOfMs <= asOf.getTime()) tallies.set(customerId, tally);
  }
  const rebuild = stored.map((s) => s.customerId).filter((id) => !tallies.has(id));
  const [kept, fromHistory] = await Promise.all([
    loadCustomerInputs(tx, [...tallies.keys()], NO_INTERACTIONS),
    loadCustomerInputs(tx, rebuild, EVERY_INTERACTION),
  ]);
  const score = (
    customer: CustomerInputs,
    tally: CustomerTally,
    rebuilt: boolean,
    complete = true,
  ): ScoredFromState => {
    const input = scoringInputAt(customer, asOf);
    return {
      customerId: customer.id,
      result: finishScore(compiled, input, tally, asOf, { peers: peers && peersFor(peers, input.segment) }),
      state: complete ? serializeTally(tally) : null,
      rebuilt,
    };
  };
  return [
    ...kept.map((customer) =>
      score(customer, extendTally(compiled, tallies.get(customer.id)!, inserted.get(customer.id) ?? [], asOf), false),
    ),
    ...fromHistory.map((customer) => {
      const upToNow = interactionsAt(customer, asOf);
      return score(
        customer,
        tallyCustomer(compiled, upToNow, asOf),
        true,
        upToNow.length === customer.interactions.length,
      );
    }),
  ];
}
