// The Redis connection of the plugins that only add to what an instance does alone (shared rate
// budgets, shared persisted queries): a command while Redis is away must fail at once, so the
// instance carries on with its own memory, rather than wait in ioredis' offline queue.
import { Redis } from 'ioredis';
import { redisOptions } from '../redis-options.ts';

export interface FailFastRedisOptions {
  /** A command unanswered this long fails (a Redis that accepts the connection but hangs). */
  commandTimeoutMs: number;
  /** Told when Redis fails, once per outage (again after it was ready in between). */
  onError: (error: Error) => void;
}

export function failFastRedis(url: string, { commandTimeoutMs, onError }: FailFastRedisOptions): Redis {
  const redis = new Redis({
    ...redisOptions(url),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
  });
  let reported = false;
  // ioredis reconnects by itself; an unhandled 'error' event would crash the process instead.
  redis.on('error', (error: Error) => {
    if (!reported) onError(error);
    reported = true;
  });
  redis.on('ready', () => (reported = false));
  return redis;
}

/** Closes it whatever its state: QUIT when connected, else at once (QUIT would wait to connect). */
export async function closeRedis(redis: Redis | undefined): Promise<void> {
  if (!redis) return;
  if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
  else redis.disconnect();
}
