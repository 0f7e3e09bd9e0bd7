// Scoring in two steps, for formula 2: tally a customer's interactions once, finish the score
// later. A customer's score depends on its peers' activity at the same instant, and its peers' on
// its own: an evaluation over many customers and instants tallies each customer-instant in one
// read of the interactions, builds each instant's peers from the tallies, then finishes every
// score from its tally alone. `finishScore(tallyCustomer(…))` is `scoreCustomer(…)`, to the bit.
//
// A tally is also the state a write keeps beside its customer (issue 19): `extendTally` moves it
// forward in time (every decayed sum times e^(−λΔt)) and adds the new interactions, late ones
// included, so a write scores its customer from the stored tally and its own interactions instead
// of the customer's whole history. Within 0.05 points of a recomputation (tally.test.ts).
import type { CompiledModel } from './compile.ts';
import type { ScoringContext } from './score.ts';
import type { CustomerScoringInput, InteractionInput, ScoreResult } from './types.ts';
import type { PeerRates } from './v2/activity.ts';
import { finishScoreV2, peerRatesOfTally } from './v2/score-v2.ts';
import { loadTally, type StoredTally, storeTally } from './v2/tally-json.ts';
import { addInteraction, advanceTallyV2, type TallyOptions, type TallyV2, tallyV2 } from './v2/tally-v2.ts';
import { resolveWeights } from './weights.ts';

export type CustomerTally = TallyV2;
export type { StoredTally, TallyOptions };

function requireFormula2(model: CompiledModel, what: string): void {
  // Formula 1 reads no peers: it scores in one step (scoreCustomer).
  if (model.formula !== 2) throw new RangeError(`${what}: only formula 2 scores in two steps`);
}

export function tallyCustomer(
  model: CompiledModel,
  interactions: readonly InteractionInput[],
  asOf: Date,
  options?: TallyOptions,
): CustomerTally {
  requireFormula2(model, 'tallyCustomer');
  return tallyV2(model, interactions, asOf, options);
}

export function finishScore(
  model: CompiledModel,
  customer: CustomerScoringInput,
  tally: CustomerTally,
  asOf: Date,
  context: ScoringContext = {},
): ScoreResult {
  requireFormula2(model, 'finishScore');
  return finishScoreV2(model, customer, tally, asOf, resolveWeights(model, customer), context.peers);
}

/** What a customer's peers read of it (the same as `peerRatesOf` on its finished score). */
export function tallyPeerRates(
  model: CompiledModel,
  tally: CustomerTally,
  segment: string | null | undefined,
): PeerRates {
  requireFormula2(model, 'tallyPeerRates');
  return peerRatesOfTally(model, tally, segment);
}

/**
 * The tally as of `asOf` with `interactions` (at or before `asOf`) added: a new tally, the given
 * one untouched. Throws a RangeError when `asOf` is before the tally's instant (a tally only moves
 * forward: score from the history then).
 */
export function extendTally(
  model: CompiledModel,
  tally: CustomerTally,
  interactions: readonly InteractionInput[],
  asOf: Date,
): CustomerTally {
  requireFormula2(model, 'extendTally');
  const next = structuredClone(tally);
  advanceTallyV2(model, next, asOf.getTime());
  for (let index = 0; index < interactions.length; index++) addInteraction(model, next, interactions[index]!, index);
  return next;
}

/** The tally as JSON to store (Infinity and Dates have no JSON form). */
export function serializeTally(tally: CustomerTally): StoredTally {
  return storeTally(tally);
}

/** A stored tally back, or null when it is not one of this format for this model's categories (rebuild it). */
export function parseStoredTally(model: CompiledModel, stored: unknown): CustomerTally | null {
  return loadTally(stored, model.categoryKeys.length);
}
