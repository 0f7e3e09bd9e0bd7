// Scores one customer in a single pass over its interactions. The formulas are in
// docs/scoring-model.md; this file is the arithmetic, ordered for speed (every customer is
// rescored daily, so no sorting, no per-interaction allocation beyond the few drivers).
import type { CompiledModel } from './compile.ts';
import { activeAssessment, manualAssessmentParams } from './assessment.ts';
import { bandFor } from './band.ts';
import { silenceFactor, subScoreFromPoints } from './curves.ts';
import { DRIVER_COUNT, TopDrivers, type DriverCandidate } from './drivers.ts';
import { occurredAtMs, typeOf } from './interaction-checks.ts';
import { buildFlags } from './flags.ts';
import { intensityOf, signedFactor } from './interaction-points.ts';
import type { CategoryScore, CustomerScoringInput, Driver, InteractionInput, ScoreResult } from './types.ts';
import { requireDate } from './validate.ts';
import type { PeerReference } from './v2/activity.ts';
import { scoreCustomerV2 } from './v2/score-v2.ts';
import { resolveWeights } from './weights.ts';

/**
 * Points are summed as integers of 1/10,000 point: integer sums are exact, so the result does
 * not depend on the order of the interactions, to the last bit.
 */
const UNITS_PER_POINT = 10_000;

/** An interaction that moved its category by less than 0.01 point explains nothing. */
const MIN_DRIVER_UNITS = UNITS_PER_POINT / 100;

/** The score of a customer we know nothing about, and the sub-score of a category at net zero. */
export const NEUTRAL_SCORE = 50;

/** What scoring may know beyond the customer itself. */
export interface ScoringContext {
  /** Formula 2: the activity of the customer's segment peers, for the level reading. */
  peers?: PeerReference;
}

