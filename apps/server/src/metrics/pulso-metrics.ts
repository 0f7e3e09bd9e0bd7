// Pulso's metrics: one object per process, composed where the server is built (main.ts, or
// server.ts when none is given) and passed to every part that counts something, which counts it
// where it happens: the HTTP handler, the GraphQL plugin (plugins/metrics.ts), the rate limits,
// load shedding, the write resolvers, the rescoring runner and the webhook worker (through their
// `metrics` options, whose interfaces their packages define). Gauges of state that lives in the
// database (the webhook outbox) or in a pool are read when Prometheus scrapes, not kept.
//
// Why prom-client: it is the Prometheus client for Node that everything else builds on (graphql-
// yoga's Prometheus plugin, @envelop/prometheus, is a layer over it), and it brings Node's process
// metrics — CPU, memory, garbage collection, handles and the event-loop delay histogram that
// perf_hooks measures — under their standard names, so the usual Node dashboards read them. Pulso
// uses it directly rather than yoga's plugin because most of what an operator watches here is not
// GraphQL (HTTP requests answered before yoga, shedding, rescoring, webhooks), and because that
// plugin labels by the operation name the client sent, which any client can vary without end:
// here names are bounded (operation-names.ts). A registry of its own, not prom-client's global
// one, so that two servers in one process (tests) never share counters.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RescoreMetrics } from '@pulso/core';
import type { WebhookMetrics } from '@pulso/webhooks';
import { OperationNames } from './operation-names.ts';

/** State read at scrape time: a PostgreSQL pool's connections. */
export interface PoolState {
  max: number;
  total: number;
  idle: number;
  waiting: number;
}

/** The webhook outbox as it stands: events waiting and the age of the oldest (seconds, 0 when none). */
export interface OutboxState {
  pending: number;
  oldestAgeSeconds: number;
}

export interface PulsoMetricsOptions {
  /** Distinct operation names labelled before the rest are counted as `_other` (default 200). */
  maxOperationNames?: number;
  /** Node's process metrics (default true); off in tests that count series. */
  processMetrics?: boolean;
}

// Request and operation latencies: 5 ms to 10 s, the span between a cached read and a timeout.
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// Rescoring runs: a few customers in a second to a large workspace's history in an hour.
const RUN_BUCKETS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600];

export class PulsoMetrics {
  readonly registry = new Registry();
  readonly operationNames: OperationNames;

  readonly #httpDuration: Histogram<'route' | 'method' | 'status'>;
  readonly #httpInFlight: Gauge;
  readonly #operationDuration: Histogram<'operation_name' | 'operation_type'>;
  readonly #errors: Counter<'code'>;
  readonly #executions: Counter<'executor'>;
  readonly #rateLimited: Counter<'limit'>;
  readonly #shed: Counter<'reason'>;
  readonly #liveSubscribers: Gauge;
  readonly #interactions: Counter;
  readonly #scores: Counter<'source'>;
  readonly #rescoreChunk: Histogram;
  readonly #rescoreRun: Histogram<'outcome'>;
  readonly #rescoreProgress: Gauge<'state'>;
  readonly #webhookAttempts: Counter<'outcome'>;
  readonly #webhookDuration: Histogram;
  #pool: (() => PoolState) | undefined;
  #outbox: (() => Promise<OutboxState | undefined>) | undefined;

