// The limits the request guards enforce (one plugin each in this folder), their defaults, the
// code of each refusal and the one error they all answer with, so every refusal says which limit,
// its value and what the request had, with an `extensions.code` a client can act on (the widgets
// never retry an error that has a code). config.ts reads the same table from the environment.
import type { GraphQLError, ValidationContext } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';

export interface OperationLimits {
  /** Deepest nesting of fields (fragments flattened: `...F` adds no level). */
  maxDepth: number;
  /** Aliased fields in one operation (`__typename` aliases are free). */
  maxAliases: number;
  /** Lexical tokens in the document (names, punctuation, values). */
  maxTokens: number;
  /**
   * Points an operation may cost (cost-limit.ts): 1 a leaf field, 2 an object plus its fields, a
   * page multiplied by its size — `first`/`last` as sent, variables included, 20 when absent — and
   * `nodes` by the number of ids.
   */
  maxCost: number;
  /** Directives in one operation. */
  maxDirectives: number;
  /** Bytes of a request body. */
  maxBodyBytes: number;
}

/**
 * Sized from Pulso's own operations (docs/api, the widgets, GraphiQL's default query), which
 * stay well under every one (operation-limits.test.ts proves it and prints their figures): the
 * deepest of them nests 8 levels (two Relay connections). The cost allows the richest page Pulso
 * itself asks for at the largest size — the dashboard of bench/ and n-plus-one.test.ts, 100
 * customers with their whole health and 5 interactions each, 16,900 points; the at-risk page at
 * 200, 20,800 — with room to spare, and refuses a page of pages of 100 (issue 16's operation:
 * 7,090,700 points). The body limit is 1 MiB (nginx's default too):
 * a `recordInteractions` batch of 1,000 interactions with every field and a 500-character comment
 * each fits; longer comments take smaller batches.
 */
export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxTokens: 2_000,
  maxCost: 50_000,
  maxDirectives: 50,
  maxBodyBytes: 1_048_576,
};

export type OperationLimitName = keyof OperationLimits;

/** The `extensions.code` of each refusal. */
export const LIMIT_CODES = {
  maxDepth: 'QUERY_TOO_DEEP',
  maxAliases: 'TOO_MANY_ALIASES',
  maxTokens: 'TOO_MANY_TOKENS',
  maxCost: 'QUERY_TOO_COSTLY',
  maxDirectives: 'TOO_MANY_DIRECTIVES',
  maxBodyBytes: 'REQUEST_TOO_LARGE',
} as const satisfies Record<OperationLimitName, string>;

const WHAT: Record<OperationLimitName, string> = {
  maxDepth: 'the operation nests fields too deep',
  maxAliases: 'the operation has too many aliases',
  maxTokens: 'the operation is too long',
  maxCost: 'the operation costs too much',
  maxDirectives: 'the operation has too many directives',
  maxBodyBytes: 'the request body is too large',
};

const UNIT: Record<OperationLimitName, string> = {
  maxDepth: 'levels',
  maxAliases: 'aliases',
  maxTokens: 'tokens',
  maxCost: 'points',
  maxDirectives: 'directives',
  maxBodyBytes: 'bytes',
};

/** A whole number in plain digits however large (`${1e21}` would read "1e+21"). */
function digits(value: number): string {
  return Number.isFinite(value) ? BigInt(Math.ceil(value)).toString() : `${value}`;
}

/**
 * The error for a request over a limit: `found` is what the request had, a number or a
 * description when only a bound is known ("more than 1048576"). HTTP 413 for the body, 400 else.
 */
export function limitExceededError(limit: OperationLimitName, value: number, found: number | string) {
  const had = typeof found === 'number' ? digits(found) : found;
  return createGraphQLError(`${WHAT[limit]}: ${had} ${UNIT[limit]}, the limit is ${value}`, {
    extensions: {
      code: LIMIT_CODES[limit],
      limit: { name: limit, value, found },
      http: { status: limit === 'maxBodyBytes' ? 413 : 400 },
    },
  });
}

/** The "found N" graphql-armor writes in its refusals (the count is not passed otherwise). */
export function foundIn(message: string): number | string {
  const match = /found (\d+)\b/.exec(message);
  return match ? Number(match[1]) : 'more than the limit';
}

/**
 * The callbacks that make one of graphql-armor's validation rules report Pulso's error instead of
 * its own (the rule then does not throw, so every other rule still reports its problems).
 */
export function armorRefusal(limit: OperationLimitName, value: number) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(limitExceededError(limit, value, foundIn(error.message))),
    ],
  };
}
