// Typed failures of the write mutations (customers, interactions, micro-ratings): validation
// problems naming each field, an idempotency key reused for other content, a refused customer
// token. Each implements UserError, so `... on UserError { field code message }` always works.
// The domain's ValidationError is the base of its customer and interaction validation errors:
// the API answers every one of them as one ValidationError type.
import { IdempotencyConflictError, InteractionValidationError, ValidationError } from '@pulso/core';
import { builder } from '../../builder.ts';
import { FieldProblemRef, UserErrorInterface } from './user-errors.ts';

export { IdempotencyConflictError, InteractionValidationError, ValidationError };

export type CustomerTokenRefusal =
  | 'MALFORMED'
  | 'FORGED'
  | 'EXPIRED'
  | 'TOO_LONG_LIVED'
  | 'WRONG_KIND'
  | 'OTHER_CUSTOMER';

/** A micro-rating's customer token was refused: nothing was stored. */
export class CustomerTokenError extends Error {
  override readonly name = 'CustomerTokenError';
  readonly field = 'input.customerToken';
  constructor(
    readonly code: CustomerTokenRefusal,
    message: string,
  ) {
    super(message);
  }
}

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description:
    'The input is invalid: nothing was stored. `problems` lists every invalid field; `field` and `code` are the first.',
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError,
  fields: (t) => ({
    problems: t.field({
      type: [FieldProblemRef],
      description: 'Every invalid field, each with its path, code and message.',
      resolve: (error) => error.problems,
    }),
  }),
});

builder.objectType(IdempotencyConflictError, {
  name: 'IdempotencyConflictError',
  description:
    'The idempotency key was already used for different content: nothing was stored. A retry must repeat the original request exactly; new content needs a new key.',
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof IdempotencyConflictError,
  fields: (t) => ({
    idempotencyKey: t.exposeString('idempotencyKey', { description: 'The key that was reused.' }),
  }),
});

builder.objectType(CustomerTokenError, {
  name: 'CustomerTokenError',
  description:
    "The customer token was refused (code FORGED, EXPIRED, TOO_LONG_LIVED, WRONG_KIND, MALFORMED or OTHER_CUSTOMER): sign a new one on the host site's backend. Nothing was stored.",
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof CustomerTokenError,
  fields: () => ({}),
});

/** The errors every interaction-writing field reports as typed results. */
export const writeErrors = {
  types: [ValidationError, IdempotencyConflictError],
  directResult: true as const,
  union: { description: 'The result, or a ValidationError or IdempotencyConflictError when nothing was stored.' },
};

/** A single-problem validation error of an argument the API itself checks. */
export function invalid(field: string, code: string, message: string): ValidationError {
  return new ValidationError([{ field, code, message }]);
}
