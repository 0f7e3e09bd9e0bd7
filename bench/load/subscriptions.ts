// Live widgets held open during the load: each stream a page of one widget — a gauge following its
// customer or an at-risk list following the workspace — over Server-Sent Events exactly as
// packages/widgets' live connection opens it (a POST with Accept: text/event-stream, the widgets'
// own liveViews documents, the view token as bearer and in `views`).
import { LIVE_VIEWS_AT_RISK_SUBSCRIPTION, LIVE_VIEWS_SUBSCRIPTION } from '@pulso/widgets/documents';
import type { Credentials } from './credentials.ts';

export interface OpenSubscriptions {
  /** Streams that answered 200 with text/event-stream. */
  open: number;
  /** Streams refused or failed (opening or later). */
  failed: string[];
  /** `next` events received so far, over all streams. */
  events(): number;
  close(): Promise<void>;
}

/** Opens `count` streams: four in five follow a gauge, one in five an at-risk list. */
export async function openSubscriptions(
  url: string,
  credentials: Credentials,
  count: number,
): Promise<OpenSubscriptions> {
  const abort = new AbortController();
  const failed: string[] = [];
  let events = 0;
  const readers: Promise<void>[] = [];
  const opened = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const gauge = i % 5 !== 4 ? credentials.gauges[i % credentials.gauges.length]! : undefined;
      const token = gauge ? gauge.viewToken : credentials.atRiskToken;
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({
          query: gauge ? LIVE_VIEWS_SUBSCRIPTION : LIVE_VIEWS_AT_RISK_SUBSCRIPTION,
          variables: { views: [token] },
        }),
        signal: abort.signal,
      }).catch((error: Error) => error);
      if (
        response instanceof Error ||
        response.status !== 200 ||
        !response.headers.get('content-type')?.startsWith('text/event-stream')
      ) {
        failed.push(response instanceof Error ? response.message : `HTTP ${response.status}`);
        return false;
      }
      readers.push(
        (async () => {
          const decoder = new TextDecoder();
          let buffered = '';
          try {
            for await (const chunk of response.body!) {
              buffered += decoder.decode(chunk, { stream: true });
              let end: number;
              while ((end = buffered.indexOf('\n\n')) >= 0) {
                if (/^event: next$/m.test(buffered.slice(0, end))) events++;
                buffered = buffered.slice(end + 2);
              }
            }
            if (!abort.signal.aborted) failed.push('stream ended by the server');
          } catch (error) {
            if (!abort.signal.aborted) failed.push(`stream failed: ${(error as Error).message}`);
          }
        })(),
      );
      return true;
    }),
  );
  return {
    open: opened.filter(Boolean).length,
    failed,
    events: () => events,
    close: async () => {
      abort.abort();
      await Promise.all(readers);
    },
  };
}
