// The part of a formula-2 score read from a customer's interactions, in one pass: per category,
// decayed sums (activity over the recent and the baseline windows, what was said, good and bad),
// counts, the first and last contacts, grave signals, and the few interactions that would explain
// it. Everything after this (score-v2.ts, finishScoreV2) needs only the tally, the customer's
// weights and assessment, and its peers: an evaluation tallies every customer-instant in one read
// of the database and finishes the scores once the peers of each instant are known.
import type { CompiledModel } from '../compile.ts';
import { type DriverCandidate, TopDrivers } from '../drivers.ts';
import { occurredAtMs, typeOf } from '../interaction-checks.ts';
import type { InteractionInput } from '../types.ts';
import { requireDate } from '../validate.ts';
import { readInteraction } from './signals.ts';

/** Sums are kept in integers of 1/10,000 point so that they do not depend on interaction order. */
export const UNITS = 10_000;
export const MIN_DRIVER_UNITS = UNITS / 100;

export interface TallyV2 {
  /** The instant every decayed sum is taken at (epoch ms). */
  asOfMs: number;
  /** Per category (the model's order), in units: activity decayed at the recent rate… */
  activityRecent: number[];
  /** …and at the baseline rate, and the touches behind it (each touch 1, decayed). */
  activityBaseline: number[];
  touchesBaseline: number[];
  /** What was said, decayed at the baseline rate: good, bad, and good that needs engagement. */
  positive: number[];
  negative: number[];
  gatedPositive: number[];
  /** Interactions per category, undecayed. */
  seen: number[];
  firstAt: number;
  lastAt: number;
  lastContactAt: number;
  wastedTimeCount: number;
  graveUnits: number;
  interactionCount: number;
  /** The strongest interactions each way; absent when tallied without drivers. */
  drivers?: { raised: DriverCandidate[]; raisedGated: DriverCandidate[]; lowered: DriverCandidate[] };
}

export interface TallyOptions {
  /**
   * Keep the interactions that explain the score (default true). Without them a tally holds
   * numbers only, and keeping many (an evaluation's customer-instants) keeps no interaction alive.
   */
  drivers?: boolean;
}

export function tallyV2(
  model: CompiledModel,
  interactions: readonly InteractionInput[],
  asOf: Date,
  { drivers = true }: TallyOptions = {},
): TallyV2 {
  const asOfMs = requireDate('asOf', asOf);
  const count = model.categoryKeys.length;
  const activityRecent = zeros(count);
  const activityBaseline = zeros(count);
  const touchesBaseline = zeros(count);
  const positive = zeros(count);
  const negative = zeros(count);
  const gatedPositive = zeros(count);
  const seen = zeros(count);
  const raised = drivers ? new TopDrivers(true) : null;
  const raisedGated = drivers ? new TopDrivers(true) : null;
  const lowered = drivers ? new TopDrivers(false) : null;
  const recentRate = model.decayRate;
  const baselineRate = model.baselineRate;
  let firstAt = Infinity;
  let lastAt = -Infinity;
  let lastContactAt = -Infinity;
  let wastedTimeCount = 0;
  let graveUnits = 0;

  for (let index = 0; index < interactions.length; index++) {
    const interaction = interactions[index]!;
    const type = typeOf(model, interaction, index);
    const at = occurredAtMs(interaction, index, asOfMs);
    const category = type.categoryIndex;
    const activityCategory = model.measuresActivity[category]!;
    const reading = readInteraction(type, activityCategory, interaction, index);
    seen[category]! += 1;
    if (at < firstAt) firstAt = at;
    if (at > lastAt) lastAt = at;
    if (reading.endsSilence && at > lastContactAt) lastContactAt = at;
    if (reading.wastedTime) wastedTimeCount += 1;
    const baselineDecay = Math.exp((at - asOfMs) * baselineRate);
    if (reading.activity > 0) {
      activityRecent[category]! += Math.round(reading.activity * Math.exp((at - asOfMs) * recentRate) * UNITS);
      activityBaseline[category]! += Math.round(reading.activity * baselineDecay * UNITS);
      touchesBaseline[category]! += Math.round(baselineDecay * UNITS);
    }
    if (reading.grave) {
      const units = Math.round(-reading.valence * baselineDecay * UNITS);
      graveUnits += units;
      if (units >= MIN_DRIVER_UNITS) lowered?.offer(-units, interaction, category);
    } else if (reading.valence !== 0) {
      // What a customer said is remembered over the baseline window, longer than what it did.
      const units = Math.round(reading.valence * baselineDecay * UNITS);
      if (units < 0) {
        negative[category]! -= units;
        if (units <= -MIN_DRIVER_UNITS) lowered?.offer(units, interaction, category);
      } else if (!activityCategory || type.requiresEngagement) {
        gatedPositive[category]! += units;
        if (units >= MIN_DRIVER_UNITS) raisedGated?.offer(units, interaction, category);
      } else {
        positive[category]! += units;
        if (units >= MIN_DRIVER_UNITS) raised?.offer(units, interaction, category);
      }
    }
  }

  const tally: TallyV2 = {
    asOfMs,
    activityRecent,
    activityBaseline,
    touchesBaseline,
    positive,
    negative,
    gatedPositive,
    seen,
    firstAt,
    lastAt,
    lastContactAt,
    wastedTimeCount,
    graveUnits,
    interactionCount: interactions.length,
  };
  if (raised && raisedGated && lowered)
    tally.drivers = { raised: raised.items, raisedGated: raisedGated.items, lowered: lowered.items };
  return tally;
}

function zeros(count: number): number[] {
  return new Array<number>(count).fill(0);
}
