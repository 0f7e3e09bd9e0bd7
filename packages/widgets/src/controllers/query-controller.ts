// Loads one GraphQL query for a widget and reloads it when its inputs change (endpoint, credential,
// variables): the host describes the request, the controller owns the state and cancellation.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { afterNextPaint } from '../shared/after-next-paint.ts';
import { graphql, PulsoRequestError, type GraphQLRequest } from '../shared/graphql.ts';
import { RETRY_MS } from '../shared/retry.ts';

export interface QueryState<T> {
  status: 'idle' | 'loading' | 'ready' | 'error';
  /**
   * The data on display: always there when ready, kept from the last result while reloading and
   * after a failure (the failure itself goes to onError), none while idle or before a first result.
   */
  data?: T;
}

export interface QueryOptions<T> {
  /** The request to run, or null while the host lacks what it needs (no token yet...). */
  request: () => Omit<GraphQLRequest, 'signal'> | null;
  /** Called with each result, e.g. to merge pages. */
  onData?: (data: T) => void;
  /** Called with each failure (e.g. a refused token, to ask for another). */
  onError?: (error: PulsoRequestError) => void;
}

export class QueryController<T> implements ReactiveController {
  state: QueryState<T> = { status: 'idle' };
  #key = '';
  #abort?: AbortController;
  /** The host's first frame is on screen: requests start at once from now on. */
  #painted = false;
  /** A request is on its way, and a reload was asked for meanwhile (see reload). */
  #running = false;
  #again = false;
  /** The reload after a failure the network or Pulso may recover from, and how many in a row. */
  #retry?: ReturnType<typeof setTimeout>;
  #failures = 0;

  readonly #host: ReactiveControllerHost;
  readonly #options: QueryOptions<T>;

  constructor(host: ReactiveControllerHost, options: QueryOptions<T>) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostUpdate(): void {
    const request = this.#options.request();
    const key = request ? JSON.stringify([request.endpoint, request.credential, request.query, request.variables]) : '';
    if (key === this.#key) return;
    this.#key = key;
    if (request && this.#painted) void this.#run(request);
    else if (request) {
      // The first request waits for the first frame with the placeholder in it (see afterNextPaint).
      this.#stop();
      this.state = { status: 'loading' };
      afterNextPaint(() => {
        this.#painted = true;
        if (this.#key === key) void this.#run(request);
      });
    } else {
      this.#stop();
      this.state = { status: 'idle' };
    }
  }

  hostDisconnected(): void {
    this.#stop();
    // Reconnecting loads again.
    this.#key = '';
  }

  /**
   * Runs the current request again (a "retry" button, a live event). Live events come in bursts (a
   * rescoring, an import moving many customers): asked for while a request is on its way, the
   * reload runs once when it ends, reading what changed meanwhile, instead of aborting it and
   * sending one request per event (a list open in several tabs multiplied them).
   */
  reload(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    const request = this.#options.request();
    if (request) void this.#run(request);
  }

  /** Shows data that arrived another way (a live event carrying the same selection). */
  replace(data: T): void {
    this.#stop();
    this.state = { status: 'ready', data };
    this.#host.requestUpdate();
  }

  /** Cancels the request on its way, and a reload waiting for it. */
  #stop(): void {
    this.#abort?.abort();
    clearTimeout(this.#retry);
    this.#running = this.#again = false;
  }

  async #run(request: Omit<GraphQLRequest, 'signal'>): Promise<void> {
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.#running = true;
    const previous = this.state.data;
    this.state = { status: 'loading', data: previous };
    this.#host.requestUpdate();
    try {
      const data = await graphql<T>({ ...request, signal: abort.signal });
      if (abort.signal.aborted) return;
      this.#options.onData?.(data);
      this.state = { status: 'ready', data };
      this.#failures = 0;
    } catch (error) {
      if (abort.signal.aborted) return;
      const failure = error instanceof PulsoRequestError ? error : new PulsoRequestError('network', String(error));
      this.#options.onError?.(failure);
      this.state = { status: 'error', data: previous };
      // Data on display that failed to refresh (a live event's reload met a server error or a lost
      // connection) stayed as it was, with no word of it, until the next event: it is read again
      // after a pause, 2 s doubling up to a minute. Without data the widget shows the error and
      // its "Try again"; a refusal is not retried (a refused token is asked to be replaced).
      if (previous !== undefined && failure.kind !== 'rejected')
        this.#retry = setTimeout(() => this.reload(), Math.min(RETRY_MS.first * 2 ** this.#failures++, RETRY_MS.max));
    }
    this.#running = false;
    this.#host.requestUpdate();
    if (this.#again) {
      this.#again = false;
      this.reload();
    }
  }
}
