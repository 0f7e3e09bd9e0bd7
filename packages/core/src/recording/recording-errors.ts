// The two ways a write is refused, each naming the input field at fault so an API can point at it.
// Either way nothing of the batch was stored.

export interface FieldProblem {
  /** Path of the offending input field, e.g. `interactions[3].value`. */
  field: string;
  code: string;
  message: string;
}

/** Bad input: nothing was stored. Lists every problem found, each naming its field. */
export class InteractionValidationError extends Error {
  override readonly name = 'InteractionValidationError';
  /** The first problem's field and code; `problems` lists them all. */
  readonly field: string;
  readonly code: string;
  constructor(readonly problems: FieldProblem[]) {
    super(
      problems.length === 1
        ? `${problems[0]!.field}: ${problems[0]!.message}`
        : `${problems.length} invalid fields: ${problems.map((p) => p.field).join(', ')}`,
    );
    this.field = problems[0]?.field ?? '';
    this.code = problems[0]?.code ?? 'INVALID';
  }
}

/** An idempotency key already used for different content: nothing was stored. */
export class IdempotencyConflictError extends Error {
  override readonly name = 'IdempotencyConflictError';
  readonly code = 'IDEMPOTENCY_CONFLICT';
  constructor(
    readonly field: string,
    readonly idempotencyKey: string,
    readonly existingInteractionId: string,
    /** What the key names: an interaction, or an outcome for lifecycle events. */
    readonly subject: 'interaction' | 'outcome' = 'interaction',
  ) {
    super(
      `${field}: the idempotency key "${idempotencyKey}" was already used for a different ${subject}; use a new key for new content`,
    );
  }
}
