// Live subscriptions (Server-Sent Events, multipart) end when the server shuts down: each stream's
// iterator returns, so yoga writes the protocol's end (`event: complete` for SSE, the closing
// boundary for multipart) and ends the response. Left open, a single live widget held the
// shutdown until its timeout, then had its stream cut mid-transfer; ended, its client reconnects
// at once, to another instance behind a load balancer. WebSocket subscriptions are closed by the
// WebSocket server (1001, "going away").
import type { Plugin } from 'graphql-yoga';

export function useEndOnShutdown(shutdown: AbortSignal): Plugin {
  // One promise for every stream: a listener per subscription would pile up on the signal.
  const ended = new Promise<IteratorReturnResult<undefined>>((resolve) => {
    if (shutdown.aborted) resolve({ done: true, value: undefined });
    else shutdown.addEventListener('abort', () => resolve({ done: true, value: undefined }), { once: true });
  });
  return {
    onSubscribe: () => ({
      onSubscribeResult: ({ result, setResult }) => {
        if (Symbol.asyncIterator in result) setResult(endWith(result, ended));
      },
    }),
  };
}

/** `source`, ended (its iterator returned) when `ended` settles. */
function endWith<T>(
  source: AsyncIterable<T>,
  ended: Promise<IteratorReturnResult<undefined>>,
): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const stop = async (): Promise<IteratorReturnResult<undefined>> => {
    await iterator.return?.();
    return { done: true, value: undefined };
  };
  const wrapped: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => wrapped,
    async next() {
      const next = await Promise.race([iterator.next(), ended]);
      // Ended by the shutdown: the source is told to stop (its pending read settles with it).
      return next.done ? stop() : next;
    },
    return: stop,
    throw: async (error: unknown) => {
      if (iterator.throw) return iterator.throw(error);
      throw error;
    },
  };
  return wrapped;
}
