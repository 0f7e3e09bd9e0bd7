// When a failed delivery is tried again: exponential backoff with jitter, capped, for a limited
// time. Jitter spreads the retries of many events that failed together (an endpoint that was down)
// so they do not all come back at once; half the delay is kept fixed so a retry is never immediate.

export interface RetryPolicy {
  /** Delay after the first failed attempt (default 5 s); it doubles after each further one. */
  baseMs: number;
  /** Longest delay between two attempts (default 1 hour). */
  maxMs: number;
  /** How long after its first attempt an event is retried before it is FAILED (default 3 days). */
  giveUpAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseMs: 5_000,
  maxMs: 60 * 60 * 1000,
  giveUpAfterMs: 3 * 24 * 60 * 60 * 1000,
};

/** The wait before the next attempt once `attempts` attempts have failed (1 after the first). */
export function retryDelayMs(attempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
