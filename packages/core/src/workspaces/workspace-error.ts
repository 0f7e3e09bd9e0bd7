// Why a workspace could not be created, renamed or found, naming the field: nothing was changed.
export class WorkspaceError extends Error {
  override readonly name = 'WorkspaceError';
  constructor(
    readonly field: 'name' | 'slug' | 'workspace',
    readonly code: 'MISSING_VALUE' | 'INVALID_SLUG' | 'SLUG_TAKEN' | 'NOT_FOUND',
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
