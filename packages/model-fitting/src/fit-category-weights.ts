// Fits a formula-2 model's category weights to churn outcomes, and proposes them only when they
// rank unseen, later instants at least as well as the current weights. The method and its
// defaults are explained in the README.
import { type ScoreParts, type ScoreResult, ScoringInputError, scoreParts } from '@pulso/scoring';
import { coordinateSearch } from './coordinate-search.ts';
import { aucUnder, outcomeSet } from './ranking-auc.ts';
import { splitByInstant } from './time-split.ts';

/**
 * A customer's formula-2 score as of `at`, and whether it churned within the horizon after. The
 * score is the engine's result, or its parts (`scoreParts(result)`): a caller collecting a large
 * workspace's scores keeps the parts, a few hundred bytes, instead of every result whole.
 */
export type OutcomeObservation = { at: Date; churned: boolean } & ({ result: ScoreResult } | { parts: ScoreParts });

export interface FitOptions {
  /** Share of the distinct instants, oldest first, the fit learns from (default 2/3). */
  trainingShare?: number;
  /** λ: training AUC given up per unit of squared log-distance from the current weights. */
  penalty?: number;
  /** Churning customer-instants the training instants must hold (default 30). */
  minTrainingChurners?: number;
  /** Churning customer-instants the held-out instants must hold (default 10). */
  minHeldOutChurners?: number;
  /** Distinct instants needed to split at all (default 3). */
  minInstants?: number;
}

export const FIT_DEFAULTS: Readonly<Required<FitOptions>> = Object.freeze({
  trainingShare: 2 / 3,
  penalty: 0.005,
  minTrainingChurners: 30,
  minHeldOutChurners: 10,
  minInstants: 3,
});

export interface OutcomeCounts {
  instants: number;
  trainingChurners: number;
  heldOutChurners: number;
}

export interface NotEnoughOutcomes {
  status: 'NOT_ENOUGH_OUTCOMES';
  /** One plain sentence: what is missing, and how much. */
  message: string;
  needs: OutcomeCounts;
  has: OutcomeCounts & { trainingNonChurners: number; heldOutNonChurners: number };
}

export interface AucPair {
  current: number;
  fitted: number;
}

export interface WeightsFitted {
  /**
   * FITTED: the fitted weights rank the held-out instants at least as well as the current ones
   * and differ from them. KEEP_CURRENT: they rank them worse, or the fit found nothing better.
   */
  status: 'FITTED' | 'KEEP_CURRENT';
  message: string;
  /** What to apply: the fitted weights when FITTED, the current ones otherwise. */
  proposed: Record<string, number>;
  /** What the search found, normalized to the current weights' sum (rounded to a thousandth of it). */
  fitted: Record<string, number>;
  current: Record<string, number>;
  auc: { training: AucPair; heldOut: AucPair };
  /** Churning customer-instants on each side of the split: the outcomes the fit used and was judged by. */
  churnOutcomes: { training: number; heldOut: number };
  observations: { training: number; heldOut: number };
  instants: { training: Date[]; heldOut: Date[] };
  /** How many weightings the search scored. */
  evaluations: number;
}

export type FitResult = NotEnoughOutcomes | WeightsFitted;

