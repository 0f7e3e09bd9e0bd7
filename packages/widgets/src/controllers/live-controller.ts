// A widget on the shared live connection of its page and sibling tabs (live-tabs.ts): it joins with its endpoint
// and view token while connected, moves when they change, and keeps whether its data may be
// stale for the widget to show (re-rendering the host when that changes).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
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
    this.#leave?.();
    this.#leave = undefined;
    this.#setStale(false);
    if (!request) return;
    const options = this.#options;
    this.#leave = joinLive(request.endpoint, {
      token: request.credential,
      onData: (data) => options.onData(data as T),
      onReconnect: () => options.onReconnect?.(),
      onRefused: () => options.onRefused?.(),
      onStale: (stale) => this.#setStale(stale),
    });
  }

  hostDisconnected(): void {
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
