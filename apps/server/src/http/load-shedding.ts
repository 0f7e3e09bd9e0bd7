// Load shedding: beyond capacity, new requests are refused at once with 503 + Retry-After, before
// their body is read or any GraphQL is parsed, so the work already accepted finishes and the
// server recovers by itself once the flood ebbs. Nothing is refused half-way: a request is either
// turned away before it starts or runs to its end, so an acknowledged write is never lost.
//
// Two signals, each off at 0:
// - requests in flight: accepted and not yet answered. Every wait behind the database (PGlite's
//   single connection, a PostgreSQL pool that is exhausted) shows here first, as a growing queue;
//   a cap turns "everyone waits longer and longer" into "some are told to come back".
// - event-loop delay: the mean delay of Node's own timer probe (perf_hooks.monitorEventLoopDelay)
//   over the last sampling window. A loop that is seconds late cannot answer anyone in time.
//   The mean, not the maximum: one long garbage collection or rescoring chunk must not shed.
//
// Why not a library: under-pressure is a Fastify plugin. overload-protection does plain node:http,
// but it reads the loop through loopbench's setTimeout probe as an instant value (the delay of the
// last 5 ms tick, so one long garbage collection trips it), caps nothing in flight, and knows no
// SSE; toobusy-js is the same probe idea and leaves the answer to its caller. What Pulso needs is a counter and
// Node's own delay histogram (perf_hooks.monitorEventLoopDelay, read as a mean per window), so this
// small module uses perf_hooks directly instead of adding a dependency.
import { acceptsMultipartSubscription } from '../plugins/multipart-subscriptions.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoadSheddingOptions {
  /** Requests accepted and not yet answered (open subscriptions left out); beyond it new ones get 503. 0 = no cap. */
  maxRequestsInFlight: number;
  /** Mean event-loop delay (ms) over the last window; above it new requests get 503. 0 = not watched. */
  maxEventLoopDelayMs: number;
  /** How often the event-loop delay is read and its histogram started anew (default 500 ms). */
  sampleIntervalMs?: number;
  /** The Retry-After header, in seconds (default 1). */
  retryAfterSeconds?: number;
}

export type OverloadReason = 'REQUESTS_IN_FLIGHT' | 'EVENT_LOOP_DELAY';

/** `extensions.code` of a request refused because the server is beyond capacity. */
export const OVER_CAPACITY_CODE = 'OVER_CAPACITY';

export interface LoadState {
  inFlight: number;
  /** Mean event-loop delay of the last window, in ms (0 when not watched). */
  eventLoopDelayMs: number;
  /** Why new requests are refused now, or null when they are accepted. */
  overloaded: OverloadReason | null;
}

export interface LoadShedder {
  /**
   * Admits the request (it is counted until its response closes) and returns true, or answers it
   * with 503 + Retry-After and returns false. Subscriptions (Accept: text/event-stream, or Apollo's
   * multipart/mixed with subscriptionSpec) are refused
   * alike while overloaded but never counted: an open stream waits for events, not for the server.
   */
  admit(req: IncomingMessage, res: ServerResponse): boolean;
  state(): LoadState;
  /** The Retry-After of refusals (seconds), for /healthz to send too. */
  retryAfterSeconds: number;
  close(): void;
}

export const DEFAULT_LOAD_SHEDDING: LoadSheddingOptions = {
  // Far above what one process serves in time (a few hundred requests a second on one core): a
  // normal load, even a benchmark's hundred connections, never comes near it.
  maxRequestsInFlight: 1000,
  // Half a second late on average over a whole window: the process is stuck, not busy.
  maxEventLoopDelayMs: 500,
};

// The histogram's timer fires every RESOLUTION_MS; its own period is not delay.
const RESOLUTION_MS = 10;

export function createLoadShedder(
  { maxRequestsInFlight, maxEventLoopDelayMs, sampleIntervalMs = 500, retryAfterSeconds = 1 }: LoadSheddingOptions,
  /** Where refusals are counted (the server's PulsoMetrics). */
  { metrics }: { metrics?: { shed(reason: OverloadReason): void } } = {},
): LoadShedder {
  let inFlight = 0;
  let eventLoopDelayMs = 0;
  const histogram = maxEventLoopDelayMs > 0 ? monitorEventLoopDelay({ resolution: RESOLUTION_MS }) : undefined;
  let sampler: NodeJS.Timeout | undefined;
  if (histogram) {
    histogram.enable();
    sampler = setInterval(() => {
      // mean is NaN before the first sample of a window: keep the previous reading then.
      if (histogram.count > 0) eventLoopDelayMs = Math.max(0, histogram.mean / 1e6 - RESOLUTION_MS);
      histogram.reset();
    }, sampleIntervalMs);
    // Sampling never keeps the process alive on its own.
    sampler.unref();
  }

  const overloaded = (): OverloadReason | null => {
    if (maxRequestsInFlight > 0 && inFlight >= maxRequestsInFlight) return 'REQUESTS_IN_FLIGHT';
    if (histogram && eventLoopDelayMs > maxEventLoopDelayMs) return 'EVENT_LOOP_DELAY';
    return null;
  };

  const body = (reason: OverloadReason) =>
    JSON.stringify({
      errors: [
        {
          message: `Pulso is over capacity (${reason === 'REQUESTS_IN_FLIGHT' ? 'too many requests in flight' : 'the server is running late'}): nothing was done, try again in ${retryAfterSeconds} s`,
          extensions: { code: OVER_CAPACITY_CODE, reason, retryAfterSeconds },
        },
      ],
    });

  return {
    retryAfterSeconds,
    admit(req, res) {
      const reason = overloaded();
      if (reason) {
        metrics?.shed(reason);
        // The body is not read: Node discards what is left of it once this answer is sent.
        res
          .writeHead(503, {
            'content-type': 'application/json; charset=utf-8',
            'retry-after': String(retryAfterSeconds),
            'cache-control': 'no-store',
          })
          .end(body(reason));
        return false;
      }
      // Subscriptions (Server-Sent Events, or Apollo's multipart protocol) live as long as the
      // client wants: they are not requests in flight.
      if (req.headers.accept?.includes('text/event-stream') || acceptsMultipartSubscription(req.headers.accept))
        return true;
      inFlight++;
      // 'close' comes once per response, whether it finished or its connection was cut.
      res.once('close', () => inFlight--);
      return true;
    },
    state: () => ({ inFlight, eventLoopDelayMs: histogram ? eventLoopDelayMs : 0, overloaded: overloaded() }),
    close() {
      clearInterval(sampler);
      histogram?.disable();
    },
  };
}
