// The one error a model change is refused with, naming the field by the keys the caller used
// (`categories.support.weight`), whether the problem is found by Pulso's own rules or by the
// scoring engine's validation (translated from array positions).
import { ScoringInputError, type ScoringModel } from '@pulso/scoring';

export type ModelChangeErrorCode =
  | ScoringInputError['code']
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'IN_USE'
  | 'EMPTY_CHANGE'
  | 'INVALID';

/** One thing wrong with a change: the field, by the caller's keys, and why. */
export interface ModelChangeProblem {
  field: string;
  code: ModelChangeErrorCode;
  message: string;
}

/**
 * A change the model cannot take: names the field (`categories.support.weight`) and the problem.
 * `problems` lists every problem found (the settings' all at once); `field` and `code` are the first's.
 */
export class ModelChangeError extends Error {
  override readonly name = 'ModelChangeError';
  readonly problems: readonly ModelChangeProblem[];
  constructor(
    readonly field: string,
    readonly code: ModelChangeErrorCode,
    message: string,
    more: readonly ModelChangeProblem[] = [],
  ) {
    const problems = [{ field, code, message }, ...more];
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.problems = problems;
  }

  /** The error listing these problems (at least one). */
  static of(problems: readonly ModelChangeProblem[]): ModelChangeError {
    const [first, ...more] = problems;
    if (!first) throw new Error('ModelChangeError.of needs a problem');
    return new ModelChangeError(first.field, first.code, first.message, more);
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
