// One live connection per Pulso server for all the widgets of a page. Browsers allow six
// connections per host over HTTP/1.1, across all tabs, and a Server-Sent Events stream holds one
// for as long as it is open: with one stream per widget a page of eight gauges showed six, and a
// portal's fourth tab stayed on "Loading…". So the widgets join a shared connection with their
// view tokens and Pulso's `liveViews` sends each change once, naming the tokens that see it.
//
// The stream is a POST read with fetch (EventSource cannot send the Authorization header, and a
// token in the URL would end up in logs). When the set of views changes, a new stream opens and
// replaces the old one once it is answered, so no event falls between the two. After a drop (Pulso
// restarting, a network change) it reopens with a growing delay and tells every view to read its
// data again, since events sent meanwhile are lost; down for longer than STALE_AFTER_MS, it says
// so to every view. A token Pulso refuses leaves the stream (the others stay) and its view is told.
import { afterNextPaint } from '../shared/after-next-paint.ts';
import { LIVE_VIEWS_AT_RISK_SUBSCRIPTION, LIVE_VIEWS_SUBSCRIPTION } from '../shared/live-documents.ts';

/** One widget on the shared connection. */
export interface LiveView {
  /** Its view token. */
  token: string;
  /** A change it sees: a gauge's with the customer in its selection (an at-risk list's may be null). */
  onData(data: { customer: unknown } | null): void;
  /** The connection is back after a drop: what it missed must be read again. */
  onReconnect(): void;
  /** Pulso refused its token: it has left the stream, a new token joins again. */
  onRefused(): void;
  /** Down for longer than STALE_AFTER_MS (true), or back (false). */
  onStale(stale: boolean): void;
}

const MAX_DELAY_MS = 30_000;
/** Views per stream: Pulso's `liveViews` takes 50 at most; more open more streams. */
const VIEWS_PER_STREAM = 50;
/** Down for longer than this, the widgets' data may be out of date and they say so. */
export const STALE_AFTER_MS = 5_000;

/**
 * Whether a view token is a gauge's (a customer's), read from its claims without checking them
 * (Pulso checks them): a stream with one asks for the gauge's selection, which an at-risk token
 * alone may not read.
 */
function isCustomerView(token: string): boolean {
  try {
    return JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))).view === 'customer';
  } catch {
    return false;
  }
}

export class LiveConnection {
  readonly #views = new Set<LiveView>();
  #scheduled = false;
  /** The newest generation of streams, open or opening. */
  #current?: AbortController;
  #timer?: ReturnType<typeof setTimeout>;
  #failures = 0;
  /** The stream dropped or failed since it last opened: the next one must catch up. */
  #interrupted = false;
  #staleTimer?: ReturnType<typeof setTimeout>;
  #stale = false;

  constructor(readonly endpoint: string) {}

  /** Views that must read their data again once a stream carries them (they missed events). */
  readonly #behind = new WeakSet<LiveView>();

