// Refuses an operation with more directives than a limit, before it runs: graphql-js validates
// every directive of a field against every other, so thousands of `@include` on one field cost
// the server quadratic time while the document stays short. graphql-armor's rule counts them; the
// refusal is Pulso's: TOO_MANY_DIRECTIVES with the limit and the count.
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import type { Plugin } from 'graphql-yoga';
import { armorRefusal, DEFAULT_OPERATION_LIMITS } from './operation-limits.ts';

export interface DirectiveLimitOptions {
  /** Directives allowed in one operation. Default 50 (DEFAULT_OPERATION_LIMITS). */
  maxDirectives?: number;
}

export function useDirectiveLimit(options: DirectiveLimitOptions = {}): Plugin {
  const { maxDirectives = DEFAULT_OPERATION_LIMITS.maxDirectives } = options;
  // An envelop plugin, typed for envelop's bare context; it uses nothing of yoga's.
  return maxDirectivesPlugin({ n: maxDirectives, ...armorRefusal('maxDirectives', maxDirectives) }) as Plugin;
}
