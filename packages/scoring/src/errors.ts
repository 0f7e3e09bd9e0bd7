// One error type for every bad input, so callers (the API, importers) can map it to a 400 and
// point at the offending field instead of storing a NaN or a silently clamped value.

export type ScoringInputErrorCode =
  | 'INVALID_NUMBER'
  | 'OUT_OF_RANGE'
  | 'UNKNOWN_KEY'
  | 'DUPLICATE_KEY'
  | 'MISSING_VALUE'
  | 'INVALID_DATE'
  | 'FUTURE_DATE'
  | 'ZERO_WEIGHTS'
  | 'THRESHOLDS_OUT_OF_ORDER'
  | 'INVALID_MODEL';

export class ScoringInputError extends Error {
  override readonly name = 'ScoringInputError';
  /** Path of the offending field, e.g. `interactions[3].value` or `categories[1].weight`. */
  readonly field: string;
  readonly code: ScoringInputErrorCode;
  /** What is wrong, without the field (`must be between 0 and 100, got 120`). */
  readonly detail: string;

  constructor(field: string, code: ScoringInputErrorCode, detail: string) {
    super(`${field}: ${detail}`);
    this.field = field;
    this.code = code;
    this.detail = detail;
  }
}