export function scoreCustomer(
  model: CompiledModel,
  customer: CustomerScoringInput,
  interactions: readonly InteractionInput[],
  asOf: Date,
  context: ScoringContext = {},
): ScoreResult {
  const weights = resolveWeights(model, customer);
  if (model.formula === 2) return scoreCustomerV2(model, customer, interactions, asOf, weights, context.peers);
  const asOfMs = requireDate('asOf', asOf);
  const categoryCount = model.categoryKeys.length;
  const netUnits = new Array<number>(categoryCount).fill(0);
  const gatedUnits = new Array<number>(categoryCount).fill(0);
  const counts = new Array<number>(categoryCount).fill(0);
  const raised = new TopDrivers(true);
  const raisedGated = new TopDrivers(true);
  const lowered = new TopDrivers(false);
  const rate = model.decayRate;
  let lastAt = -Infinity;
  let lastContactAt = -Infinity;
  let wastedTimeCount = 0;

  for (let index = 0; index < interactions.length; index++) {
    const interaction = interactions[index]!;
    const type = typeOf(model, interaction, index);
    const at = occurredAtMs(interaction, index, asOfMs);
    const undecayed = type.basePoints * intensityOf(interaction, index) * signedFactor(type, interaction, index);
    const units = Math.round(undecayed * Math.exp((at - asOfMs) * rate) * UNITS_PER_POINT);
    const category = type.categoryIndex;
    counts[category]! += 1;
    if (at > lastAt) lastAt = at;
    // Complaints do not end silence: otherwise a complaint after a long silence would raise the score.
    if (undecayed >= 0 && at > lastContactAt) lastContactAt = at;
    if (type.requiresEngagement && units > 0) {
      gatedUnits[category]! += units;
      if (units >= MIN_DRIVER_UNITS) raisedGated.offer(units, interaction, category);
    } else {
      netUnits[category]! += units;
      if (units >= MIN_DRIVER_UNITS) raised.offer(units, interaction, category);
      else if (units <= -MIN_DRIVER_UNITS) lowered.offer(units, interaction, category);
    }
    // Flagged wherever the sentiment weighs (a signed touch, a cancellation it makes graver); POSITIVE
    // and FROM_VALUE types ignore sentiments in formula 1, so their points show none.
    if (interaction.sentiment === 'WASTED_TIME' && type.handling !== 'POSITIVE' && type.handling !== 'FROM_VALUE')
      wastedTimeCount += 1;
  }

  const { settings, engagementIndex } = model;
  const engagement =
    engagementIndex >= 0 && counts[engagementIndex]! > 0
      ? subScoreFromPoints(netUnits[engagementIndex]! / UNITS_PER_POINT)
      : null;
  const engagementMin = settings.upsellEngagementMin;
  const gate = engagementMin === 0 ? 1 : engagement === null ? 0 : Math.min(1, engagement / engagementMin);

  const subScores = new Array<number | null>(categoryCount).fill(null);
  let totalWeight = 0;
  let weightWithData = 0;
  let weightedSum = 0;
  let totalGatedUnits = 0;
  for (let category = 0; category < categoryCount; category++) {
    const weight = weights.weights[category]!;
    totalWeight += weight;
    totalGatedUnits += gatedUnits[category]!;
    if (counts[category] === 0) continue;
    const subScore = subScoreFromPoints((netUnits[category]! + gate * gatedUnits[category]!) / UNITS_PER_POINT);
    subScores[category] = subScore;
    weightWithData += weight;
    weightedSum += weight * subScore;
  }

  const mean = weightWithData > 0 ? weightedSum / weightWithData : NEUTRAL_SCORE;
  const silence =
    interactions.length === 0
      ? 1
      : silenceFactor(asOfMs - lastContactAt, settings.silenceWindowDays, settings.decayHalfLifeDays);
  // A manager's assessment takes its share of the score; silence does not apply to it (it is a
  // person's judgement as of when it was set, and it expires on its own).
  const assessment = activeAssessment(customer.assessment, asOfMs);
  const automatedShare = assessment === null ? 1 : 1 - assessment.weight;
  const manual = assessment === null ? 0 : assessment.weight * assessment.score;
  const score = round(mean * silence * automatedShare + manual, 1);

  const categories: CategoryScore[] = model.categories.map((definition, category) => {
    const subScore = subScores[category] ?? null;
    const weight = weights.weights[category]!;
    const effectiveWeight = subScore === null || weightWithData === 0 ? 0 : weight / weightWithData;
    return {
      key: definition.key,
      name: definition.name,
      weight,
      weightSource: weights.sources[category]!,
      effectiveWeight: round(effectiveWeight, 4),
      subScore: subScore === null ? null : round(subScore, 1),
      contribution: subScore === null ? 0 : round(effectiveWeight * subScore * silence * automatedShare, 2),
    };
  });

  const redistributedCategories =
    weightWithData > 0 ? categories.filter((category) => category.subScore === null && category.weight > 0) : [];

  const flags = buildFlags({
    interactionCount: interactions.length,
    asOfMs,
    lastAt,
    lastContactAt,
    silenceFactor: silence,
    gatedUnits: totalGatedUnits,
    gate,
    engagement,
    upsellEngagementMin: engagementMin,
    wastedTimeCount,
    redistributed: redistributedCategories.map((category) => category.name),
    redistributedKeys: redistributedCategories.map((category) => category.key),
  });
  if (assessment !== null) {
    flags.push({
      code: 'MANUAL_ASSESSMENT',
      message: `manual assessment ${assessment.score} counts for ${round(assessment.weight * 100, 1)}% until ${assessment.expiresAt.slice(0, 10)}: ${assessment.reason}`,
      params: manualAssessmentParams(assessment),
    });
  }

  const result: ScoreResult = {
    score,
    band: bandFor(score, settings),
    coverage: round(totalWeight > 0 ? weightWithData / totalWeight : 0, 4),
    categories,
    drivers: {
      raised: mergeRaised(raised.items, raisedGated.items, gate).map((candidate) => toDriver(model, candidate)),
      lowered: lowered.items.map((candidate) => toDriver(model, candidate)),
    },
    flags,
    silenceFactor: round(silence, 4),
    interactionCount: interactions.length,
    lastInteractionAt: lastAt === -Infinity ? null : new Date(lastAt).toISOString(),
    asOf: asOf.toISOString(),
  };
  if (assessment !== null) result.assessment = { ...assessment, contribution: round(manual, 2) };
  return result;
}

/** Engagement-backed drivers are ranked on their discounted points, among the others. */
function mergeRaised(
  plain: readonly DriverCandidate[],
  gated: readonly DriverCandidate[],
  gate: number,
): DriverCandidate[] {
  const merged = [...plain];
  for (const candidate of gated) {
    const units = Math.round(candidate.units * gate);
    if (units >= MIN_DRIVER_UNITS) merged.push({ ...candidate, units });
  }
  if (merged.length === plain.length) return merged;
  const top = new TopDrivers(true);
  for (const candidate of merged) top.offer(candidate.units, candidate.interaction, candidate.categoryIndex);
  return top.items.slice(0, DRIVER_COUNT);
}

function toDriver(model: CompiledModel, candidate: DriverCandidate): Driver {
  return {
    interactionId: candidate.interaction.id,
    typeKey: candidate.interaction.typeKey,
    categoryKey: model.categoryKeys[candidate.categoryIndex]!,
    points: round(candidate.units / UNITS_PER_POINT, 2),
    occurredAt: candidate.interaction.occurredAt.toISOString(),
  };
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  // `+ 0` turns -0 into 0: a JSON reader should not see "-0".
  return Math.round(value * factor) / factor + 0;
}
