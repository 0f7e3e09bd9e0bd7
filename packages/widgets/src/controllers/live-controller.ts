// A widget on the shared live connection of its page and sibling tabs (live-tabs.ts): it joins with its endpoint
// and view token while connected, moves when they change, and keeps whether its data may be
// stale for the widget to show (re-rendering the host when that changes).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { afterNextPaint } from '../shared/after-next-paint.ts';
import { joinLive } from './live-tabs.ts';

export { STALE_AFTER_MS } from './live-connection.ts';

export interface LiveOptions<T> {
  /** The endpoint and view token to follow, or null (live off, no token, an expired one). */
  request: () => { endpoint: string; credential: string } | null;
  /** A change this widget sees. */
  onData: (data: T) => void;
  /** The connection is back after a drop: what it missed must be read again. */
  onReconnect?: () => void;
  /** Pulso refused the token: a new one joins again. */
  onRefused?: () => void;
}

export class LiveController<T> implements ReactiveController {
  #key = '';
  #leave?: () => void;
  /** Counts joins asked for: a join waiting for the next frame goes ahead only if still the last. */
  #turn = 0;
  /** Down for longer than STALE_AFTER_MS: what the host shows may be out of date. */
  stale = false;

  readonly #host: ReactiveControllerHost;
  readonly #options: LiveOptions<T>;

  constructor(host: ReactiveControllerHost, options: LiveOptions<T>) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostUpdate(): void {
    const request = this.#options.request();
    const key = request ? `${request.endpoint} ${request.credential}` : '';
    if (key === this.#key) return;
    this.#key = key;
    const turn = ++this.#turn;
    this.#leave?.();
    this.#leave = undefined;
    this.#setStale(false);
    if (!request) return;
    const options = this.#options;
    // Joined after the frame with the first render: joining opens the page's channel to its sibling
    // tabs (a BroadcastChannel, a Web Lock, a first message), 10-30 ms of a first render under 4x CPU
    // throttling in a profile of the demo page; the connection itself waited for that frame already.
    afterNextPaint(() => {
      if (turn !== this.#turn) return;
      this.#leave = joinLive(request.endpoint, {
        token: request.credential,
        onData: (data) => options.onData(data as T),
        onReconnect: () => options.onReconnect?.(),
        onRefused: () => options.onRefused?.(),
        onStale: (stale) => this.#setStale(stale),
      });
    });
  }

  hostDisconnected(): void {
    this.#turn++;
    this.#key = '';
    this.#leave?.();
    this.#leave = undefined;
  }

  #setStale(stale: boolean): void {
    if (this.stale === stale) return;
    this.stale = stale;
    this.#host.requestUpdate();
  }
}
