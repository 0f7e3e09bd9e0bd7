// Why an API key cannot be created or revoked, naming the field: nothing was changed. A key to
// create is refused with every problem of it at once (each bad origin, the name, the expiry), as a
// refused model change is; `field` and `code` are the first's.
import { type Problem, ProblemsError } from '../validation/problems-error.ts';

export type ApiKeyErrorCode =
  | 'INVALID_ORIGIN'
  | 'NOT_FOUND'
  | 'ALREADY_REVOKED'
  | 'LAST_SECRET_KEY'
  | 'OUT_OF_RANGE'
  | 'MISSING_VALUE';

/** One thing wrong with a key operation: the field and why. */
export type ApiKeyProblem = Problem<ApiKeyErrorCode>;

export class ApiKeyError extends ProblemsError<ApiKeyErrorCode> {
  override readonly name = 'ApiKeyError';
}
