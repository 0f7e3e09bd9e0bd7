// A small client for GraphQL subscriptions over Server-Sent Events, for tests that read the stream
// over real HTTP the way a browser's fetch does (graphql-yoga's default transport).

export interface EventStream {
  status: number;
  /** The next event's JSON payload (`data:` lines), or null when none comes within the timeout. */
  // biome-ignore lint/suspicious/noExplicitAny: an event is whatever JSON the test reads from it
  next(timeoutMs?: number): Promise<any>;
  /** True once the server ended the stream (read to its end). */
  readonly ended: boolean;
  close(): void;
}

export async function openEventStream(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  credential: string,
): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: { accept: 'text/event-stream', 'content-type': 'application/json', authorization: `Bearer ${credential}` },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let pending: Promise<ReadableStreamReadResult<string>> | null = null;
  let ended = false;
  // biome-ignore lint/suspicious/noExplicitAny: see EventStream.next
  async function next(timeoutMs = 5_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('\n');
        // Keep-alive comments (`:`) and the final `complete` event carry no data.
        if (data) return JSON.parse(data);
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) return null;
      pending ??= reader.read();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), left)));
      const result = await Promise.race([pending, timeout]);
      clearTimeout(timer);
      if (result === 'timeout') return null;
      pending = null;
      if (result.done) {
        ended = true;
        return null;
      }
      buffer += result.value;
    }
  }
  return {
    status: response.status,
    next,
    get ended() {
      return ended;
    },
    close: () => controller.abort(),
  };
}
