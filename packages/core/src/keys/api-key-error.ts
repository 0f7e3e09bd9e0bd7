// Why an API key cannot be created or revoked, naming the field: nothing was changed.
export class ApiKeyError extends Error {
  override readonly name = 'ApiKeyError';
  constructor(
    readonly field: string,
    readonly code:
      | 'INVALID_ORIGIN'
      | 'NOT_FOUND'
      | 'ALREADY_REVOKED'
      | 'LAST_SECRET_KEY'
      | 'OUT_OF_RANGE'
      | 'MISSING_VALUE',
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