export function fitCategoryWeights(
  observations: readonly OutcomeObservation[],
  current: Readonly<Record<string, number>>,
  options: FitOptions = {},
): FitResult {
  const settings = resolveOptions(options);
  const parts = observations.map((observation, index) => partsOf(observation, index));
  const keys = categoryKeysOf(parts, current);
  const currentWeights = keys.map((key) => current[key]!);

  const indexed = observations.map((observation, index) => ({ at: observation.at, index }));
  const split = splitByInstant(indexed, settings.trainingShare);
  const training = outcomeSet(
    split.training.map((o) => parts[o.index]!),
    split.training.map((o) => observations[o.index]!.churned),
  );
  const heldOut = outcomeSet(
    split.heldOut.map((o) => parts[o.index]!),
    split.heldOut.map((o) => observations[o.index]!.churned),
  );

  const has = {
    instants: split.trainingInstants.length + split.heldOutInstants.length,
    trainingChurners: training.churners,
    heldOutChurners: heldOut.churners,
    trainingNonChurners: training.parts.length - training.churners,
    heldOutNonChurners: heldOut.parts.length - heldOut.churners,
  };
  const shortfall = shortfallOf(has, settings);
  if (shortfall !== null) {
    return {
      status: 'NOT_ENOUGH_OUTCOMES',
      message: shortfall,
      needs: {
        instants: settings.minInstants,
        trainingChurners: settings.minTrainingChurners,
        heldOutChurners: settings.minHeldOutChurners,
      },
      has,
    };
  }

  const search = coordinateSearch({
    current: currentWeights,
    reward: (weights) => aucUnder(training, weights),
    penalty: settings.penalty,
  });
  const fittedWeights = normalizeLike(search.weights, currentWeights);
  const auc = {
    training: { current: aucUnder(training, currentWeights), fitted: aucUnder(training, fittedWeights) },
    heldOut: { current: aucUnder(heldOut, currentWeights), fitted: aucUnder(heldOut, fittedWeights) },
  };
  const unchanged = fittedWeights.every((weight, index) => weight === currentWeights[index]);
  const worse = auc.heldOut.fitted < auc.heldOut.current;
  const status = unchanged || worse ? 'KEEP_CURRENT' : 'FITTED';
  const asRecord = (weights: ArrayLike<number>) => Object.fromEntries(keys.map((key, index) => [key, weights[index]!]));
  return {
    status,
    message: messageOf(status, unchanged, auc),
    proposed: asRecord(status === 'FITTED' ? fittedWeights : currentWeights),
    fitted: asRecord(fittedWeights),
    current: asRecord(currentWeights),
    auc,
    churnOutcomes: { training: training.churners, heldOut: heldOut.churners },
    observations: { training: training.parts.length, heldOut: heldOut.parts.length },
    instants: { training: split.trainingInstants, heldOut: split.heldOutInstants },
    evaluations: search.evaluations,
  };
}

function resolveOptions(options: FitOptions): Required<FitOptions> {
  const settings = { ...FIT_DEFAULTS, ...options };
  const { trainingShare, penalty, minTrainingChurners, minHeldOutChurners, minInstants } = settings;
  if (!(trainingShare > 0 && trainingShare < 1)) {
    throw new ScoringInputError(
      'options.trainingShare',
      'OUT_OF_RANGE',
      `must be between 0 and 1, got ${trainingShare}`,
    );
  }
  if (!(penalty >= 0 && Number.isFinite(penalty))) {
    throw new ScoringInputError('options.penalty', 'OUT_OF_RANGE', `must be a finite number ≥ 0, got ${penalty}`);
  }
  for (const [field, value, least] of [
    ['minTrainingChurners', minTrainingChurners, 1],
    ['minHeldOutChurners', minHeldOutChurners, 1],
    ['minInstants', minInstants, 2],
  ] as const) {
    if (!(Number.isInteger(value) && value >= least)) {
      throw new ScoringInputError(`options.${field}`, 'OUT_OF_RANGE', `must be an integer ≥ ${least}, got ${value}`);
    }
  }
  return settings;
}

function partsOf(observation: OutcomeObservation, index: number): ScoreParts {
  if (!(observation.at instanceof Date) || Number.isNaN(observation.at.getTime())) {
    throw new ScoringInputError(`observations[${index}].at`, 'INVALID_DATE', 'must be a valid Date');
  }
  if ('parts' in observation) return observation.parts;
  try {
    return scoreParts(observation.result);
  } catch (error) {
    if (error instanceof ScoringInputError) {
      const reason = error.message.slice(error.field.length + 2);
      throw new ScoringInputError(`observations[${index}].${error.field}`, error.code, reason);
    }
    throw error;
  }
}

