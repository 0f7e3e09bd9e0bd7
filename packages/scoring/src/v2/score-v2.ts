// Formula 2 (docs/scoring-model.md, "Model v2"): a customer's tally (tally-v2.ts), then its score:
// - activity categories read their plain touches as a rate, against the customer's own baseline
//   (trend) and its segment's peers (level), so neither a light B2B rhythm nor fifty sessions a day
//   saturates them;
// - what the customer said (sentiments, answers, complaints, commercial moves) is valence: the
//   share of good over all said, with a neutral prior, so one answer moves little and many move much;
// - what a customer says outside its activity (a renewal, a survey, a thank-you to support) counts
//   in full only when what it does backs it (engagement above neutral);
// - each category weighs by its evidence, beside a neutral prior: little data stays near 50 and says so.
import { activeAssessment, manualAssessmentParams } from '../assessment.ts';
import { bandFor } from '../band.ts';
import type { CompiledModel } from '../compile.ts';
import { DAY_MS, silenceFactor } from '../curves.ts';
import { DRIVER_COUNT, type DriverCandidate, TopDrivers } from '../drivers.ts';
import type { ResolvedWeights } from '../weights.ts';
import type {
  ActivityReading,
  CategoryScore,
  CustomerScoringInput,
  Driver,
  InteractionInput,
  ScoreResult,
} from '../types.ts';
import { requireDate } from '../validate.ts';
import {
  levelDeviation,
  type PeerRates,
  type PeerReference,
  peerPercentile,
  ratePerDay,
  readTrend,
} from './activity.ts';
import { buildFlagsV2 } from './flags.ts';
import { MIN_DRIVER_UNITS, type TallyV2, tallyV2, UNITS } from './tally-v2.ts';

/** Valence's neutral prior, in points: about one survey answer's worth of "nothing said". */
export const VALENCE_PRIOR_POINTS = 10;

/**
 * Grave signals ("wasted my time", a cancellation request, a downsell: NEGATIVE types) are not
 * averaged into a category, where a small weight would hide them: each takes a share of the whole
 * score, as silence does. Their decayed points over this scale give the exponent: one "wasted my
 * time" (30 points) leaves e^(−0.3) ≈ 74 % of the score, two 55 %.
 */
export const GRAVE_SIGNAL_SCALE = 100;

/** The neutral prior's share of the model's weight: no category alone can carry a score to 100. */
export const NEUTRAL_PRIOR_SHARE = 0.1;

export function scoreCustomerV2(
  model: CompiledModel,
  customer: CustomerScoringInput,
  interactions: readonly InteractionInput[],
  asOf: Date,
  weights: ResolvedWeights,
  peers: PeerReference | undefined,
): ScoreResult {
  return finishScoreV2(model, customer, tallyV2(model, interactions, asOf), asOf, weights, peers);
}

/**
 * The score from a customer's tally (tally-v2.ts): everything that does not need the interactions
 * themselves — rates, trend and level, valence, the gate, evidence, silence, grave signals, the
 * manual assessment. An evaluation tallies every customer once, then finishes each score once its
 * peers are known.
 */
