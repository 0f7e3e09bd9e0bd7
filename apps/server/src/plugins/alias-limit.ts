// Refuses an operation with more aliased fields than a limit, before it runs: aliases repeat a
// field (`a: customers … b: customers …`) so that one request does the work of many, and would
// otherwise slip past depth and rate limits alike. graphql-armor's rule counts them (`__typename`
// aliases are free); the refusal is Pulso's: TOO_MANY_ALIASES with the limit and the count.
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import type { Plugin } from 'graphql-yoga';
import { armorRefusal, DEFAULT_OPERATION_LIMITS } from './operation-limits.ts';

export interface AliasLimitOptions {
  /** Aliased fields allowed in one operation. Default 30 (DEFAULT_OPERATION_LIMITS). */
  maxAliases?: number;
}

export function useAliasLimit(options: AliasLimitOptions = {}): Plugin {
  const { maxAliases = DEFAULT_OPERATION_LIMITS.maxAliases } = options;
  // An envelop plugin, typed for envelop's bare context; it uses nothing of yoga's.
  return maxAliasesPlugin({ n: maxAliases, ...armorRefusal('maxAliases', maxAliases) }) as Plugin;
}
