// Ratings waiting to reach Pulso, kept in localStorage so that a rating made offline, during a
// server error, or just before the page closed is sent later with its original idempotency key
// (the server records a key once, so a retry never counts twice). A rating waiting for its
// optional comment is "held": only the page holding it sends it, or any page once the hold is old.
// This module only keeps them, synchronously at the click (it is in the rating's script);
// delivery.ts sends them, fetched when there is something to send.

const STORAGE_KEY = 'pulso-widgets:outbox';

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

/** This page's session: its holds are its own (random, as an idempotency key is). */
export const PAGE_SESSION = newIdempotencyKey();

/** A random idempotency key (crypto.randomUUID needs a secure context; this does not). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * What this page could not store (its storage blocked, as in a sandboxed frame, or full of the
 * site's own data): kept in memory, sent as stored ones are while the page is open. Without it,
 * such a rating was thanked for and never sent: the sender looks for it in the outbox.
 */
let unstored: OutboxEntry[] = [];

export function read(): OutboxEntry[] {
  let stored: OutboxEntry[] = [];
  try {
    stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');
    if (!Array.isArray(stored)) stored = [];
  } catch {
    // Unreadable or blocked: what this page keeps in memory still counts.
  }
  const isStored = (entry: OutboxEntry) => stored.some((e) => e.input.idempotencyKey === entry.input.idempotencyKey);
  return [...stored, ...unstored.filter((entry) => !isStored(entry))];
}

function write(entries: OutboxEntry[]): void {
  try {
    if (entries.length) localStorage.setItem(STORAGE_KEY, JSON.stringify(entries));
    else localStorage.removeItem(STORAGE_KEY);
    unstored = [];
  } catch {
    unstored = entries;
  }
}

export function update(change: (entries: OutboxEntry[]) => OutboxEntry[]): void {
  write(change(read()));
}

/** The ratings still waiting (for tests and diagnostics). */
export function pendingRatings(): OutboxEntry[] {
  return read();
}

/**
 * The elements of this page whose ratings are on their way, by idempotency key: the sender tells
 * each what became of its rating (delivery.ts), however late, whichever attempt sends it. An element
 * is listed once its rating is released to be sent, not while its customer may still be writing a
 * comment. Here, in the rating's script, since the sender may be fetched well after the rating was
 * made (offline at the click): that element's "We'll send it" then stayed after the rating was sent.
 */
export const ratedBy = new Map<string, { settled(result: { status: string; message?: string }): void }>();

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