export function finishScoreV2(
  model: CompiledModel,
  customer: CustomerScoringInput,
  tally: TallyV2,
  asOf: Date,
  weights: ResolvedWeights,
  peers: PeerReference | undefined,
): ScoreResult {
  const asOfMs = requireDate('asOf', asOf);
  if (tally.asOfMs !== asOfMs) throw new RangeError('finishScoreV2: the tally was taken at another instant');
  const count = model.categoryKeys.length;
  const {
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
    lastBackedContactAt,
    activitySeen,
    wastedTimeCount,
    graveUnits,
    interactionCount,
  } = tally;
  const recentRate = model.decayRate;
  const baselineRate = model.baselineRate;
  const ageMs = interactionCount === 0 ? 0 : asOfMs - firstAt;
  const baselineHalfLifeMs = Math.LN2 / baselineRate;
  const activity: (ActivityReading | undefined)[] = new Array(count);
  const activityDeviation = zeros(count);
  const activityEvidence = zeros(count);
  // Past the silence window, what the customer did before falling silent is held, not forgotten:
  // its rhythm (how far its trend is trusted) and whether it had a level to fall from are read as
  // when silence began. Otherwise the evidence of a fall faded with the very silence it measures,
  // the neutral prior took over, and a year of silence scored above two months of it.
  const heldMs = silentPastWindowMs(model, tally);
  const heldAgeMs = ageMs - heldMs;
  const held = Math.exp(heldMs * baselineRate);
  for (let category = 0; category < count; category++) {
    if (!model.measuresActivity[category] || activitySeen[category] === 0) continue;
    const faded = hasFaded(touchesBaseline[category]!, activityBaseline[category]!, heldMs);
    // A customer's activity that has faded out entirely is a silent one's (real engagement ends
    // silence, so silence began after it): a fall to nothing, as trusted as its history is long.
    if (faded && heldMs === 0) continue;
    const recentPerDay = faded ? 0 : ratePerDay(activityRecent[category]! / UNITS, recentRate, ageMs);
    // Under a hundredth of a point over the baseline window there is no level to fall from: the
    // ratio of two traces that small is noise (the rounding of single contributions).
    const baselinePerDay =
      faded || activityBaseline[category]! * held < MIN_DRIVER_UNITS
        ? 0
        : ratePerDay(activityBaseline[category]! / UNITS, baselineRate, ageMs);
    const touchesPerDay = ratePerDay((touchesBaseline[category]! * held) / UNITS, baselineRate, heldAgeMs);
    // Touches the recent window would hold at the baseline rhythm: 1/λ days' worth.
    const expectedRecent = touchesPerDay / (recentRate * DAY_MS);
    const trend = faded
      ? { ratio: 0, deviation: -1, evidence: Math.min(1, heldAgeMs / baselineHalfLifeMs) }
      : readTrend(recentPerDay, baselinePerDay, expectedRecent, heldAgeMs, baselineHalfLifeMs);
    const sorted = peers?.get(model.categoryKeys[category]!);
    // Compared as peers see each other: rates rounded as stored (peerRatesOf), so that a trace of
    // activity too small to show is not ranked above a peer's zero.
    const percentile = sorted === undefined ? null : peerPercentile(sorted, round(recentPerDay, 4));
    // A level read on a few days of history is a guess: it earns trust over one half-life.
    const levelEvidence = percentile === null ? 0 : Math.min(1, (ageMs * recentRate) / Math.LN2);
    const level = percentile === null ? 0 : levelDeviation(percentile);
    const evidence = trend.evidence + levelEvidence;
    activityDeviation[category] =
      evidence === 0 ? 0 : (trend.evidence * trend.deviation + levelEvidence * level) / evidence;
    activityEvidence[category] = Math.max(trend.evidence, levelEvidence);
    activity[category] = {
      recentPerDay: round(recentPerDay, 4),
      baselinePerDay: round(baselinePerDay, 4),
      change: baselinePerDay > 0 || faded ? round(trend.ratio - 1, 4) : null,
      peerPercentile: percentile === null ? null : round(percentile, 4),
    };
  }

  // Engagement: the activity categories together, as a 0–100 figure with the neutral prior.
  let activityNumerator = 0;
  let activityDenominator = 0;
  let activityWeight = 0;
  for (let category = 0; category < count; category++) {
    if (!model.measuresActivity[category]) continue;
    const weight = weights.weights[category]!;
    activityWeight += weight;
    const evidence = activityEvidence[category]!;
    activityNumerator += weight * evidence * activityDeviation[category]!;
    activityDenominator += weight * evidence;
  }
  const engagement =
    activityDenominator > 0
      ? 50 + (50 * activityNumerator) / (activityDenominator + NEUTRAL_PRIOR_SHARE * activityWeight)
      : null;
  // A model without activity categories has nothing to back words with: they count as said.
  const gate = activityWeight === 0 ? 1 : engagementGate(engagement, model.settings.upsellEngagementMin);

  const categories: CategoryScore[] = [];
  const subScores: (number | null)[] = [];
  const evidences: number[] = [];
  let totalWeight = 0;
  let numerator = 0;
  let denominator = 0;
  let totalGated = 0;
  for (let category = 0; category < count; category++) {
    const weight = weights.weights[category]!;
    totalWeight += weight;
    totalGated += gatedPositive[category]!;
    const good = (positive[category]! + gate * gatedPositive[category]!) / UNITS;
    const bad = negative[category]! / UNITS;
    const said = good + bad;
    // Valence as (good − bad) / (said + prior) over an evidence of said / (said + prior): a good
    // word adds at least as much to the numerator as to the evidence, so it can never lower the
    // score, and a bad one never raise it (docs/scoring-model.md, "why a positive never lowers").
    const valence = (good - bad) / (said + VALENCE_PRIOR_POINTS);
    const valenceEvidence = said / (said + VALENCE_PRIOR_POINTS);
    const actEvidence = activityEvidence[category]!;
    const categoryNumerator = actEvidence * activityDeviation[category]! + valence;
    const categoryEvidence = actEvidence + valenceEvidence;
    const hasData = seen[category]! > 0;
    subScores.push(hasData ? 50 + (categoryEvidence > 0 ? (50 * categoryNumerator) / categoryEvidence : 0) : null);
    evidences.push(categoryEvidence);
    numerator += weight * categoryNumerator;
    denominator += weight * categoryEvidence;
  }
  const prior = NEUTRAL_PRIOR_SHARE * totalWeight;
  const automated = 50 + (50 * numerator) / (denominator + prior);
  // The silence clock starts at the customer's first record: a customer known since yesterday is
  // new, not silent. A good word that needs engagement behind it (an NPS 10, a thank-you to support)
  // ends silence only in the share the gate lets its points count: otherwise an answer counted 0 %
  // would still lift a silent customer's score through the silence factor.
  const silentSince = (contactAt: number) =>
    silenceFactor(
      asOfMs - Math.max(contactAt, firstAt),
      model.settings.silenceWindowDays,
      model.settings.decayHalfLifeDays,
    );
  const realSilence = interactionCount === 0 ? 1 : silentSince(lastContactAt);
  const backedSilence = interactionCount === 0 ? 1 : silentSince(Math.max(lastContactAt, lastBackedContactAt));
  const silence = realSilence + gate * (backedSilence - realSilence);
  const assessment = activeAssessment(customer.assessment, asOfMs);
  const automatedShare = assessment === null ? 1 : 1 - assessment.weight;
  const manual = assessment === null ? 0 : assessment.weight * assessment.score;
  const grave = Math.exp(-graveUnits / UNITS / GRAVE_SIGNAL_SCALE);
  const score = round(automated * silence * grave * automatedShare + manual, 1);
  const scale = silence * grave * automatedShare;

  for (let category = 0; category < count; category++) {
    const definition = model.categories[category]!;
    const subScore = subScores[category]!;
    const weight = weights.weights[category]!;
    const effectiveWeight = (weight * evidences[category]!) / (denominator + prior);
    const entry: CategoryScore = {
      key: definition.key,
      name: definition.name,
      weight,
      weightSource: weights.sources[category]!,
      effectiveWeight: round(effectiveWeight, 4),
      subScore: subScore === null ? null : round(subScore, 1),
      contribution: subScore === null ? 0 : round(effectiveWeight * subScore * scale, 2),
      evidence: round(evidences[category]!, 4),
    };
    const reading = activity[category];
    if (reading !== undefined) entry.activity = reading;
    categories.push(entry);
  }
  const confidence = totalWeight > 0 ? Math.min(1, denominator / totalWeight) : 0;

  const flags = buildFlagsV2({
    interactionCount,
    asOfMs,
    lastAt,
    // Silence counts from the backed word only when it counts in full (otherwise UPSELL_DISCOUNTED
    // says how much of it counted).
    lastContactAt: gate >= 1 ? Math.max(lastContactAt, lastBackedContactAt) : lastContactAt,
    silenceFactor: silence,
    confidence,
    gatedPoints: totalGated / UNITS,
    gate,
    engagement,
    upsellEngagementMin: model.settings.upsellEngagementMin,
    wastedTimeCount,
    graveSignalFactor: grave,
    categories,
    baselineHalfLifeDays: baselineHalfLifeMs / DAY_MS,
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
    band: bandFor(score, model.settings),
    coverage: round(
      totalWeight > 0 ? categories.reduce((sum, c) => sum + (c.subScore === null ? 0 : c.weight), 0) / totalWeight : 0,
      4,
    ),
    categories,
    drivers: tally.drivers
      ? {
          raised: mergeRaised(tally.drivers.raised, tally.drivers.raisedGated, gate).map((candidate) =>
            toDriver(model, candidate),
          ),
          lowered: tally.drivers.lowered.map((candidate) => toDriver(model, candidate)),
        }
      : { raised: [], lowered: [] },
    flags,
    silenceFactor: round(silence, 4),
    interactionCount,
    lastInteractionAt: lastAt === -Infinity ? null : new Date(lastAt).toISOString(),
    asOf: asOf.toISOString(),
    confidence: round(confidence, 4),
    graveSignalFactor: round(grave, 4),
    neutralContribution: round(((50 * prior) / (denominator + prior)) * scale, 2),
  };
  if (assessment !== null) result.assessment = { ...assessment, contribution: round(manual, 2) };
  return result;
}

/**
 * A tally's recent activity rates, as `peerRatesOf` reads them from the finished score: what its
 * peers need from a customer, without finishing the score (which needs the peers).
 */
export function peerRatesOfTally(model: CompiledModel, tally: TallyV2, segment: string | null | undefined): PeerRates {
  const rates = new Map<string, number>();
  const ageMs = tally.interactionCount === 0 ? 0 : tally.asOfMs - tally.firstAt;
  for (let category = 0; category < model.categoryKeys.length; category++) {
    if (!model.measuresActivity[category] || tally.activitySeen[category] === 0) continue;
    // As finishScoreV2 reads it: an activity faded out entirely reads 0 on a silent customer.
    const faded = hasFaded(
      tally.touchesBaseline[category]!,
      tally.activityBaseline[category]!,
      silentPastWindowMs(model, tally),
    );
    if (faded && silentPastWindowMs(model, tally) === 0) continue;
    const recentPerDay = faded ? 0 : ratePerDay(tally.activityRecent[category]! / UNITS, model.decayRate, ageMs);
    rates.set(model.categoryKeys[category]!, round(recentPerDay, 4));
  }
  return { segment: segment ?? null, rates };
}

/**
 * Past the silence window, a trace of activity this small is read as faded out: the held rhythm is
 * the trace of touches scaled back up by the time since silence began, and the trend a ratio of
 * traces; traces of a few units (rounded to 1/10,000 point) made the score jitter by up to a point
 * from one day to the next (up as often as down: silence raising a score). Under 0.2 point of trace
 * (2,000 units), read back past the window, the trace is read as a fall to nothing, which it nearly
 * is: no rise was left, over 600 random histories scored every 3 days for 3 years of silence (500
 * units still let 0.1 through).
 */
const HELD_TRACE_MIN_UNITS = 2_000;

function hasFaded(touchesBaseline: number, activityBaseline: number, heldMs: number): boolean {
  if (touchesBaseline === 0) return true;
  return heldMs > 0 && (touchesBaseline < HELD_TRACE_MIN_UNITS || activityBaseline < HELD_TRACE_MIN_UNITS);
}

/** How long a customer has been silent past the silence window (0 within it or without records). */
function silentPastWindowMs(model: CompiledModel, tally: TallyV2): number {
  if (tally.interactionCount === 0) return 0;
  const silentMs = tally.asOfMs - Math.max(tally.lastContactAt, tally.firstAt);
  return Math.max(0, silentMs - model.settings.silenceWindowDays * DAY_MS);
}

/**
 * Share (0–1) of engagement-backed good news that counts. At or below the neutral 50 nothing
 * counts; from `fullAt` on, all of it. `fullAt` ≤ 50 keeps formula 1's proportional reading, and 0
 * turns the rule off.
 */
export function engagementGate(engagement: number | null, fullAt: number): number {
  if (fullAt === 0) return 1;
  if (engagement === null) return 0;
  if (fullAt <= 50) return Math.min(1, engagement / fullAt);
  return Math.min(1, Math.max(0, (engagement - 50) / (fullAt - 50)));
}

function mergeRaised(
  plain: readonly DriverCandidate[],
  gated: readonly DriverCandidate[],
  gate: number,
): DriverCandidate[] {
  const top = new TopDrivers(true);
  for (const candidate of plain) top.offer(candidate.units, candidate.interaction, candidate.categoryIndex);
  for (const candidate of gated) {
    const units = Math.round(candidate.units * gate);
    if (units >= MIN_DRIVER_UNITS) top.offer(units, candidate.interaction, candidate.categoryIndex);
  }
  return top.items.slice(0, DRIVER_COUNT);
}

function toDriver(model: CompiledModel, candidate: DriverCandidate): Driver {
  return {
    interactionId: candidate.interaction.id,
    typeKey: candidate.interaction.typeKey,
    categoryKey: model.categoryKeys[candidate.categoryIndex]!,
    points: round(candidate.units / UNITS, 2),
    occurredAt: candidate.interaction.occurredAt.toISOString(),
  };
}

function zeros(count: number): number[] {
  return new Array<number>(count).fill(0);
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor + 0;
}
