// REDIS_URL as ioredis' connection options, read with the WHATWG URL parser. Given the URL itself,
// ioredis 5 reads it with Node's legacy url.parse(), which Node 24 deprecates with a warning on
// stderr at its first use (DEP0169): a server started with REDIS_URL printed it as its first
// line. What ioredis takes from such a URL is taken here alike: host and port, user and password
// (percent-decoded), the database number from the path, TLS for `rediss:`, `family` (4 or 6) from
// the query. Anything else in the URL is refused with the reason, for the config check at start.
import type { RedisOptions } from 'ioredis';

export function redisOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new Error(`not a redis:// or rediss:// URL: ${parsed.protocol}`);
  const options: RedisOptions = {
    // An IPv6 address comes bracketed in a URL, bare in a socket's options.
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost',
    port: parsed.port ? Number(parsed.port) : 6379,
  };
  if (parsed.username) options.username = decodeURIComponent(parsed.username);
  if (parsed.password) options.password = decodeURIComponent(parsed.password);
  const db = parsed.pathname.slice(1);
  if (db && !/^\d+$/.test(db)) throw new Error(`the database must be a number (redis://host:6379/0), not "${db}"`);
  if (db) options.db = Number(db);
  if (parsed.protocol === 'rediss:') options.tls = {};
  for (const [name, value] of parsed.searchParams) {
    // ioredis took any query parameter as an option; only `family` is read here, and any other is
    // refused rather than silently ignored.
    if (name !== 'family' || (value !== '4' && value !== '6'))
      throw new Error(
        name === 'family'
          ? `family must be 4 or 6, not "${value}"`
          : `the query parameter "${name}" is not read (user and password go before the host, the database number is the path: rediss://user:password@host:6380/2)`,
      );
    options.family = Number(value);
  }
  return options;
}

/** Why `url` does not read as options, or null when it does (config.ts checks REDIS_URL with it at start). */
export function redisUrlProblem(url: string): string | null {
  try {
    redisOptions(url);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
