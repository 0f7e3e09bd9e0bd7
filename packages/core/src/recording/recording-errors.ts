// The two ways a write is refused, each naming the input field at fault so an API can point at it.
// Either way nothing of the batch was stored.
import { ValidationError } from '../validation/validation-error.ts';

export type { FieldProblem } from '../validation/validation-error.ts';

/** Bad interactions: nothing was stored. Lists every problem found, each naming its field. */
export class InteractionValidationError extends ValidationError {
  override readonly name = 'InteractionValidationError';
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
