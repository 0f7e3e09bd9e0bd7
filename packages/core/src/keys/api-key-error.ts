// Why an API key cannot be created or revoked, naming the field: nothing was changed. A key to
// create is refused with every problem of it at once (each bad origin, the name, the expiry), as a
// refused model change is; `field` and `code` are the first's.
export type ApiKeyErrorCode =
  | 'INVALID_ORIGIN'
  | 'NOT_FOUND'
  | 'ALREADY_REVOKED'
  | 'LAST_SECRET_KEY'
  | 'OUT_OF_RANGE'
  | 'MISSING_VALUE';

/** One thing wrong with a key operation: the field and why. */
export interface ApiKeyProblem {
  field: string;
  code: ApiKeyErrorCode;
  message: string;
}

export class ApiKeyError extends Error {
  override readonly name = 'ApiKeyError';
  readonly problems: readonly ApiKeyProblem[];
  constructor(
    readonly field: string,
    readonly code: ApiKeyErrorCode,
    message: string,
    more: readonly ApiKeyProblem[] = [],
  ) {
    const problems = [{ field, code, message }, ...more];
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.problems = problems;
  }

  /** The error listing these problems (at least one). */
  static of(problems: readonly ApiKeyProblem[]): ApiKeyError {
    const [first, ...more] = problems;
    if (!first) throw new Error('ApiKeyError.of needs a problem');
    return new ApiKeyError(first.field, first.code, first.message, more);
  }
}
