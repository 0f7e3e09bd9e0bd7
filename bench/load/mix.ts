// The load itself: autocannon's connections each cycle through ten requests — five ratings from
// the rating widget (a customer token each, a fresh idempotency key every time), three gauge reads
// and two at-risk lists from portal widgets (view tokens) — the documents the widgets send.
// autocannon reports one latency histogram for everything; the per-kind figures come from pairing
// each request's onResponse (which knows its kind) with the 'response' event that follows it
// synchronously for the same connection and carries the time.
import autocannon from 'autocannon';
import { PUBLISHABLE_KEY } from './pulso-process.ts';
import type { Credentials } from './credentials.ts';
import { AT_RISK_QUERY as AT_RISK, GAUGE_QUERY as GAUGE, SUBMIT_MUTATION as RATE } from '@pulso/widgets/documents';

export type Kind = 'rating' | 'gauge' | 'atRisk';
export const KINDS: Kind[] = ['rating', 'gauge', 'atRisk'];
const SEQUENCE: Kind[] = [
  'rating',
  'gauge',
  'rating',
  'atRisk',
  'rating',
  'gauge',
  'rating',
  'atRisk',
  'rating',
  'gauge',
];

export interface KindFigures {
  responses: number;
  /** Latencies in ms of the 2xx answers of this kind (a shed request answers at once: it would flatter them). */
  latencies: number[];
  non2xx: number;
  /** 503/429 answers (load shed or rate limited): part of non2xx. */
  shed: number;
  /** 2xx answers carrying GraphQL errors, or whose data is not the expected shape. */
  graphqlErrors: number;
  /** A sample of what went wrong, for the report. */
  problems: string[];
}

export interface MixResult {
  seconds: number;
  kinds: Record<Kind, KindFigures>;
  /** Socket errors and timeouts reported by autocannon, with the first few messages. */
  errors: number;
  errorMessages: string[];
  timeouts: number;
  /** Idempotency keys of ratings sent, and of those acknowledged with a MicroRatingReceipt. */
  ratingsSent: Set<string>;
  ratingsAcknowledged: Set<string>;
}

interface Pending {
  kind: Kind;
  ok: boolean;
  status: number;
}

/** Runs the mix for `seconds` with `connections`; `label` prefixes the idempotency keys. */
export async function runMix(
  url: string,
  credentials: Credentials,
  options: { seconds: number; connections: number; label: string },
): Promise<MixResult> {
  const kinds = Object.fromEntries(
    KINDS.map((k) => [k, { responses: 0, latencies: [], non2xx: 0, shed: 0, graphqlErrors: 0, problems: [] }]),
  ) as unknown as Record<Kind, KindFigures>;
  const ratingsSent = new Set<string>();
  const ratingsAcknowledged = new Set<string>();
  let sequence = 0;
  let pending: Pending | undefined;
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;

  type Context = { ratingKey?: string };
  const request = (kind: Kind): autocannon.Request => ({
    method: 'POST',
    path: '/graphql',
    setupRequest: (req: autocannon.Request, context: Context) => {
      let credential: string;
      let body: unknown;
      if (kind === 'rating') {
        const rater = pick(credentials.raters);
        const ratingKey = `${options.label}-${sequence++}`;
        context.ratingKey = ratingKey;
        ratingsSent.add(ratingKey);
        credential = PUBLISHABLE_KEY;
        body = {
          query: RATE,
          variables: {
            input: {
              customerToken: rater.customerToken,
              customer: rater.externalId,
              variant: 'THREE_LEVELS',
              rating: pick(['LIKED', 'INDIFFERENT', 'WASTED_TIME']),
              idempotencyKey: ratingKey,
            },
          },
        };
      } else if (kind === 'gauge') {
        const gauge = pick(credentials.gauges);
        credential = gauge.viewToken;
        body = { query: GAUGE, variables: { externalId: gauge.externalId } };
      } else {
        credential = credentials.atRiskToken;
        body = { query: AT_RISK, variables: { first: 10 } };
      }
      return {
        ...req,
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          authorization: `Bearer ${credential}`,
        },
        body: JSON.stringify(body),
      };
    },
    onResponse: (status: number, body: string, context: Context) => {
      const figures = kinds[kind];
      let ok = status >= 200 && status < 300;
      if (!ok) {
        figures.non2xx++;
        if (status === 503 || status === 429) figures.shed++;
        if (figures.problems.length < 5) figures.problems.push(`HTTP ${status}: ${body.slice(0, 200)}`);
      } else {
        let json: { data?: Record<string, any> | null; errors?: unknown[] } | undefined;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        const data = json?.data;
        const shaped =
          kind === 'rating'
            ? data?.submitMicroRating?.__typename === 'MicroRatingReceipt'
            : kind === 'gauge'
              ? typeof data?.customer?.id === 'string'
              : Array.isArray(data?.atRiskCustomers);
        if (json?.errors || !shaped) {
          ok = false;
          figures.graphqlErrors++;
          if (figures.problems.length < 5) figures.problems.push(`HTTP ${status}: ${body.slice(0, 200)}`);
        } else if (kind === 'rating' && context.ratingKey) {
          ratingsAcknowledged.add(context.ratingKey);
        }
      }
      pending = { kind, ok, status };
    },
  });

  const started = performance.now();
  let instance: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url,
        connections: options.connections,
        duration: options.seconds,
        requests: SEQUENCE.map(request),
        // A request slower than this counts as a timeout (and the connection is remade).
        timeout: 30,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  const errorMessages: string[] = [];
  instance!.on('reqError', (error: Error) => {
    if (errorMessages.length < 5)
      errorMessages.push(`${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}`.trim());
  });
  instance!.on('response', (_client, _status, _bytes, responseTime) => {
    if (!pending) return;
    const figures = kinds[pending.kind];
    figures.responses++;
    if (pending.status >= 200 && pending.status < 300) figures.latencies.push(responseTime);
    pending = undefined;
  });
  const result = await done;
  return {
    seconds: (performance.now() - started) / 1000,
    kinds,
    errors: result.errors,
    errorMessages,
    timeouts: result.timeouts,
    ratingsSent,
    ratingsAcknowledged,
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
