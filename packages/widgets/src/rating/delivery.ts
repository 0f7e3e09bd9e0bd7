// Sends the kept ratings (outbox.ts) to Pulso and retries those it could not: on `online`, on a
// timer while any wait, and on the next page. A chunk of its own, fetched by the rating when there
// is something to send (a click, or ratings left waiting): a product page whose visitor does not
// rate never downloads it.
import { graphql, PulsoRequestError } from '../shared/graphql.ts';
import { SUBMIT_MUTATION } from '../shared/submit-mutation.ts';
import { afterNextPaint } from '../shared/after-next-paint.ts';
import { PAGE_SESSION, read, release, update } from './outbox.ts';
import { DAY_MS } from '@pulso/scoring';

const HOLD_MS = 10 * 60 * 1000;
/** Ratings older than this are dropped: their customer token has expired long ago. */
const MAX_AGE_MS = 30 * DAY_MS;

export type SendResult = { status: 'sent' } | { status: 'queued' } | { status: 'rejected'; message: string };

function remove(idempotencyKey: string): void {
  update((entries) => entries.filter((e) => e.input.idempotencyKey !== idempotencyKey));
}

const inFlight = new Map<string, Promise<SendResult>>();

/** Sends one kept rating: removed when Pulso records or refuses it, kept when it cannot answer. */
export function send(idempotencyKey: string): Promise<SendResult> {
  const running = inFlight.get(idempotencyKey);
  if (running) return running;
  const attempt = (async (): Promise<SendResult> => {
    const entry = read().find((e) => e.input.idempotencyKey === idempotencyKey);
    if (!entry) return { status: 'sent' };
    try {
      const data = await graphql<{ submitMicroRating: { __typename: string; message?: string } }>({
        endpoint: entry.endpoint,
        credential: entry.apiKey,
        query: SUBMIT_MUTATION,
        variables: { input: entry.input },
      });
      remove(idempotencyKey);
      const result = data.submitMicroRating;
      return result.__typename === 'MicroRatingReceipt'
        ? { status: 'sent' }
        : { status: 'rejected', message: result.message ?? result.__typename };
    } catch (error) {
      if (error instanceof PulsoRequestError && error.kind === 'rejected') {
        remove(idempotencyKey);
        return { status: 'rejected', message: error.message };
      }
      return { status: 'queued' };
    }
  })();
  inFlight.set(idempotencyKey, attempt);
  void attempt.finally(() => inFlight.delete(idempotencyKey));
  return attempt;
}

/** Sends every rating that may go now; resolves when each attempt has ended. */
export async function flush(now = Date.now()): Promise<void> {
  const entries = read();
  const stale = entries.filter((e) => now - e.savedAt > MAX_AGE_MS);
  if (stale.length) update((all) => all.filter((e) => now - e.savedAt <= MAX_AGE_MS));
  const ready = entries.filter(
    (e) => now - e.savedAt <= MAX_AGE_MS && (!e.heldBy || (e.heldBy !== PAGE_SESSION && now - e.savedAt > HOLD_MS)),
  );
  await Promise.all(ready.map((e) => send(e.input.idempotencyKey)));
}

let timer: ReturnType<typeof setInterval> | undefined;
let started = false;

/**
 * Retries when the browser comes back online and on a timer while ratings wait; a rating still
 * waiting for its comment goes without it when the page is left.
 */
export function retryLater(intervalMs = 30_000): void {
  if (!started) {
    started = true;
    window.addEventListener('online', () => void flush());
    window.addEventListener('pagehide', () => {
      for (const e of read()) if (e.heldBy === PAGE_SESSION) release(e.input.idempotencyKey, e.input.comment ?? null);
      void flush();
    });
  }
  if (timer === undefined) {
    timer = setInterval(() => {
      if (read().length === 0) {
        clearInterval(timer);
        timer = undefined;
      } else void flush();
    }, intervalMs);
  }
}

/** retryLater, and a first attempt now for the ratings left waiting by an earlier page or another tab. */
export function startRetrying(intervalMs = 30_000): void {
  retryLater(intervalMs);
  // Not in the task that renders the page's widgets: a fetch there holds them off the screen.
  afterNextPaint(() => void flush());
}
