// A live stream outlives the request that opened it: an API key revoked, a view token expired or a
// signing secret rotated after it opened would otherwise go on receiving every score change for as
// long as the connection lasts (a dashboard is left open all day). Its values therefore pass a
// check before each is delivered, and its credential's expiry ends it even when no value comes.

/** Longest delay a Node timer takes (about 24.8 days): later deadlines are checked per value only. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const EXPIRED = Symbol('expired');

export interface RefusalChecks<T, R> {
  /** When the credential stops being valid (ms since the epoch), or null if it never expires. */
  deadline: number | null;
  /** The refusal to deliver once the deadline has passed. */
  expired: () => R;
  /** Run before each value is delivered: a refusal ends the stream, null lets the value through. */
  check: (value: T) => R | null | Promise<R | null>;
  /** The clock (tests move it). */
  now?: () => number;
}

/**
 * `source`'s values until a refusal, which is delivered as the last value: the deadline passing
 * (at once, by a timer, or found before a value) or `check` refusing a value. The source is then
 * told to stop. Its reader ending the stream (`return`) stops the source and the timer at once,
 * even while a value is awaited.
 */
export function refusableStream<T, R>(
  source: AsyncIterable<T>,
  { deadline, expired, check, now = Date.now }: RefusalChecks<T, R>,
): AsyncIterableIterator<T | R> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  let expiry: Promise<typeof EXPIRED> | undefined;
  const done = { done: true, value: undefined } as const;

  const stop = async (): Promise<IteratorReturnResult<undefined>> => {
    finished = true;
    clearTimeout(timer);
    await iterator.return?.();
    return done;
  };
  const refuse = async (refusal: R): Promise<IteratorYieldResult<R>> => {
    await stop();
    return { done: false, value: refusal };
  };
  // Armed at the first read, so that a stream never read holds no timer.
  const expiring = (): Promise<typeof EXPIRED> =>
    (expiry ??= new Promise((resolve) => {
      if (deadline === null || deadline - now() > MAX_TIMER_MS) return;
      timer = setTimeout(() => resolve(EXPIRED), Math.max(0, deadline - now()));
    }));

  const stream: AsyncIterableIterator<T | R> = {
    [Symbol.asyncIterator]: () => stream,
    async next() {
      if (finished) return done;
      if (deadline !== null && now() >= deadline) return refuse(expired());
      const next = await Promise.race([iterator.next(), expiring()]);
      if (finished) return done;
      if (next === EXPIRED) return refuse(expired());
      if (next.done) {
        finished = true;
        clearTimeout(timer);
        return next;
      }
      if (deadline !== null && now() >= deadline) return refuse(expired());
      const refusal = await check(next.value);
      if (finished) return done;
      return refusal === null ? next : refuse(refusal);
    },
    return: stop,
    async throw(error: unknown) {
      await stop();
      throw error;
    },
  };
  return stream;
}
