// Sends the kept ratings (outbox.ts) to Pulso and retries those it could not: on `online`, on a
// timer while any wait, and on the next page. A chunk of its own, fetched by the rating when there
// is something to send (a click, or ratings left waiting): a product page whose visitor does not
// rate never downloads it. A rating whose customer token has expired stays kept until the page
// gives a fresh one (see renewToken).
import { graphql, PulsoRequestError } from '../shared/graphql.ts';
import { SUBMIT_MUTATION } from '../shared/submit-mutation.ts';
import { afterNextPaint } from '../shared/after-next-paint.ts';
import { PAGE_SESSION, read, release, ratedBy, update, type OutboxEntry } from './outbox.ts';
import { PulsoCustomerTokenExpiredEvent } from '../events/pulso-customer-token-expired.ts';
import { DAY_MS } from '@pulso/scoring';

const HOLD_MS = 10 * 60 * 1000;
/** Ratings older than this are dropped: kept that long, a rating has outlived any customer token (30 days at most). */
const MAX_AGE_MS = 30 * DAY_MS;

export type SendResult = { status: 'sent' } | { status: 'queued' } | { status: 'rejected'; message: string };

function remove(idempotencyKey: string): void {
  update((entries) => entries.filter((e) => e.input.idempotencyKey !== idempotencyKey));
}

const SENT: SendResult = { status: 'sent' };
const QUEUED: SendResult = { status: 'queued' };
const inFlight = new Map<string, Promise<SendResult>>();

/**
 * Sends one kept rating: removed when Pulso records or refuses it, kept when it cannot answer or
 * when its customer token has expired (renewToken). `from`: the element it was made with, asked
 * first for a new token (it may sit in a shadow root, where the document's search does not look).
 */
export function send(idempotencyKey: string, from?: HTMLElement): Promise<SendResult> {
  const running = inFlight.get(idempotencyKey);
  if (running) return running;
  const attempt = (async (): Promise<SendResult> => {
    const find = () => read().find((e) => e.input.idempotencyKey === idempotencyKey);
    let entry = find();
    if (!entry) return SENT;
    // Its token known expired: sent again only with another one (a request would be refused).
    if (expired.has(entry.input.customerToken) && !(renewToken(entry, from) && (entry = find()))) return QUEUED;
    try {
      for (;;) {
        const result = (await submit(entry)).submitMicroRating;
        if (result.__typename === 'CustomerTokenError' && result.code === 'EXPIRED') {
          // Kept: a token that expired is not a rating refused. Each token is refused once, so this ends.
          expired.add(entry.input.customerToken);
          if (!(renewToken(entry, from) && (entry = find()))) return QUEUED;
          continue;
        }
        remove(idempotencyKey);
        return result.__typename === 'MicroRatingReceipt'
          ? SENT
          : { status: 'rejected', message: result.message ?? result.__typename };
      }
    } catch (error) {
      if (error instanceof PulsoRequestError && error.kind === 'rejected') {
        remove(idempotencyKey);
        return { status: 'rejected', message: error.message };
      }
      return QUEUED;
    }
  })();
  inFlight.set(idempotencyKey, attempt);
  void attempt.finally(() => inFlight.delete(idempotencyKey));
  // A rating its element said was kept for later is sent or refused by a later attempt (a new
  // customer token, back online, this chunk fetched at last): the element is told (outbox.ts,
  // ratedBy), so its "We'll send it" does not stay.
  void attempt.then((result) => {
    if (result === QUEUED) return;
    ratedBy.get(idempotencyKey)?.settled(result);
    ratedBy.delete(idempotencyKey);
  });
  return attempt;
}

function submit(entry: OutboxEntry) {
  return graphql<{ submitMicroRating: { __typename: string; code?: string; message?: string } }>({
    endpoint: entry.endpoint,
    credential: entry.apiKey,
    query: SUBMIT_MUTATION,
    variables: { input: entry.input },
  });
}

/** Customer tokens Pulso refused as expired, in this page: the ratings carrying one wait for another. */
const expired = new Set<string>();
/** The expired tokens this page was asked to replace: once each, answered or not. */
const asked = new Set<string>();
/**
 * Times this page was asked for a customer's token. A page answering with tokens that are expired
 * already (a backend's clock, a cached token) would otherwise be asked again at each answer.
 */
const asks = new Map<string, number>();
const ASKS_PER_CUSTOMER = 3;

interface RatingElement extends HTMLElement {
  customer: string;
  customerToken: string;
}

/**
 * Moves the kept ratings of `entry`'s customer off its expired token, to one a `<pulso-rating>` of
 * this page holds for that customer (a later page, or a token the page has replaced): true when
 * done. Otherwise asks that element's page for one, once per token (`pulso-customer-token-expired`):
 * the answer moves them and sends them. With no rating of that customer on the page, they wait for
 * a page that has one (or are dropped after MAX_AGE_MS, as any kept rating).
 */
function renewToken(entry: OutboxEntry, from?: HTMLElement): boolean {
  const { customer, customerToken: old } = entry.input;
  // The element it was made with first (it may also be among the document's: asked once all the same).
  const elements = [
    from as RatingElement | undefined,
    ...document.querySelectorAll<RatingElement>('pulso-rating'),
  ].filter((el): el is RatingElement => el?.customer === customer);
  const held = elements.find((el) => el.customerToken && !expired.has(el.customerToken));
  if (held) {
    moveRatings(customer, old, held.customerToken);
    return true;
  }
  const el = elements[0];
  const times = asks.get(customer) ?? 0;
  if (el && !asked.has(old) && times < ASKS_PER_CUSTOMER) {
    asked.add(old);
    asks.set(customer, times + 1);
    el.dispatchEvent(
      new PulsoCustomerTokenExpiredEvent({
        customer,
        token: old,
        respondWith: (answer) =>
          void Promise.resolve(answer).then(
            (token) => {
              if (typeof token !== 'string' || !token) {
                console.error(`pulso-customer-token-expired: respondWith needs a token string, got ${typeof token}`);
                return;
              }
              el.customerToken = token;
              moveRatings(customer, old, token);
              // After the attempts on their way (the one that asked may not have ended yet: an
              // answer given at once arrives before it), which would otherwise take this flush's place.
              void Promise.allSettled([...inFlight.values()]).then(() => flush());
            },
            () => {},
          ),
      }),
    );
  }
  return false;
}

function moveRatings(customer: string, from: string, to: string): void {
  update((entries) =>
    entries.map((e) =>
      e.input.customer === customer && e.input.customerToken === from
        ? { ...e, input: { ...e.input, customerToken: to } }
        : e,
    ),
  );
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
