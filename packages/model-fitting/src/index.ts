// The public API of model fitting: category weights fitted to churn outcomes, time-split and
// regularized toward the current weights. Pure: no I/O, no clock; the caller builds the rows.
export {
  type AucPair,
  FIT_DEFAULTS,
  type FitOptions,
  type FitResult,
  fitCategoryWeights,
  type NotEnoughOutcomes,
  type OutcomeCounts,
  type OutcomeObservation,
  type WeightsFitted,
} from './fit-category-weights.ts';
export { LOG_STEPS, MAX_LOG_MOVE } from './coordinate-search.ts';
export { splitByInstant, type TimeSplit } from './time-split.ts';
