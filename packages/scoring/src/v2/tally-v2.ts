// The part of a formula-2 score read from a customer's interactions, in one pass: per category,
// decayed sums (activity over the recent and the baseline windows, what was said, good and bad),
// counts, the first and last contacts, grave signals, and the few interactions that would explain
// it. Everything after this (score-v2.ts, finishScoreV2) needs only the tally, the customer's
// weights and assessment, and its peers: an evaluation tallies every customer-instant in one read
// of the database and finishes the scores once the peers of each instant are known.
import type { CompiledModel } from '../compile.ts';
import { type DriverCandidate, offerDriver } from '../drivers.ts';
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
  /** Interactions per category, undecayed… */
  seen: number[];
  /** …and those that counted as activity: a category whose activity faded out still had some. */
  activitySeen: number[];
  firstAt: number;
  lastAt: number;
  /** Latest real engagement (activity, or a good word where activity is measured): it ends silence. */
  lastContactAt: number;
  /**
   * Latest good word that needs engagement behind it (a good answer, a thank-you to support): it
   * ends silence only as far as engagement backs it, like its points (score-v2.ts).
   */
  lastBackedContactAt: number;
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
  const tally = emptyTallyV2(model, requireDate('asOf', asOf), drivers);
  for (let index = 0; index < interactions.length; index++) addInteraction(model, tally, interactions[index]!, index);
  return tally;
}

/** A tally of nothing, taken at `asOfMs`. */
export function emptyTallyV2(model: CompiledModel, asOfMs: number, drivers = true): TallyV2 {
  const count = model.categoryKeys.length;
  const tally: TallyV2 = {
    asOfMs,
    activityRecent: zeros(count),
    activityBaseline: zeros(count),
    touchesBaseline: zeros(count),
    positive: zeros(count),
    negative: zeros(count),
    gatedPositive: zeros(count),
    seen: zeros(count),
    activitySeen: zeros(count),
    firstAt: Infinity,
    lastAt: -Infinity,
    lastContactAt: -Infinity,
    lastBackedContactAt: -Infinity,
    wastedTimeCount: 0,
    graveUnits: 0,
    interactionCount: 0,
  };
  if (drivers) tally.drivers = { raised: [], raisedGated: [], lowered: [] };
  return tally;
}

/**
 * Adds one interaction at or before the tally's instant, its points decayed to that instant.
 * Rounding each contribution to whole units makes a tally independent of the order of adding.
 */
export function addInteraction(
  model: CompiledModel,
  tally: TallyV2,
  interaction: InteractionInput,
  index: number,
): void {
  const asOfMs = tally.asOfMs;
  const type = typeOf(model, interaction, index);
  const at = occurredAtMs(interaction, index, asOfMs);
  const category = type.categoryIndex;
  const activityCategory = model.measuresActivity[category]!;
  const reading = readInteraction(type, activityCategory, interaction, index);
  tally.interactionCount += 1;
  tally.seen[category]! += 1;
  if (at < tally.firstAt) tally.firstAt = at;
  if (at > tally.lastAt) tally.lastAt = at;
  if (reading.endsSilence) {
    // Good words that need engagement (gated below) end silence only as far as engagement backs them.
    const backed = reading.activity === 0 && (!activityCategory || type.requiresEngagement);
    if (backed) {
      if (at > tally.lastBackedContactAt) tally.lastBackedContactAt = at;
    } else if (at > tally.lastContactAt) tally.lastContactAt = at;
  }
  if (reading.wastedTime) tally.wastedTimeCount += 1;
  const baselineDecay = Math.exp((at - asOfMs) * model.baselineRate);
  if (reading.activity > 0) {
    tally.activitySeen[category]! += 1;
    tally.activityRecent[category]! += Math.round(reading.activity * Math.exp((at - asOfMs) * model.decayRate) * UNITS);
    tally.activityBaseline[category]! += Math.round(reading.activity * baselineDecay * UNITS);
    tally.touchesBaseline[category]! += Math.round(baselineDecay * UNITS);
  }
  const drivers = tally.drivers;
  // What lowers: a grave signal on the whole score and a bad word in its category ("wasted my time"
  // is both), offered as one driver.
  let lowered = 0;
  if (reading.grave > 0) {
    const units = Math.round(reading.grave * baselineDecay * UNITS);
    tally.graveUnits += units;
    lowered += units;
  }
  if (reading.valence !== 0) {
    // What a customer said is remembered over the baseline window, longer than what it did.
    const units = Math.round(reading.valence * baselineDecay * UNITS);
    if (units < 0) {
      tally.negative[category]! -= units;
      lowered -= units;
    } else if (!activityCategory || type.requiresEngagement) {
      tally.gatedPositive[category]! += units;
      if (drivers && units >= MIN_DRIVER_UNITS) offerDriver(drivers.raisedGated, true, units, interaction, category);
    } else {
      tally.positive[category]! += units;
      if (drivers && units >= MIN_DRIVER_UNITS) offerDriver(drivers.raised, true, units, interaction, category);
    }
  }
  if (drivers && lowered >= MIN_DRIVER_UNITS) offerDriver(drivers.lowered, false, -lowered, interaction, category);
}

function zeros(count: number): number[] {
  return new Array<number>(count).fill(0);
}

/**
 * Moves a tally forward to `toMs`: every decayed sum is the earlier one times e^(−λΔt), exactly
 * (the sums are no longer whole units then, which a score never needs). Drivers decay alike, so
 * their order holds; those that fall under the driver threshold leave, as a recomputation would
 * not list them.
 */
export function advanceTallyV2(model: CompiledModel, tally: TallyV2, toMs: number): void {
  const elapsed = toMs - tally.asOfMs;
  if (elapsed < 0) throw new RangeError('a tally only moves forward in time');
  if (elapsed === 0) return;
  const recent = Math.exp(-elapsed * model.decayRate);
  const baseline = Math.exp(-elapsed * model.baselineRate);
  scale(tally.activityRecent, recent);
  for (const sums of [
    tally.activityBaseline,
    tally.touchesBaseline,
    tally.positive,
    tally.negative,
    tally.gatedPositive,
  ])
    scale(sums, baseline);
  tally.graveUnits *= baseline;
  if (tally.drivers)
    for (const list of [tally.drivers.raised, tally.drivers.raisedGated, tally.drivers.lowered]) {
      const kept = list
        .map((candidate) => ({ ...candidate, units: candidate.units * baseline }))
        .filter((candidate) => Math.abs(candidate.units) >= MIN_DRIVER_UNITS);
      list.splice(0, list.length, ...kept);
    }
  tally.asOfMs = toMs;
}

function scale(values: number[], factor: number): void {
  for (let i = 0; i < values.length; i++) values[i]! *= factor;
}
