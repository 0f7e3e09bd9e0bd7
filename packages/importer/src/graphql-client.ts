// GraphQL over HTTP to a running Pulso server, as a well-behaved batch client: it spends its rate
// budget as the server reports it (x-ratelimit-remaining and -reset on every answer: when the next
// operation would not fit, it waits for the window to refill), waits as long as a 429 or 503 says
// (Retry-After) and sends again, and retries a request that failed on the way (the server
// restarting, a connection reset) with growing pauses, for about two minutes. Every write the
// importer sends is idempotent, so sending one again never stores it twice. Plain fetch, no client
// library: one POST with a JSON body is all the importer asks of the protocol.
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The server cannot be used (unreachable, the key refused, an answer without data), or refused the
 * operation: then `errors` holds every GraphQL error's message (a batch's invalid values are one each).
 */
export class ServerError extends Error {
  constructor(
    message: string,
    readonly errors: string[] = [],
  ) {
    super(message);
  }
}

/** A request body over the server's limit (HTTP 413): send less at once. */
export class TooLargeError extends Error {}

export interface GraphQLClientOptions {
  /** The server's base URL, e.g. http://127.0.0.1:4000. */
  url: string;
  key: string;
  /** Stops waiting (a rate limit, a retry pause) as soon as it is aborted. */
  signal?: AbortSignal;
  /** Told when the client waits, and why (a progress line shows it). */
  onWait?: (message: string) => void;
  /** Told each time a request is sent again (after a 429 or 503, or a failure on the way). */
  onResend?: () => void;
  /** How long one request may take (default 120 s: a batch of 1,000 is scored before it answers). */
  timeoutMs?: number;
  /** Pauses between attempts of a failed request, in ms (default 1, 2, 4, 8, 15, 30, 30, 30 s). */
  retryPausesMs?: number[];
}

interface Budget {
  remaining: number;
  /** When the window refills, in epoch ms. */
  resetAt: number;
}

export interface GraphQLClient {
  /** Runs an operation; `points` is how many root fields it has (what the rate limit counts). */
  request<T>(query: string, variables: Record<string, unknown>, points: number): Promise<T>;
}

const RETRY_PAUSES_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000, 30_000, 30_000];

export function graphqlClient(options: GraphQLClientOptions): GraphQLClient {
  const {
    url,
    key,
    signal,
    onWait = () => {},
    onResend = () => {},
    timeoutMs = 120_000,
    retryPausesMs = RETRY_PAUSES_MS,
  } = options;
  let budget: Budget | null = null;

  const wait = async (ms: number, why: string) => {
    onWait(`${why}: waiting ${Math.ceil(ms / 1000)} s`);
    await sleep(ms, undefined, { signal }).catch(() => {});
    if (signal?.aborted) throw new ServerError('stopped while waiting for the server');
  };

  async function send(body: string): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let failure: string;
      try {
        const response = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        const remaining = Number(response.headers.get('x-ratelimit-remaining'));
        const reset = Number(response.headers.get('x-ratelimit-reset'));
        if (response.headers.has('x-ratelimit-remaining') && Number.isFinite(remaining) && Number.isFinite(reset))
          budget = { remaining, resetAt: reset * 1000 };
        if (response.status === 429 || response.status === 503) {
          // Over a rate limit (429), or the server shedding load (503): as long as it says, again and again.
          const seconds = Number(response.headers.get('retry-after'));
          await response.body?.cancel();
          await wait(
            (Number.isFinite(seconds) && seconds > 0 ? seconds : 5) * 1000 + Math.random() * 250,
            response.status === 429 ? 'rate limited by the server' : 'the server is busy',
          );
          attempt = -1;
          onResend();
          continue;
        }
        if (response.status === 413) {
          await response.body?.cancel();
          throw new TooLargeError('the server refused a request this large (HTTP 413)');
        }
        if (response.status < 500) return response;
        failure = `HTTP ${response.status}`;
        await response.body?.cancel();
      } catch (error) {
        if (error instanceof TooLargeError || error instanceof ServerError) throw error;
        const cause = (error as Error).cause as { code?: string; message?: string } | undefined;
        failure = cause?.code ?? cause?.message ?? (error as Error).message;
      }
      const pause = retryPausesMs[attempt];
      if (pause === undefined) throw new ServerError(`cannot reach the server at ${url}: ${failure}`);
      await wait(pause, `the server at ${url} did not answer (${failure}), retrying`);
      onResend();
    }
  }

  return {
    async request<T>(query: string, variables: Record<string, unknown>, points: number): Promise<T> {
      // The budget the last answer reported: wait for the window to refill rather than be refused.
      if (budget && budget.remaining < points && budget.resetAt > Date.now()) {
        const ms = budget.resetAt - Date.now() + 100;
        budget = null;
        await wait(ms, 'at the rate limit');
      }
      const response = await send(JSON.stringify({ query, variables }));
      const answer = (await response.json().catch(() => ({}))) as {
        data?: T;
        errors?: { message: string; extensions?: { code?: string } }[];
      };
      if (response.status === 401 || response.status === 403)
        throw new ServerError(
          `the server at ${url} refused the key: ${answer.errors?.[0]?.message ?? response.status}`,
        );
      if (answer.errors?.length)
        throw new ServerError(
          `the server at ${url} refused: ${answer.errors[0]!.message}`,
          answer.errors.map((e) => e.message),
        );
      if (!answer.data) throw new ServerError(`the server at ${url} answered HTTP ${response.status} without data`);
      return answer.data;
    },
  };
}
