// What the lookups by the workspace's own identifiers share (`customersByExternalId`,
// `interactionsByIdempotencyKey`, `outcomesByIdempotencyKey`): up to MAX_BATCH values, the size of
// a write batch, so a client about to write a batch asks what of it is stored in one request; the
// answer in the order asked, null for each value that names nothing. Each value is counted in the
// operation's cost (plugins/cost-limit.ts), as `nodes` counts its ids.
import { MAX_BATCH } from '@pulso/core';
import { GraphQLError } from 'graphql';

export const MAX_LOOKUP = MAX_BATCH;

/** Refuses more than MAX_LOOKUP values, naming the argument. */
export function checkLookupSize(field: string, argument: string, values: readonly unknown[]): void {
  if (values.length > MAX_LOOKUP)
    throw new GraphQLError(
      `${field} takes at most ${MAX_LOOKUP} ${argument}, got ${values.length}: ask in batches of ${MAX_LOOKUP}`,
      { extensions: { code: 'BAD_USER_INPUT', argument, max: MAX_LOOKUP } },
    );
}

/** The rows in the order of the values asked, null where none has that value. */
export function inAskedOrder<T>(
  values: readonly string[],
  rows: readonly T[],
  keyOf: (row: T) => string | null,
): (T | null)[] {
  const byValue = new Map(rows.map((row) => [keyOf(row), row]));
  return values.map((value) => byValue.get(value) ?? null);
}
