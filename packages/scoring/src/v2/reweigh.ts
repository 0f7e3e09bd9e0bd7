// A formula-2 score under other category weights, from the stored result alone. Formula 2 weighs
// each category by its evidence beside a neutral prior, and reports per category the evidence
// (the denominator) and the sub-score (50 + 50 · numerator / evidence), so the weighted sums can be
// taken again without the interactions. Fitting weights to outcomes (@pulso/model-fitting) scores
// thousands of customer-instants under hundreds of weightings this way instead of rescoring.
import { ScoringInputError } from '../errors.ts';
import type { ScoreResult } from '../types.ts';
import { requireWeight } from '../validate.ts';
import { requireSomeWeight } from '../weights.ts';
import { NEUTRAL_PRIOR_SHARE } from './score-v2.ts';

/** A formula-2 result taken apart: what re-weighing needs, in the result's category order. */
export interface ScoreParts {
  readonly categoryKeys: readonly string[];
  /** Σ-ready numerators: evidence × (sub-score − 50) / 50; 0 for a category without data. */
  readonly numerators: Float64Array;
  /** The categories' evidence (activity + valence evidence, 0–2). */
  readonly evidences: Float64Array;
  /** What multiplies the automated score: silence × grave signals × (1 − assessment weight). */
  readonly scale: number;
  /** Points a manual assessment in force adds (its weight × its score); 0 without one. */
  readonly manual: number;
}

/**
 * Takes a formula-2 ScoreResult apart. Throws a ScoringInputError for a formula-1 result (no
 * `confidence`): formula 1 saturates and redistributes per category, and its parts are not stored.
 */
export function scoreParts(result: ScoreResult): ScoreParts {
  if (result.confidence === undefined) {
    throw new ScoringInputError(
      'result',
      'INVALID_MODEL',
      'only a formula-2 score can be re-weighed (this result has no confidence: it is a formula-1 score)',
    );
  }
  const count = result.categories.length;
  const numerators = new Float64Array(count);
  const evidences = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    const category = result.categories[index]!;
    const evidence = category.evidence;
    if (evidence === undefined) {
      throw new ScoringInputError(
        `result.categories[${index}].evidence`,
        'MISSING_VALUE',
        'a formula-2 category reports its evidence',
      );
    }
    evidences[index] = evidence;
    numerators[index] = category.subScore === null ? 0 : (evidence * (category.subScore - 50)) / 50;
  }
  const assessmentWeight = result.assessment?.weight ?? 0;
  return {
    categoryKeys: result.categories.map((category) => category.key),
    numerators,
    evidences,
    scale: result.silenceFactor * (result.graveSignalFactor ?? 1) * (1 - assessmentWeight),
    manual: result.assessment === undefined ? 0 : assessmentWeight * result.assessment.score,
  };
}

/**
 * The score (unrounded) of `parts` under `weights`, given in the parts' category order. The hot
 * loop of a weight search: no validation, no allocation.
 */
export function scoreFromParts(parts: ScoreParts, weights: ArrayLike<number>): number {
  let numerator = 0;
  let denominator = 0;
  let total = 0;
  for (let index = 0; index < parts.evidences.length; index++) {
    const weight = weights[index]!;
    numerator += weight * parts.numerators[index]!;
    denominator += weight * parts.evidences[index]!;
    total += weight;
  }
  const automated = 50 + (50 * numerator) / (denominator + NEUTRAL_PRIOR_SHARE * total);
  return automated * parts.scale + parts.manual;
}

/**
 * The score a formula-2 result would have had under `weights` (category key → weight, one for
 * every category of the result, nothing else), rounded to 0.1 like a score. The weights replace
 * whatever was in force for the customer (workspace, segment or its own).
 *
 * Exact, to the rounding of the stored figures, except for one thing the result does not hold:
 * engagement-backed good news (renewals, upsells, good answers) counts by the customer's
 * engagement, which is itself a weighted mean of the activity categories. The share it counted
 * with is kept; it would differ only when the activity categories change their proportions to each
 * other and the customer's engagement sits between neutral and `upsellEngagementMin`, or when
 * every activity category with data is weighed 0 (no engagement is left to back anything).
 */
export function reweighScore(result: ScoreResult, weights: Readonly<Record<string, number>>): number {
  const parts = scoreParts(result);
  const ordered = parts.categoryKeys.map((key) => {
    const weight = weights[key];
    if (weight === undefined) {
      throw new ScoringInputError(`weights.${key}`, 'MISSING_VALUE', `no weight for category "${key}"`);
    }
    return requireWeight(`weights.${key}`, weight);
  });
  for (const key of Object.keys(weights)) {
    if (!parts.categoryKeys.includes(key)) {
      throw new ScoringInputError(`weights.${key}`, 'UNKNOWN_KEY', `the score has no category "${key}"`);
    }
  }
  requireSomeWeight('weights', ordered);
  return Math.round(scoreFromParts(parts, ordered) * 10) / 10 + 0;
}
