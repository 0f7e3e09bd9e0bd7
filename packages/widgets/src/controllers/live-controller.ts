// A widget on the shared live connection of its page and sibling tabs (live-tabs.ts): it joins with its endpoint
// and view token while connected, moves when they change, and keeps whether its data may be
// stale for the widget to show (re-rendering the host when that changes). The connection's code
// (live-tabs.ts, live-connection.ts and the live documents) is a chunk fetched when a widget first
// joins, after its first paint: no first render needs it (1.4 KB of pulso.js gzipped, 2026-12-06).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { afterNextPaint } from '../shared/after-next-paint.ts';
import { RETRY_MS } from '../shared/retry.ts';

/**
 * The live connection's chunk, imported once: the widgets waiting for it then join in the order they
 * asked (one promise's callbacks run in order; separate imports of one module may settle in any), so
 * the views of a page's stream keep the order of its widgets. A failed load is tried again (each
 * widget waiting asks, after a pause: RETRY_MS), but browsers keep a module that failed to load as
 * failed for the page's life, so `import()` of the same URL would fail at once, forever: a retry
 * asks for the chunk under a URL of its own (`?retry=N`), a new module. None of the chunk's code ran
 * before (it failed to load), so the page still runs one copy of it.
 */
let liveTabs: Promise<typeof import('./live-tabs.ts')> | undefined;
let failedLoads = 0;
// The chunk's URL relative to this module (the build writes the chunk's file name here: vite.config.ts,
// finishChunks); `import()` resolves it against this module's URL.
const LIVE_TABS = './live-tabs.ts';
const loadLiveTabs = () =>
  (liveTabs ??= (
    failedLoads === 0
      ? import('./live-tabs.ts')
      : (import(/* @vite-ignore */ `${LIVE_TABS}?retry=${failedLoads}`) as Promise<typeof import('./live-tabs.ts')>)
  ).catch((error: unknown) => {
    liveTabs = undefined;
    failedLoads++;
    throw error;
  }));

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
  /** The next attempt at a chunk that failed to load. */
  #retry?: ReturnType<typeof setTimeout>;
  /** Counts joins asked for: a join waiting for the next frame (and the chunk) goes ahead only if still the last. */
  #turn = 0;
  /** Down for longer than STALE_AFTER_MS, or its chunk failed to load (until it loads): what the host shows may be out of date. */
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
    clearTimeout(this.#retry);
    this.#leave?.();
    this.#leave = undefined;
    this.#setStale(false);
    if (!request) return;
    // Joined after the frame with the first render: joining opens the page's channel to its sibling
    // tabs (a BroadcastChannel, a Web Lock, a first message), 10-30 ms of a first render under 4x CPU
    // throttling in a profile of the demo page; the connection itself waited for that frame already.
    afterNextPaint(() => this.#join(turn, request, RETRY_MS.first));
  }

  /**
   * Joins once the chunk is in; checked again then: disconnected or moved meanwhile, this join is
   * void. A chunk that cannot load (the network, a server restarting, a deploy that removed it) is a
   * connection that is not there yet: what the widget shows may be out of date, as after an outage,
   * and it asks again after `pause`, longer each time.
   */
  #join(turn: number, request: { endpoint: string; credential: string }, pause: number): void {
    if (turn !== this.#turn) return;
    const options = this.#options;
    void loadLiveTabs().then(
      ({ joinLive }) => {
        if (turn !== this.#turn) return;
        // Back after a failed load: what changed meanwhile is read again, as after a reconnection.
        if (this.stale) options.onReconnect?.();
        this.#setStale(false);
        this.#leave = joinLive(request.endpoint, {
          token: request.credential,
          onData: (data) => options.onData(data as T),
          onReconnect: () => options.onReconnect?.(),
          onRefused: () => options.onRefused?.(),
          onStale: (stale) => this.#setStale(stale),
        });
      },
      () => {
        if (turn !== this.#turn) return;
        this.#setStale(true);
        this.#retry = setTimeout(() => this.#join(turn, request, Math.min(pause * 2, RETRY_MS.max)), pause);
      },
    );
  }

  hostDisconnected(): void {
    clearTimeout(this.#retry);
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