  /**
   * Adds a view; returns how to remove it. A view joining read its data before a stream carried it
   * (a widget's first query, or events followed by another tab until now): what changed between
   * that read and the stream's start is read again once the stream is answered (onReconnect).
   */
  join(view: LiveView): () => void {
    this.#behind.add(view);
    this.#views.add(view);
    if (this.#stale) view.onStale(true);
    this.#schedule();
    return () => {
      if (this.#views.delete(view)) this.#schedule();
    };
  }

  /** Opens the stream for the views of the moment, after the next frame: widgets joining together share one request. */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    afterNextPaint(() => {
      this.#scheduled = false;
      this.#open();
    });
  }

  #setStale(stale: boolean): void {
    clearTimeout(this.#staleTimer);
    this.#staleTimer = undefined;
    if (this.#stale === stale) return;
    this.#stale = stale;
    for (const view of this.#views) view.onStale(stale);
  }

  #open(): void {
    clearTimeout(this.#timer);
    const views = [...this.#views];
    const previous = this.#current;
    if (views.length === 0) {
      previous?.abort();
      this.#current = undefined;
      this.#failures = 0;
      this.#interrupted = false;
      this.#setStale(false);
      return;
    }
    // One generation of streams (one, unless more than 50 views), opened and closed together.
    const streams = (this.#current = new AbortController());
    const retry = () => {
      // Replaced by a newer generation, closed, or already retrying: nothing to do.
      if (streams.signal.aborted) return;
      streams.abort();
      this.#interrupted = true;
      this.#staleTimer ??= setTimeout(() => this.#setStale(true), STALE_AFTER_MS);
      this.#failures += 1;
      this.#timer = setTimeout(() => this.#open(), Math.min(MAX_DELAY_MS, 500 * 2 ** Math.min(this.#failures, 6)));
    };
    let pending = Math.ceil(views.length / VIEWS_PER_STREAM);
    // Once every new stream is answered (or has failed), the generation it replaces goes.
    const settled = () => {
      if (--pending === 0) previous?.abort();
    };
    // After a drop, every stream of the new generation tells its views to catch up.
    const catchUp = this.#interrupted;
    this.#interrupted = false;
    for (let start = 0; start < views.length; start += VIEWS_PER_STREAM)
      void this.#read(views.slice(start, start + VIEWS_PER_STREAM), streams, settled, catchUp).then(retry, retry);
  }

  /**
   * Takes refused views off the stream, tells them, and opens it again without them. Pulso refused
   * the whole stream, so the others followed nothing meanwhile: they catch up once it is back.
   */
  #refuse(views: LiveView[], positions: number[], stream: AbortController): void {
    stream.abort();
    for (const position of positions) {
      const view = views[position];
      if (view && this.#views.delete(view)) view.onRefused();
    }
    for (const view of views) if (this.#views.has(view)) this.#behind.add(view);
    this.#schedule();
  }

  async #read(views: LiveView[], stream: AbortController, settled: () => void, catchUp: boolean): Promise<void> {
    const tokens = views.map((view) => view.token);
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          authorization: `Bearer ${tokens[0]}`,
        },
        body: JSON.stringify({
          query: tokens.some(isCustomerView) ? LIVE_VIEWS_SUBSCRIPTION : LIVE_VIEWS_AT_RISK_SUBSCRIPTION,
          variables: { views: tokens },
        }),
        credentials: 'omit',
        signal: stream.signal,
      });
    } finally {
      settled();
    }
    // The bearer is the first token.
    if (response.status === 401) return this.#refuse(views, [0], stream);
    if (!response.ok || !response.body) throw new Error(`subscription refused: ${response.status}`);
    this.#failures = 0;
    this.#setStale(false);
    for (const view of views) if (this.#behind.delete(view) || catchUp) view.onReconnect();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
        if (this.#dispatch(block, views, stream) === 'complete') return;
      }
    }
  }

  /** Handles one SSE event block; comment lines (keep-alive pings) are ignored. */
  #dispatch(block: string, views: LiveView[], stream: AbortController): 'complete' | undefined {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (event === 'complete') return 'complete';
    if (data.length === 0) return;
    const payload = JSON.parse(data.join('\n')) as {
      data?: { liveViews: { views: number[]; change: { customer: unknown } | null } };
      errors?: { extensions?: { code?: string; views?: number[] } }[];
    };
    // Pulso ends a stream whose tokens it stops accepting (expired, a rotated secret): the error
    // names their positions, or none when it is about the bearer, which is the first token.
    const refused = payload.errors?.[0]?.extensions;
    if (refused?.code === 'UNAUTHENTICATED') {
      this.#refuse(views, refused.views ?? [0], stream);
      return 'complete';
    }
    if (payload.errors?.length) throw new Error('subscription error');
    const live = payload.data?.liveViews;
    if (live) for (const position of live.views) views[position]?.onData(live.change);
  }
}
