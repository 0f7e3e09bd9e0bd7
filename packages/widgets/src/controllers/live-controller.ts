// A GraphQL subscription over Server-Sent Events (graphql-yoga's "distinct connections" mode): a
// POST with `Accept: text/event-stream`, read as a stream. fetch rather than EventSource because
// EventSource cannot send the Authorization header, and a token in the URL would end up in logs.
// The connection follows the host: opened when connected, closed when disconnected, reopened with
// a growing delay after a failure, and moved when the request changes. Events sent while it was
// down are lost, so a reconnection tells the host to read again (`onReconnect`); and once it has
// been down for STALE_AFTER_MS it says so (`stale`, re-rendering the host), so the widget can show
// that its data may be out of date. A short blip re-renders nothing.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { afterNextPaint } from '../shared/after-next-paint.ts';

export interface LiveRequest {
  endpoint: string;
  credential: string;
  query: string;
  variables?: Record<string, unknown>;
}

export interface LiveOptions<T> {
  request: () => LiveRequest | null;
  onData: (data: T) => void;
  /** The connection is back after a drop or a failed attempt: what it missed must be read again. */
  onReconnect?: () => void;
  /** Pulso refused the credential (401): no retry with it; a new one moves the connection. */
  onRefused?: () => void;
}

const MAX_DELAY_MS = 30_000;
/** Down for longer than this, the widget's data may be out of date and it says so. */
export const STALE_AFTER_MS = 5_000;

export class LiveController<T> implements ReactiveController {
  #key = '';
  #abort?: AbortController;
  #timer?: ReturnType<typeof setTimeout>;
  #failures = 0;
  #connected = false;
  /** The host's first frame is on screen: connections open at once from now on. */
  #painted = false;
  /** The connection dropped or failed since it last opened: the next one must catch up. */
  #interrupted = false;
  #staleTimer?: ReturnType<typeof setTimeout>;
  /** Down for longer than STALE_AFTER_MS: what the host shows may be out of date. */
  stale = false;

  readonly #host: ReactiveControllerHost;
  readonly #options: LiveOptions<T>;

  constructor(host: ReactiveControllerHost, options: LiveOptions<T>) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    this.#connected = true;
  }

  hostUpdate(): void {
    const request = this.#options.request();
    const key = request ? JSON.stringify(request) : '';
    if (key === this.#key) return;
    this.#key = key;
    this.#stop();
    if (request) this.#open(request);
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#key = '';
    this.#stop();
  }

  #stop(): void {
    clearTimeout(this.#timer);
    this.#abort?.abort();
    // A new request (or none) starts afresh: the host reads its data again anyway.
    this.#interrupted = false;
    this.#setStale(false);
  }

  #setStale(stale: boolean): void {
    clearTimeout(this.#staleTimer);
    this.#staleTimer = undefined;
    if (this.stale === stale) return;
    this.stale = stale;
    this.#host.requestUpdate();
  }

  #open(request: LiveRequest): void {
    if (!this.#connected) return;
    const abort = (this.#abort = new AbortController());
    const read = () => {
      if (abort.signal.aborted) return;
      void this.#read(request, abort.signal).then(
        () => this.#retry(request, abort.signal),
        () => this.#retry(request, abort.signal),
      );
    };
    if (this.#painted) {
      read();
      return;
    }
    // The first connection waits for the first frame with the placeholder in it (see afterNextPaint).
    afterNextPaint(() => {
      this.#painted = true;
      read();
    });
  }

  #retry(request: LiveRequest, signal: AbortSignal): void {
    if (signal.aborted) return;
    this.#interrupted = true;
    this.#staleTimer ??= setTimeout(() => this.#setStale(true), STALE_AFTER_MS);
    this.#failures += 1;
    const delay = Math.min(MAX_DELAY_MS, 500 * 2 ** Math.min(this.#failures, 6));
    this.#timer = setTimeout(() => this.#open(request), delay);
  }

  async #read(request: LiveRequest, signal: AbortSignal): Promise<void> {
    const response = await fetch(request.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${request.credential}`,
      },
      body: JSON.stringify({ query: request.query, variables: request.variables }),
      credentials: 'omit',
      signal,
    });
    if (response.status === 401) {
      // Retrying with the same credential would be refused again: stop here (no retry follows an
      // aborted signal) until the request changes.
      this.#abort?.abort();
      this.#options.onRefused?.();
      return;
    }
    if (!response.ok || !response.body) throw new Error(`subscription refused: ${response.status}`);
    this.#failures = 0;
    this.#setStale(false);
    if (this.#interrupted) {
      this.#interrupted = false;
      this.#options.onReconnect?.();
    }
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
        if (this.#dispatch(block) === 'complete') return;
      }
    }
  }

  /** Handles one SSE event block; comment lines (keep-alive pings) are ignored. */
  #dispatch(block: string): 'complete' | undefined {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (event === 'complete') return 'complete';
    if (data.length === 0) return;
    const payload = JSON.parse(data.join('\n')) as { data?: T; errors?: unknown[] };
    if (payload.errors?.length) throw new Error('subscription error');
    if (payload.data) this.#options.onData(payload.data);
  }
}
