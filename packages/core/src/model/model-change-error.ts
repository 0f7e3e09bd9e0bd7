// The one error a model change is refused with, naming the field by the keys the caller used
// (`categories.support.weight`), whether the problem is found by Pulso's own rules or by the
// scoring engine's validation (translated from array positions).
import { type Problem, ProblemsError } from '../validation/problems-error.ts';
import { ScoringInputError, type ScoringModel } from '@pulso/scoring';

export type ModelChangeErrorCode =
  | ScoringInputError['code']
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'IN_USE'
  | 'EMPTY_CHANGE'
  | 'INVALID';

/** One thing wrong with a change: the field, by the caller's keys, and why. */
export type ModelChangeProblem = Problem<ModelChangeErrorCode>;

/**
 * A change the model cannot take: names the field (`categories.support.weight`) and the problem.
 * `problems` lists every problem found (the settings' all at once); `field` and `code` are the first's.
 */
export class ModelChangeError extends ProblemsError<ModelChangeErrorCode> {
  override readonly name = 'ModelChangeError';
}

/** Engine errors name array positions; callers know keys. Other errors pass through. */
export function translateEngineError(error: unknown, model: ScoringModel): unknown {
  if (!(error instanceof ScoringInputError)) return error;
  const field = error.field
    .replace(/^categories\[(\d+)\]/, (_m, i: string) => `categories.${model.categories[Number(i)]?.key ?? i}`)
    .replace(
      /^interactionTypes\[(\d+)\]/,
      (_m, i: string) => `interactionTypes.${model.interactionTypes[Number(i)]?.key ?? i}`,
    );
  const message = error.detail;
  if (error.code === 'ZERO_WEIGHTS') {
    return new ModelChangeError(
      field === 'categories' ? 'categories.weight' : `${field}.weight`,
      'ZERO_WEIGHTS',
      'category weights sum to zero: at least one must be above zero',
    );
  }
  return new ModelChangeError(field, error.code, message);
}
