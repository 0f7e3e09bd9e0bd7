// Automatic persisted queries (issue 16), as Apollo Client's persisted-query link and urql's
// persistedExchange send them: a request carries `extensions.persistedQuery { version: 1,
// sha256Hash }` and no query; an unknown hash answers PERSISTED_QUERY_NOT_FOUND, the client
// retries with the query and the hash, and the server keeps it for the next time. Hashed queries
// may then go as GET requests, which CDNs and browsers cache. @graphql-yoga/plugin-apq does the
// protocol (its peer range names @graphql-tools/utils 10, which it does not import: it only uses
// graphql-yoga's own exports); Pulso bounds what its store keeps.
//
// Each instance keeps the queries it learnt in memory. With Redis configured (REDIS_URL, as for
// live events and rate limits) it also shares them there, so a hash any instance learnt runs on
// every instance behind the balancer: a CDN's GET by hash then needs no retry wherever it lands.
// Redis only adds: while it is away, or slow beyond its command timeout, each instance answers from
// its own memory, and a hash it does not know costs the client one retry, never an error. A stored
// query grants nothing: it is parsed, validated, limited, authorized and costed on every use like
// any other.
import { createInMemoryAPQStore, useAPQ } from '@graphql-yoga/plugin-apq';
import type { Plugin } from 'graphql-yoga';
import { closeRedis, failFastRedis } from './fail-fast-redis.ts';

export interface PersistedQueriesOptions {
  /** Queries kept in memory (least recently used dropped first). Default 1,000. */
  maxQueries?: number;
  /**
   * Longest query kept, in characters. Default 32,768: the longest a 2,000-token document (the
   * token limit) reasonably is. A longer one still runs when sent in full; it is only not kept, so
   * the store stays under maxQueries × maxQueryLength (32 MB by default) whoever fills it.
   */
  maxQueryLength?: number;
  /** How long a query is kept after it was last sent in full, in ms. Default one day. */
  ttlMs?: number;
  /** Share learnt queries through this Redis (several instances); memory only when unset. */
  redisUrl?: string | undefined;
  /** Prefix of the Redis keys (default `pulso:apq`), followed by the query's SHA-256. */
  keyPrefix?: string;
  /** Told when Redis fails (once per outage): each instance then answers from its own memory. */
  onRedisError?: (error: Error) => void;
}

export interface PersistedQueries {
  plugin: Plugin;
  close(): Promise<void>;
}

export function createPersistedQueries(options: PersistedQueriesOptions = {}): PersistedQueries {
  const {
    maxQueries = 1_000,
    maxQueryLength = 32_768,
    ttlMs = 24 * 60 * 60 * 1000,
    redisUrl,
    keyPrefix = 'pulso:apq',
    onRedisError = () => {},
  } = options;
  const memory = createInMemoryAPQStore({ max: maxQueries, ttl: ttlMs });
  // Fail fast rather than queue, as the rate limits do: a lookup while Redis is away is a miss.
  const redis = redisUrl ? failFastRedis(redisUrl, { commandTimeoutMs: 500, onError: onRedisError }) : undefined;
  const shared = () => (redis?.status === 'ready' ? redis : undefined);
  return {
    plugin: useAPQ({
      store: {
        async get(hash) {
          const known = await memory.get(hash);
          if (known) return known;
          const fromRedis = await shared()
            ?.get(`${keyPrefix}:${hash}`)
            .catch(() => null);
          if (fromRedis) memory.set(hash, fromRedis);
          return fromRedis ?? null;
        },
        set(hash, query) {
          if (query.length > maxQueryLength) return;
          memory.set(hash, query);
          // Not awaited: the request that taught the query need not wait for the other instances.
          shared()
            ?.set(`${keyPrefix}:${hash}`, query, 'PX', ttlMs)
            .catch(() => {});
        },
      },
    }),
    close: () => closeRedis(redis),
  };
}
