// Ratings under load: autocannon sends submitMicroRating from many customers, each request with
// its own idempotency key (built per request by `setupRequest`), through a publishable key with a
// customer token signed for each customer the way a host site's backend signs them. A rating
// counts as acknowledged only for a 200 whose receipt says it was newly recorded (no GraphQL error,
// not a replay); the keys acknowledged are kept so the benchmark can count what was stored.
import autocannon from 'autocannon';
// The bench package has no dependency on @pulso/tokens (the lockfile is shared): its source is
// imported by path, as servers/ import the server's.
import { signCustomerToken } from '@pulso/tokens';

export const RATE = `mutation Rate($input: SubmitMicroRatingInput!) {
  submitMicroRating(input: $input) {
    __typename
    ... on MicroRatingReceipt { id replayed }
    ... on UserError { field code message }
  }
}`;

const CHOICES = ['LIKED', 'INDIFFERENT', 'WASTED_TIME'] as const;

export interface RatingCustomers {
  externalIds: string[];
  tokens: string[];
}

/** One customer token per customer, valid for a day (jose's HS256, as the host site would sign). */
export async function signTokens(secret: string, externalIds: string[]): Promise<RatingCustomers> {
  const tokens = await Promise.all(externalIds.map((externalId) => signCustomerToken({ secret, externalId })));
  return { externalIds, tokens };
}

let sequence = 0;

/** The GraphQL request of one new rating, and its idempotency key (unique within this process). */
export function ratingRequest(customers: RatingCustomers, tag: string): { key: string; body: string } {
  const { key, payload } = ratingPayload(customers, tag);
  return { key, body: JSON.stringify(payload) };
}

export function ratingPayload(
  customers: RatingCustomers,
  tag: string,
): { key: string; payload: { query: string; variables: unknown } } {
  const i = Math.floor(Math.random() * customers.externalIds.length);
  const key = `${tag}-${++sequence}`;
  const input = {
    customerToken: customers.tokens[i],
    customer: customers.externalIds[i],
    variant: 'THREE_LEVELS',
    rating: CHOICES[sequence % CHOICES.length],
    idempotencyKey: key,
  };
  return { key, payload: { query: RATE, variables: { input } } };
}

/** True for the answer of a rating newly recorded. */
export function isFreshReceipt(body: string): boolean {
  try {
    const parsed = JSON.parse(body);
    const receipt = parsed?.data?.submitMicroRating;
    return (
      parsed.errors === undefined &&
      receipt?.__typename === 'MicroRatingReceipt' &&
      receipt.replayed === false &&
      typeof receipt.id === 'string'
    );
  } catch {
    return false;
  }
}

export interface RatingLoadResult {
  /** Acknowledged ratings per second. */
  rps: number;
  p50: number;
  p99: number;
  acknowledged: number;
  non2xx: number;
  /** 200s that were not a fresh receipt (GraphQL errors, refusals, replays). */
  wrong: number;
  errors: number;
  /** A few wrong answers, to say what went wrong. */
  samples: string[];
  /** The server's CPU time per answered rating, in microseconds, when the benchmark reads it. */
  cpuMicros?: number;
}

/** `seconds` of ratings at `connections`; every acknowledged key is added to `acknowledged`. */
export async function runRatingLoad(
  url: string,
  publishableKey: string,
  customers: RatingCustomers,
  tag: string,
  seconds: number,
  connections: number,
  acknowledged: Set<string>,
): Promise<RatingLoadResult> {
  let fresh = 0;
  let wrong = 0;
  const samples: string[] = [];
  const result = await autocannon({
    url: new URL('/graphql', url).toString(),
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${publishableKey}` },
    connections,
    duration: seconds,
    requests: [
      {
        // One request in flight per connection: the connection's context names the key it carries.
        setupRequest: (request, context) => {
          const { key, body } = ratingRequest(customers, tag);
          (context as { key?: string }).key = key;
          return { ...request, body };
        },
        onResponse: (status, body, context) => {
          if (status !== 200) return;
          if (isFreshReceipt(body)) {
            fresh++;
            acknowledged.add((context as { key: string }).key);
          } else {
            wrong++;
            if (samples.length < 3) samples.push(body.slice(0, 300));
          }
        },
      },
    ],
  });
  const elapsed = (result.finish.getTime() - result.start.getTime()) / 1000;
  return {
    rps: fresh / elapsed,
    p50: result.latency.p50,
    p99: result.latency.p99,
    acknowledged: fresh,
    non2xx: result.non2xx,
    wrong,
    errors: result.errors + result.timeouts,
    samples,
  };
}
