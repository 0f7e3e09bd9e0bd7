// Ratings waiting to reach Pulso, kept in localStorage so that a rating made offline, during a
// server error, or just before the page closed is sent later with its original idempotency key
// (the server records a key once, so a retry never counts twice). A rating waiting for its
// optional comment is "held": only the page holding it sends it, or any page once the hold is old.
import { graphql, PulsoRequestError } from '../shared/graphql.ts';
import { SUBMIT_MUTATION } from '../shared/documents.ts';
import { afterNextPaint } from '../shared/after-next-paint.ts';
import { DAY_MS } from '@pulso/scoring';

const STORAGE_KEY = 'pulso-widgets:outbox';
const HOLD_MS = 10 * 60 * 1000;
/** Ratings older than this are dropped: their customer token has expired long ago. */
const MAX_AGE_MS = 30 * DAY_MS;

export interface RatingInput {
  customerToken: string;
  customer: string;
  variant: 'LIKE_DISLIKE' | 'THREE_LEVELS';
  rating: 'LIKED' | 'DISLIKED' | 'INDIFFERENT' | 'WASTED_TIME';
  comment?: string | null;
  journeyStage?: string | null;
  idempotencyKey: string;
}

export interface OutboxEntry {
  endpoint: string;
  apiKey: string;
  input: RatingInput;
  savedAt: number;
  /** The page session waiting for a comment, if any. */
  heldBy?: string;
}

export type SendResult = { status: 'sent' } | { status: 'queued' } | { status: 'rejected'; message: string };

/** This page's session: its holds are its own. */
export const PAGE_SESSION = Array.from(crypto.getRandomValues(new Uint32Array(2)), (n) => n.toString(36)).join('');

/** A random idempotency key (crypto.randomUUID needs a secure context; this does not). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function read(): OutboxEntry[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as OutboxEntry[]) : [];
  } catch {
    return [];
  }
}

function write(entries: OutboxEntry[]): void {
  try {
    if (entries.length) localStorage.setItem(STORAGE_KEY, JSON.stringify(entries));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage full or forbidden (some private modes): the rating is then kept in memory only.
  }
}

function update(change: (entries: OutboxEntry[]) => OutboxEntry[]): void {
  write(change(read()));
}

/** The ratings still waiting (for tests and diagnostics). */
export function pendingRatings(): OutboxEntry[] {
  return read();
}

/** Keeps a rating; with `hold`, only this page sends it until released. */
export function keep(entry: Omit<OutboxEntry, 'savedAt'>, hold = false): void {
  const saved: OutboxEntry = { ...entry, savedAt: Date.now() };
  if (hold) saved.heldBy = PAGE_SESSION;
  else delete saved.heldBy;
  update((entries) => [...entries.filter((e) => e.input.idempotencyKey !== entry.input.idempotencyKey), saved]);
}

/** Releases a held rating, with its comment if one was written. */
export function release(idempotencyKey: string, comment: string | null): void {
  update((entries) =>
    entries.map((e) => {
      if (e.input.idempotencyKey !== idempotencyKey) return e;
      const { heldBy: _held, ...rest } = e;
      return { ...rest, input: { ...rest.input, comment } };
    }),
  );
}

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

/** Retries when the browser comes back online, on a timer while ratings wait, and at once. */
export function startRetrying(intervalMs = 30_000): void {
  if (!started) {
    started = true;
    window.addEventListener('online', () => void flush());
    // A rating still waiting for its comment goes without it when the page is left.
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
  // Not in the task that renders the page's widgets: a fetch there holds them off the screen.
  afterNextPaint(() => void flush());
}