/** The categories, in the results' order; every result and the current weights must name the same ones. */
function categoryKeysOf(parts: readonly ScoreParts[], current: Readonly<Record<string, number>>): readonly string[] {
  const keys = parts[0]?.categoryKeys ?? Object.keys(current);
  const signature = keys.join('\n');
  parts.forEach((part, index) => {
    if (part.categoryKeys.join('\n') !== signature) {
      throw new ScoringInputError(
        `observations[${index}].result.categories`,
        'INVALID_MODEL',
        `the categories (${part.categoryKeys.join(', ')}) differ from the first result's (${keys.join(', ')}): fit one model's scores at a time`,
      );
    }
  });
  for (const key of keys) {
    const weight = current[key];
    if (weight === undefined)
      throw new ScoringInputError(`current.${key}`, 'MISSING_VALUE', `no weight for category "${key}"`);
    if (!(Number.isFinite(weight) && weight >= 0)) {
      throw new ScoringInputError(`current.${key}`, 'OUT_OF_RANGE', `must be a finite number ≥ 0, got ${weight}`);
    }
  }
  for (const key of Object.keys(current)) {
    if (!keys.includes(key))
      throw new ScoringInputError(`current.${key}`, 'UNKNOWN_KEY', `the scores have no category "${key}"`);
  }
  if (!keys.some((key) => current[key]! > 0)) {
    throw new ScoringInputError('current', 'ZERO_WEIGHTS', 'weights must not all be zero');
  }
  return keys;
}

function shortfallOf(has: NotEnoughOutcomes['has'], settings: Required<FitOptions>): string | null {
  const missing: string[] = [];
  if (has.instants < settings.minInstants) {
    missing.push(`scores at ${settings.minInstants} distinct instants to split old from new (has ${has.instants})`);
  } else {
    if (has.trainingChurners < settings.minTrainingChurners) {
      missing.push(
        `${settings.minTrainingChurners} churn outcomes in the older instants to learn from (has ${has.trainingChurners})`,
      );
    }
    if (has.heldOutChurners < settings.minHeldOutChurners) {
      missing.push(
        `${settings.minHeldOutChurners} churn outcomes in the newer instants to judge by (has ${has.heldOutChurners})`,
      );
    }
    if (has.trainingNonChurners === 0 || has.heldOutNonChurners === 0) {
      missing.push('customers who stayed on both sides of the split (one side has none)');
    }
  }
  return missing.length === 0 ? null : `Not enough outcomes to fit weights: needs ${missing.join('; ')}.`;
}

/** Scaled to sum like the current weights, on a grid of a thousandth of that sum (30/25/15… → 0.1). */
function normalizeLike(weights: Float64Array, current: readonly number[]): number[] {
  const currentSum = current.reduce((sum, weight) => sum + weight, 0);
  const sum = weights.reduce((total, weight) => total + weight, 0);
  const grid = currentSum / 1000;
  return Array.from(weights, (weight, index) =>
    current[index] === 0 ? 0 : Math.max(grid, Math.round((weight * currentSum) / sum / grid) * grid),
  ).map((weight) => Number(weight.toPrecision(12)));
}

function messageOf(status: WeightsFitted['status'], unchanged: boolean, auc: WeightsFitted['auc']): string {
  const figures = `held-out AUC ${auc.heldOut.current.toFixed(3)} with the current weights, ${auc.heldOut.fitted.toFixed(3)} with the fitted ones (training ${auc.training.current.toFixed(3)} → ${auc.training.fitted.toFixed(3)})`;
  if (status === 'FITTED') return `Fitted weights rank the newer, unseen instants at least as well: ${figures}.`;
  if (unchanged) return `The current weights are already the best fit the search found: ${figures}. Keep them.`;
  return `The fitted weights rank the newer, unseen instants worse: ${figures}. Keep the current weights.`;
}
