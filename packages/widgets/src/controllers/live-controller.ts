// A GraphQL subscription over Server-Sent Events (graphql-yoga's "distinct connections" mode): a
// POST with `Accept: text/event-stream`, read as a stream. fetch rather than EventSource because
// EventSource cannot send the Authorization header, and a token in the URL would end up in logs.
// The connection follows the host: opened when connected, closed when disconnected, reopened with
// a growing delay after a failure, and moved when the request changes.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface LiveRequest {
  endpoint: string;
  credential: string;
  query: string;
  variables?: Record<string, unknown>;
}

export type LiveStatus = 'off' | 'connecting' | 'live' | 'retrying';

export interface LiveOptions<T> {
  request: () => LiveRequest | null;
  onData: (data: T) => void;
}

const MAX_DELAY_MS = 30_000;

export class LiveController<T> implements ReactiveController {
  status: LiveStatus = 'off';
  private key = '';
  private abort?: AbortController;
  private timer?: ReturnType<typeof setTimeout>;
  private failures = 0;
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: LiveOptions<T>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
  }

  hostUpdate(): void {
    const request = this.options.request();
    const key = request ? JSON.stringify(request) : '';
    if (key === this.key) return;
    this.key = key;
    this.stop();
    if (request) this.open(request);
  }

  hostDisconnected(): void {
    this.connected = false;
    this.key = '';
    this.stop();
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.abort?.abort();
    this.setStatus('off');
  }

  private setStatus(status: LiveStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.host.requestUpdate();
  }

  private open(request: LiveRequest): void {
    if (!this.connected) return;
    const abort = (this.abort = new AbortController());
    this.setStatus('connecting');
    void this.read(request, abort.signal).then(
      () => this.retry(request, abort.signal),
      () => this.retry(request, abort.signal),
    );
  }

  private retry(request: LiveRequest, signal: AbortSignal): void {
    if (signal.aborted) return;
    this.failures += 1;
    this.setStatus('retrying');
    const delay = Math.min(MAX_DELAY_MS, 500 * 2 ** Math.min(this.failures, 6));
    this.timer = setTimeout(() => this.open(request), delay);
  }

  private async read(request: LiveRequest, signal: AbortSignal): Promise<void> {
    const response = await fetch(request.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${request.credential}` },
      body: JSON.stringify({ query: request.query, variables: request.variables }),
      credentials: 'omit',
      signal,
    });
    if (!response.ok || !response.body) throw new Error(`subscription refused: ${response.status}`);
    this.setStatus('live');
    this.failures = 0;
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
        if (this.dispatch(block) === 'complete') return;
      }
    }
  }

  /** Handles one SSE event block; comment lines (keep-alive pings) are ignored. */
  private dispatch(block: string): 'complete' | void {
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
    if (payload.data) this.options.onData(payload.data);
  }
}
