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
  | 'INVALID_MODEL';

export class ScoringInputError extends Error {
  override readonly name = 'ScoringInputError';
  /** Path of the offending field, e.g. `interactions[3].value` or `categories[1].weight`. */
  readonly field: string;
  readonly code: ScoringInputErrorCode;

  constructor(field: string, code: ScoringInputErrorCode, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
    this.code = code;
  }
}
