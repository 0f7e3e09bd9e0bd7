// Live widgets held open during the load: each gauge follows its customer's score and each at-risk
// list the workspace's changes, over Server-Sent Events exactly as packages/widgets' live controller
// opens them (a POST with Accept: text/event-stream and a view token).
import type { Credentials } from './credentials.ts';

const GAUGE_LIVE = `subscription PulsoGaugeLive($externalId: String!) {
  scoreChanged(externalId: $externalId) { customer { id name health { value band trend { change30d direction } categories { key name subScore contribution hasData } flags { code message } } } }
}`;
const AT_RISK_LIVE = 'subscription PulsoAtRiskLive { scoreChanged { externalId } }';

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
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          authorization: `Bearer ${gauge ? gauge.viewToken : credentials.atRiskToken}`,
        },
        body: JSON.stringify(
          gauge ? { query: GAUGE_LIVE, variables: { externalId: gauge.externalId } } : { query: AT_RISK_LIVE },
        ),
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
