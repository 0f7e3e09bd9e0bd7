// The stream wrapper the live fields end with, over graphql-yoga's own pub/sub (what live streams
// read from): values pass until a refusal, which comes last, and the source always stops.
import { createPubSub } from 'graphql-yoga';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { refusableStream } from './refusable-stream.ts';

type Topics = { change: [number] };

function source() {
  const pubsub = createPubSub<Topics>();
  const stream = pubsub.subscribe('change');
  const returned = vi.fn();
  const iterator = stream[Symbol.asyncIterator]();
  const watched: AsyncIterable<number> = {
    [Symbol.asyncIterator]: () => ({
      next: () => iterator.next(),
      return: async () => {
        returned();
        return iterator.return!();
      },
    }),
  };
  return { pubsub, watched, returned };
}

describe('refusableStream', () => {
  afterEach(() => vi.useRealTimers());

  it('lets values through until the check refuses one, then delivers the refusal and stops the source', async () => {
    const { pubsub, watched, returned } = source();
    const stream = refusableStream(watched, {
      deadline: null,
      expired: () => 'expired',
      check: (value) => (value > 1 ? 'refused' : null),
    });
    const first = stream.next();
    pubsub.publish('change', 1);
    expect(await first).toEqual({ done: false, value: 1 });
    const second = stream.next();
    pubsub.publish('change', 2);
    expect(await second).toEqual({ done: false, value: 'refused' });
    expect(returned).toHaveBeenCalledOnce();
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('delivers the expiry at the deadline without waiting for a value', async () => {
    const { watched, returned } = source();
    const stream = refusableStream(watched, {
      deadline: Date.now() + 50,
      expired: () => 'expired',
      check: () => null,
    });
    expect(await stream.next()).toEqual({ done: false, value: 'expired' });
    expect(returned).toHaveBeenCalledOnce();
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('refuses a value that arrives after the deadline, before the timer ran', async () => {
    let now = 1_000;
    const { pubsub, watched } = source();
    const stream = refusableStream(watched, {
      deadline: 2_000,
      expired: () => 'expired',
      check: () => null,
      now: () => now,
    });
    const next = stream.next();
    now = 2_000;
    pubsub.publish('change', 1);
    expect(await next).toEqual({ done: false, value: 'expired' });
  });

  it('stops the source and its timer when the reader ends the stream while waiting', async () => {
    vi.useFakeTimers();
    const { watched, returned } = source();
    const stream = refusableStream(watched, {
      deadline: Date.now() + 3_600_000,
      expired: () => 'expired',
      check: () => null,
    });
    const waiting = stream.next();
    expect(vi.getTimerCount()).toBe(1);
    expect(await stream.return!()).toEqual({ done: true, value: undefined });
    expect(vi.getTimerCount()).toBe(0);
    expect(returned).toHaveBeenCalledOnce();
    expect(await waiting).toEqual({ done: true, value: undefined });
  });

  it('arms no timer for a deadline beyond what a timer can wait, and still refuses once it has passed', async () => {
    vi.useFakeTimers();
    let now = 0;
    const { pubsub, watched } = source();
    const stream = refusableStream(watched, {
      deadline: 40 * 86_400_000,
      expired: () => 'expired',
      check: () => null,
      now: () => now,
    });
    const first = stream.next();
    expect(vi.getTimerCount()).toBe(0);
    pubsub.publish('change', 1);
    expect(await first).toEqual({ done: false, value: 1 });
    now = 40 * 86_400_000;
    expect(await stream.next()).toEqual({ done: false, value: 'expired' });
  });
});
