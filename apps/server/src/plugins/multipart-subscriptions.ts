// Subscriptions over multipart HTTP, the transport Apollo Client's HttpLink uses for them by default
// (issue 16: answered 406 before). yoga streams subscriptions only as Server-Sent Events: its
// multipart answer serves @defer/@stream, it leaves subscriptions out of it on purpose and does not
// export it, and it knows nothing of Apollo's subscription protocol (each event wrapped as
// `{"payload": …}`, a `{}` heartbeat every few seconds so proxies keep the connection open). So
// this plugin writes that protocol itself, for a request whose Accept names multipart/mixed with
// `subscriptionSpec`, as Apollo Client sends it: `multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json`.
// https://www.apollographql.com/docs/graphos/routing/operations/subscriptions/multipart-protocol
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { ExecutionResult } from 'graphql';

export interface MultipartSubscriptionsOptions {
  /** Milliseconds between heartbeats (`{}` parts) while no event comes. Default 5,000, as Apollo's router. */
  heartbeatMs?: number;
}

const MEDIA_TYPE = 'multipart/mixed';
const BOUNDARY = 'graphql';

/** Errors as clients see them: yoga's HTTP status hints (`extensions.http`) stay on the server. */
function withoutInternals(key: string, value: unknown): unknown {
  if (key === 'extensions' && value && typeof value === 'object' && 'http' in value) {
    const { http: _http, ...rest } = value as Record<string, unknown>;
    return Object.keys(rest).length > 0 ? rest : undefined;
  }
  return value;
}

/** Whether the Accept header asks for Apollo's multipart subscription protocol. */
export function acceptsMultipartSubscription(accept: string | null | undefined): boolean {
  return (accept ?? '')
    .split(',')
    .some((type) => type.trim().toLowerCase().startsWith(MEDIA_TYPE) && /subscriptionspec/i.test(type));
}

export function useMultipartSubscriptions(options: MultipartSubscriptionsOptions = {}): Plugin {
  const { heartbeatMs = 5_000 } = options;
  return {
    onResultProcess({ request, resultProcessor, acceptableMediaTypes, setResultProcessor }) {
      if (resultProcessor || !acceptsMultipartSubscription(request.headers.get('accept'))) return;
      acceptableMediaTypes.push(MEDIA_TYPE);
      setResultProcessor((processed, fetchAPI) => {
        const encoder = new fetchAPI.TextEncoder();
        const part = (body: unknown) =>
          encoder.encode(
            `\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${JSON.stringify(body, withoutInternals)}\r\n--${BOUNDARY}`,
          );
        let heartbeat: ReturnType<typeof setInterval> | undefined;
        let iterator: AsyncIterator<ExecutionResult> | undefined;
        const stream = new fetchAPI.ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode(`\r\n--${BOUNDARY}`));
            // A refusal before the stream opened (NOT_FOUND, FORBIDDEN…): one part, as the protocol
            // reports errors that end a subscription, then the end.
            if (!isAsyncIterable(processed)) {
              const single = processed as ExecutionResult;
              controller.enqueue(
                single.data ? part({ payload: single }) : part({ payload: null, errors: single.errors }),
              );
              controller.enqueue(encoder.encode('--\r\n'));
              controller.close();
              return;
            }
            iterator = (processed as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]();
            heartbeat = setInterval(() => {
              try {
                controller.enqueue(part({}));
              } catch {
                // The stream closed between two ticks: nothing left to keep open.
                clearInterval(heartbeat);
              }
            }, heartbeatMs);
          },
          async pull(controller) {
            if (!iterator) return;
            try {
              const { done, value } = await iterator.next();
              if (value !== undefined) controller.enqueue(part({ payload: value }));
              if (done) {
                clearInterval(heartbeat);
                controller.enqueue(encoder.encode('--\r\n'));
                controller.close();
              }
            } catch (error) {
              clearInterval(heartbeat);
              controller.error(error);
            }
          },
          async cancel() {
            // The client went away: stop the heartbeat and unsubscribe from the live events.
            clearInterval(heartbeat);
            await iterator?.return?.();
          },
        });
        return new fetchAPI.Response(stream, {
          status: 200,
          headers: {
            'content-type': `${MEDIA_TYPE};boundary="${BOUNDARY}";subscriptionSpec="1.0"`,
            'cache-control': 'no-store',
            connection: 'keep-alive',
          },
        });
      }, MEDIA_TYPE);
    },
  };
}