  constructor({ maxOperationNames = 200, processMetrics = true }: PulsoMetricsOptions = {}) {
    const registers = [this.registry];
    this.operationNames = new OperationNames(maxOperationNames);
    if (processMetrics) collectDefaultMetrics({ register: this.registry });
    this.#httpDuration = new Histogram({
      name: 'pulso_http_request_duration_seconds',
      help: 'HTTP requests answered, by route (graphql, livez, readyz, healthz, widgets, demo, backup, other), method and status.',
      labelNames: ['route', 'method', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#httpInFlight = new Gauge({
      name: 'pulso_http_requests_in_flight',
      help: 'HTTP requests accepted and not yet answered (open subscriptions included).',
      registers,
    });
    this.#operationDuration = new Histogram({
      name: 'pulso_graphql_operation_duration_seconds',
      help: 'GraphQL operations from parse to result, by operation name (_anonymous, _invalid, _other beyond the bound) and type.',
      labelNames: ['operation_name', 'operation_type'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#errors = new Counter({
      name: 'pulso_graphql_errors_total',
      help: 'GraphQL errors answered, by extensions.code (NONE: an error without one).',
      labelNames: ['code'],
      registers,
    });
    this.#executions = new Counter({
      name: 'pulso_graphql_executions_total',
      help: 'GraphQL operations executed, by executor: compiled (graphql-jit, a repeated query) or interpreted (graphql-js).',
      labelNames: ['executor'],
      registers,
    });
    this.#rateLimited = new Counter({
      name: 'pulso_rate_limited_total',
      help: 'Requests refused by a rate limit (429), by budget: API_KEY, ADDRESS, CUSTOMER_TOKEN.',
      labelNames: ['limit'],
      registers,
    });
    this.#shed = new Counter({
      name: 'pulso_shed_requests_total',
      help: 'Requests refused beyond capacity (503), by reason: REQUESTS_IN_FLIGHT, EVENT_LOOP_DELAY.',
      labelNames: ['reason'],
      registers,
    });
    this.#liveSubscribers = new Gauge({
      name: 'pulso_live_subscribers',
      help: 'Live subscriptions open on this instance.',
      registers,
    });
    this.#interactions = new Counter({
      name: 'pulso_interactions_recorded_total',
      help: 'Interactions newly stored through the API (retries of a stored write not counted).',
      registers,
    });
    this.#scores = new Counter({
      name: 'pulso_scores_computed_total',
      help: 'Customer scores computed and stored, by source: write (an API write) or rescore (a rescoring chunk).',
      labelNames: ['source'],
      registers,
    });
    this.#rescoreChunk = new Histogram({
      name: 'pulso_rescore_chunk_duration_seconds',
      help: 'Rescoring chunks committed (one transaction of up to chunkSize customers).',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#rescoreRun = new Histogram({
      name: 'pulso_rescore_run_duration_seconds',
      help: 'Rescoring runs ended on this instance, from claim to end, by outcome: succeeded or failed.',
      labelNames: ['outcome'],
      buckets: RUN_BUCKETS,
      registers,
    });
    this.#rescoreProgress = new Gauge({
      name: 'pulso_rescore_run_customers',
      help: 'The rescoring run in progress on this instance: customers done and total (both 0 when none).',
      labelNames: ['state'],
      registers,
    });
    this.#webhookAttempts = new Counter({
      name: 'pulso_webhook_attempts_total',
      help: 'Webhook delivery attempts, by outcome: delivered, retry (to be tried again) or failed (given up).',
      labelNames: ['outcome'],
      registers,
    });
    this.#webhookDuration = new Histogram({
      name: 'pulso_webhook_attempt_duration_seconds',
      help: 'Webhook delivery attempts, from send to the receiver answering (or the timeout).',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const metrics = this;
    new Gauge({
      name: 'pulso_db_pool_connections',
      help: 'PostgreSQL pool connections by state: total, idle, waiting (requests queued for one), max. Absent on PGlite, which has one connection.',
      labelNames: ['state'],
      registers,
      collect() {
        const pool = metrics.#pool?.();
        if (!pool) return;
        for (const state of ['max', 'total', 'idle', 'waiting'] as const) this.set({ state }, pool[state]);
      },
    });
    const pending = new Gauge({
      name: 'pulso_webhook_outbox_pending',
      help: 'Webhook events waiting for delivery (PENDING), read from the database at scrape time.',
      registers,
      async collect() {
        const outbox = await metrics.#outbox?.();
        if (!outbox) return;
        this.set(outbox.pending);
        oldest.set(outbox.oldestAgeSeconds);
      },
    });
    const oldest = new Gauge({
      name: 'pulso_webhook_outbox_oldest_age_seconds',
      help: 'Age of the oldest webhook event waiting for delivery (0 when none), read with pulso_webhook_outbox_pending.',
      registers,
    });
    void pending;
    this.#rescoreProgress.set({ state: 'done' }, 0);
    this.#rescoreProgress.set({ state: 'total' }, 0);
    this.#liveSubscribers.set(0);
    this.#httpInFlight.set(0);
  }

  /** The text Prometheus scrapes. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Reads a PostgreSQL pool's state at each scrape. */
  watchPool(read: () => PoolState): void {
    this.#pool = read;
  }

  /** Reads the webhook outbox at each scrape (a scrape whose read fails reports the last values). */
  watchOutbox(read: () => Promise<OutboxState>): void {
    this.#outbox = () => read().catch(() => undefined);
  }

  /** Counts a request in flight until `done` is called with its answer. */
  httpRequestStarted(): (route: string, method: string, status: number | null) => void {
    const stop = this.#httpDuration.startTimer();
    this.#httpInFlight.inc();
    return (route, method, status) => {
      this.#httpInFlight.dec();
      stop({ route, method: KNOWN_METHODS.has(method) ? method : 'OTHER', status: status === null ? 'none' : status });
    };
  }

  graphqlOperation(name: string, type: string, seconds: number): void {
    this.#operationDuration.observe({ operation_name: name, operation_type: type }, seconds);
  }

  graphqlErrors(codes: readonly (string | undefined)[]): void {
    for (const code of codes) this.#errors.inc({ code: code && /^[A-Z_]{1,64}$/.test(code) ? code : 'NONE' });
  }

  graphqlExecution(executor: 'compiled' | 'interpreted'): void {
    this.#executions.inc({ executor });
  }

  rateLimited(limit: string): void {
    this.#rateLimited.inc({ limit });
  }

  shed(reason: string): void {
    this.#shed.inc({ reason });
  }

  liveSubscriberOpened(): void {
    this.#liveSubscribers.inc();
  }

  liveSubscriberClosed(): void {
    this.#liveSubscribers.dec();
  }

  interactionsRecorded(count: number): void {
    if (count > 0) this.#interactions.inc(count);
  }

  scoresComputed(source: 'write' | 'rescore', count: number): void {
    if (count > 0) this.#scores.inc({ source }, count);
  }

  /** What the rescoring runner reports (@pulso/core's RescoreMetrics). */
  readonly rescore: RescoreMetrics = {
    chunk: ({ customers, seconds, done, total }) => {
      this.#rescoreChunk.observe(seconds);
      this.scoresComputed('rescore', customers);
      this.#rescoreProgress.set({ state: 'done' }, done);
      this.#rescoreProgress.set({ state: 'total' }, total);
    },
    runEnded: ({ outcome, seconds }) => {
      this.#rescoreRun.observe({ outcome }, seconds);
      this.#rescoreProgress.set({ state: 'done' }, 0);
      this.#rescoreProgress.set({ state: 'total' }, 0);
    },
  };

  /** What the webhook worker reports (@pulso/webhooks' WebhookMetrics). */
  readonly webhooks: WebhookMetrics = {
    attempt: ({ status, seconds }) => {
      this.#webhookAttempts.inc({
        outcome: status === 'DELIVERED' ? 'delivered' : status === 'FAILED' ? 'failed' : 'retry',
      });
      this.#webhookDuration.observe(seconds);
    },
  };
}

const KNOWN_METHODS = new Set(['GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH']);
