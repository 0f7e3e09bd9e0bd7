// Automatic persisted queries (issue 16), as Apollo Client's persisted-query link and urql's
// persistedExchange send them: a request carries `extensions.persistedQuery { version: 1,
// sha256Hash }` and no query; an unknown hash answers PERSISTED_QUERY_NOT_FOUND, the client
// retries with the query and the hash, and the server keeps it for the next time. Hashed queries
// may then go as GET requests, which CDNs and browsers cache. @graphql-yoga/plugin-apq does the
// protocol (its peer range names @graphql-tools/utils 10, which it does not import: it only uses
// graphql-yoga's own exports); Pulso bounds what its store keeps.
//
// Each instance keeps its own store: a hash another instance learnt costs one retry, never an
// error. A stored query grants nothing: it is parsed, validated, limited, authorized and costed on
// every use like any other.
import { createInMemoryAPQStore, useAPQ } from '@graphql-yoga/plugin-apq';
import type { Plugin } from 'graphql-yoga';

export interface PersistedQueriesOptions {
  /** Queries kept (least recently used dropped first). Default 1,000. */
  maxQueries?: number;
  /**
   * Longest query kept, in characters. Default 32,768: the longest a 2,000-token document (the
   * token limit) reasonably is. A longer one still runs when sent in full; it is only not kept, so
   * the store stays under maxQueries × maxQueryLength (32 MB by default) whoever fills it.
   */
  maxQueryLength?: number;
  /** How long a query is kept after it was last sent in full, in ms. Default one day. */
  ttlMs?: number;
}

export function usePersistedQueries(options: PersistedQueriesOptions = {}): Plugin {
  const { maxQueries = 1_000, maxQueryLength = 32_768, ttlMs = 24 * 60 * 60 * 1000 } = options;
  const memory = createInMemoryAPQStore({ max: maxQueries, ttl: ttlMs });
  return useAPQ({
    store: {
      get: (hash) => memory.get(hash),
      set: (hash, query) => {
        if (query.length <= maxQueryLength) memory.set(hash, query);
      },
    },
  });
}
