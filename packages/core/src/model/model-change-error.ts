// The one error a model change is refused with, naming the field by the keys the caller used
// (`categories.support.weight`), whether the problem is found by Pulso's own rules or by the
// scoring engine's validation (translated from array positions).
import { ScoringInputError, type ScoringModel } from '@pulso/scoring';

export type ModelChangeErrorCode =
  | ScoringInputError['code']
  | 'THRESHOLDS_OUT_OF_ORDER'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'IN_USE'
  | 'EMPTY_CHANGE'
  | 'INVALID';

/** A change the model cannot take: names the field (`categories.support.weight`) and the problem. */
export class ModelChangeError extends Error {
  override readonly name = 'ModelChangeError';
  constructor(
    readonly field: string,
    readonly code: ModelChangeErrorCode,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
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
  const message = error.message.slice(error.field.length + 2);
  if (error.code === 'ZERO_WEIGHTS') {
    return new ModelChangeError(
      field === 'categories' ? 'categories.weight' : `${field}.weight`,
      'ZERO_WEIGHTS',
      'category weights sum to zero: at least one must be above zero',
    );
  }
  return new ModelChangeError(field, error.code, message);
}
