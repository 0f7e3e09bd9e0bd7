// Refuses an operation that nests fields deeper than a limit, before it runs: each level of a
// connection multiplies what the database reads, and a deep document is the cheapest way to ask
// for a lot. graphql-armor's rule counts the depth (fragments flattened, so `...F` adds no level);
// the refusal is Pulso's: QUERY_TOO_DEEP with the limit and the depth found.
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import type { Plugin } from 'graphql-yoga';
import { armorRefusal, DEFAULT_OPERATION_LIMITS } from './operation-limits.ts';

export interface DepthLimitOptions {
  /** Deepest nesting of fields allowed. Default 12 (DEFAULT_OPERATION_LIMITS). */
  maxDepth?: number;
}

export function useDepthLimit(options: DepthLimitOptions = {}): Plugin {
  const { maxDepth = DEFAULT_OPERATION_LIMITS.maxDepth } = options;
  // An envelop plugin, typed for envelop's bare context; it uses nothing of yoga's.
  return maxDepthPlugin({ n: maxDepth, flattenFragments: true, ...armorRefusal('maxDepth', maxDepth) }) as Plugin;
}
