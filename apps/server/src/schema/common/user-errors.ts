// Expected failures as typed results (the errors plugin): an interface every such error
// implements, so a client can always ask `... on UserError { message field code }`.
import { ModelChangeError } from '@pulso/core';
import { builder } from '../../builder.ts';

export interface UserErrorShape {
  message: string;
  field: string;
  code: string;
}

export const UserErrorInterface = builder.interfaceRef<UserErrorShape>('UserError').implement({
  description: 'A request the server understood but cannot carry out: which field, what code, and why.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'The problem in plain words, starting with the field.' }),
    field: t.exposeString('field', {
      description: 'Path of the offending input, e.g. `categories.support.weight` or `settings.bandNeedsAttentionMax`.',
    }),
    code: t.exposeString('code', {
      description:
        'A stable code: UNKNOWN_KEY, ZERO_WEIGHTS, THRESHOLDS_OUT_OF_ORDER, OUT_OF_RANGE, IN_USE, NOT_FOUND...',
    }),
  }),
});

/** One invalid input field, as the errors with a `problems` list (ValidationError, ScoringModelError...) list them. */
export const FieldProblemRef = builder
  .objectRef<{ field: string; code: string; message: string }>('FieldProblem')
  .implement({
    description: 'One invalid input field.',
    fields: (t) => ({
      field: t.exposeString('field', { description: 'Path of the field, e.g. `interactions[3].value`.' }),
      code: t.exposeString('code', {
        description:
          'UNKNOWN_INTERACTION_TYPE, OUT_OF_RANGE, MISSING_VALUE, FUTURE_DATE, NOT_FOUND, ALREADY_EXISTS, DUPLICATE_KEY, TOO_MANY, INVALID...',
      }),
      message: t.exposeString('message', { description: 'The problem in plain words.' }),
    }),
  });

builder.objectType(ModelChangeError, {
  name: 'ScoringModelError',
  description:
    'A scoring model change that was refused: nothing was applied. `problems` lists every problem found (every invalid setting, every bad value before a missing key); `field` and `code` are the first.',
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof ModelChangeError,
  fields: (t) => ({
    problems: t.field({
      type: [FieldProblemRef],
      description: 'Every problem found, each with its path, code and message.',
      resolve: (error) => [...error.problems],
    }),
  }),
});
