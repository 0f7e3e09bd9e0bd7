// Delivers the webhook outbox. Polls for due events (and is woken by kick() after commits in this
// process), claims a few with FOR UPDATE SKIP LOCKED, sends them outside any transaction, and
// records each outcome under its claim.
//
// - At least once: an event is marked DELIVERED only after a 2xx. A claim is a lease
//   (claimedUntil): a worker that dies mid-attempt leaves it to expire, and the event is taken
//   again with the same webhook-id.
// - Never the same attempt twice at once: claiming is one UPDATE over rows locked with SKIP LOCKED,
//   so instances sharing one PostgreSQL database each take different events; a claimed event is
//   not due again until its lease ends, which is longer than an attempt may take.
// - In order per customer and endpoint: only the oldest (by sequence) PENDING event of a customer
//   for an endpoint may be claimed, so event n+1 waits until n is delivered or given up.
// - PGlite: the same SQL on its single connection; HTTP happens outside transactions, so a slow
//   receiver never holds the database.
import { performance } from 'node:perf_hooks';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { inSpan } from '@pulso/tracing';
import type { PrismaClient } from '@pulso/database';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from './retry-policy.ts';
import { PUBLIC_ONLY, type AddressPolicy } from './address-policy.ts';
import { sendWebhook, type SendResult } from './send.ts';

export interface WebhookWorkerOptions {
  /** How often to look for due events (default 1000 ms); kick() looks at once. */
  pollIntervalMs?: number;
  /** How long an endpoint has to answer an attempt (default 10 s). */
  timeoutMs?: number;
  /** How long a claim lasts (default twice the timeout plus 5 s): a dead worker's events wait this long. */
  leaseMs?: number;
  /** Deliveries under way at once (default 8); a customer's events for an endpoint go one at a time anyway. */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  /** Which addresses receive deliveries (default: public ones only; see address-policy.ts). */
  addresses?: AddressPolicy;
  /**
   * Drop every claim at start (default false). Only for a database no other worker uses (a PGlite
   * folder is locked to one process): events a killed process was delivering go out again at once.
   */
  releaseClaimsAtStart?: boolean;
  /** Told of each attempt's outcome (for logs). */
  onAttempt?: (attempt: WebhookAttempt) => void;
  /** Told of the worker's own errors (the database unreachable...); it carries on polling. */
  onError?: (error: unknown) => void;
  /** Told of each attempt with its duration, for the process's metrics (the server's PulsoMetrics). */
  metrics?: WebhookMetrics;
}

/** What the worker reports to metrics, as it happens. */
export interface WebhookMetrics {
  /** An attempt ended: its outcome, and how long the receiver took to answer (or the timeout). */
  attempt(attempt: { status: WebhookAttempt['status']; seconds: number }): void;
}

// Spans of the OpenTelemetry API: no-ops unless the process registered an SDK (the server does
// when OTEL_EXPORTER_OTLP_ENDPOINT is set).
const tracer = trace.getTracer('@pulso/webhooks');

export interface WebhookAttempt {
  eventId: string;
  messageId: string;
  endpointId: string;
  attempt: number;
  result: SendResult;
  /** DELIVERED, PENDING (to retry at `nextAttemptAt`) or FAILED (given up). */
  status: 'DELIVERED' | 'PENDING' | 'FAILED';
  nextAttemptAt: Date | null;
}

interface ClaimedEvent {
  workspaceId: string;
  id: string;
  messageId: string;
  endpointId: string;
  payload: unknown;
  attempts: number;
  giveUpAt: Date;
  url: string;
  secret: string;
}

export class WebhookWorker {
  readonly #prisma: PrismaClient;
  readonly #pollIntervalMs: number;
  readonly #timeoutMs: number;
  readonly #leaseMs: number;
  readonly #concurrency: number;
  readonly #retry: RetryPolicy;
  readonly #options: WebhookWorkerOptions;
  readonly #inFlight = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #claiming: Promise<void> | null = null;
  #again = false;
  #running = false;

  constructor(prisma: PrismaClient, options: WebhookWorkerOptions = {}) {
    this.#prisma = prisma;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#leaseMs = options.leaseMs ?? this.#timeoutMs * 2 + 5_000;
    this.#concurrency = options.concurrency ?? 8;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#options = options;
  }

  /** Starts polling. */
  async start(): Promise<void> {
    if (this.#running) return;
    if (this.#options.releaseClaimsAtStart) {
      await this.#prisma
        .$executeRaw`UPDATE "WebhookEvent" SET "claimedUntil" = NULL WHERE "status" = 'PENDING' AND "claimedUntil" IS NOT NULL`;
    }
    this.#running = true;
    this.#schedule();
    this.kick();
  }

  /** Looks for due events now (call after a commit that may have written some). */
  kick(): void {
    if (!this.#running) return;
    this.#again = true;
    if (this.#claiming) return;
    this.#claiming = this.#fill()
      .catch((error: unknown) => this.#options.onError?.(error))
      .finally(() => {
        this.#claiming = null;
        if (this.#again) this.kick();
      });
  }

  /** Stops polling and waits for the attempts under way (at most the timeout). */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await this.#claiming;
    await Promise.allSettled([...this.#inFlight]);
  }

  /** Resolves when no attempt is under way and nothing due is left to claim right now. */
  async idle(): Promise<void> {
    while (this.#claiming || this.#inFlight.size) {
      await this.#claiming;
      await Promise.allSettled([...this.#inFlight]);
    }
  }

  #schedule(): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => {
      this.kick();
      this.#schedule();
    }, this.#pollIntervalMs);
  }

  /** Claims due events up to the concurrency and starts their attempts. */
  async #fill(): Promise<void> {
    while (this.#running && this.#again) {
      this.#again = false;
      const room = this.#concurrency - this.#inFlight.size;
      if (room <= 0) return; // A finishing attempt kicks again.
      const claimed = await this.#claim(room);
      for (const event of claimed) {
        const attempt: Promise<void> = this.#attempt(event)
          .catch((error: unknown) => this.#options.onError?.(error))
          .finally(() => {
            this.#inFlight.delete(attempt);
            this.kick();
          });
        this.#inFlight.add(attempt);
      }
      if (claimed.length === room) this.#again = true;
    }
  }

  async #claim(limit: number): Promise<ClaimedEvent[]> {
    // Timestamps are UTC without a zone, as Prisma stores them; the database's clock is the one
    // every instance shares.
    return this.#prisma.$queryRaw<ClaimedEvent[]>`
      WITH due AS (
        SELECT e."workspaceId", e."id" FROM "WebhookEvent" e
        JOIN "WebhookEndpoint" w ON w."workspaceId" = e."workspaceId" AND w."id" = e."endpointId" AND w."enabled"
        WHERE e."status" = 'PENDING'
          AND e."nextAttemptAt" <= (now() AT TIME ZONE 'UTC')
          AND (e."claimedUntil" IS NULL OR e."claimedUntil" <= (now() AT TIME ZONE 'UTC'))
          AND NOT EXISTS (
            SELECT 1 FROM "WebhookEvent" p
            WHERE p."endpointId" = e."endpointId" AND p."customerId" = e."customerId" AND p."status" = 'PENDING' AND p."sequence" < e."sequence")
        ORDER BY e."sequence"
        LIMIT ${limit}
        FOR UPDATE OF e SKIP LOCKED
      )
      UPDATE "WebhookEvent" AS e SET
        "attempts" = e."attempts" + 1,
        "lastAttemptAt" = (now() AT TIME ZONE 'UTC'),
        "claimedUntil" = (now() AT TIME ZONE 'UTC') + ${this.#leaseMs} * interval '1 millisecond',
        "giveUpAt" = COALESCE(e."giveUpAt", (now() AT TIME ZONE 'UTC') + ${this.#retry.giveUpAfterMs} * interval '1 millisecond')
      FROM due, "WebhookEndpoint" w
      WHERE e."workspaceId" = due."workspaceId" AND e."id" = due."id" AND w."workspaceId" = e."workspaceId" AND w."id" = e."endpointId"
      RETURNING e."workspaceId"::text AS "workspaceId", e."id"::text AS "id", e."messageId", e."endpointId"::text AS "endpointId", e."payload", e."attempts", e."giveUpAt", w."url", w."secret"`;
  }

  /** One attempt inside its span (`pulso.webhook.deliver`): the send and the outcome's write beneath it. */
  #attempt(event: ClaimedEvent): Promise<void> {
    return inSpan(
      tracer,
      'pulso.webhook.deliver',
      {
        'pulso.webhook.event_id': event.id,
        'pulso.webhook.endpoint_id': event.endpointId,
        'pulso.webhook.attempt': event.attempts,
      },
      async (span) => {
        const status = await this.#deliver(event);
        span.setAttribute('pulso.webhook.status', status);
        if (status !== 'DELIVERED') span.setStatus({ code: SpanStatusCode.ERROR, message: status });
      },
    );
  }

  async #deliver(event: ClaimedEvent): Promise<WebhookAttempt['status']> {
    const started = performance.now();
    const result = await sendWebhook(
      { url: event.url, secret: event.secret, messageId: event.messageId, payload: event.payload },
      this.#timeoutMs,
      this.#options.addresses ?? PUBLIC_ONLY,
    );
    const seconds = (performance.now() - started) / 1000;
    let status: WebhookAttempt['status'];
    let nextAttemptAt: Date | null = null;
    if (result.ok) {
      status = 'DELIVERED';
      await this.#prisma.$executeRaw`
        UPDATE "WebhookEvent" SET "status" = 'DELIVERED', "deliveredAt" = (now() AT TIME ZONE 'UTC'), "claimedUntil" = NULL,
          "lastStatusCode" = ${result.statusCode}, "lastError" = NULL
        WHERE "workspaceId" = ${event.workspaceId}::uuid AND "id" = ${event.id}::uuid AND "attempts" = ${event.attempts}
          AND "claimedUntil" IS NOT NULL`;
    } else {
      const delay = retryDelayMs(event.attempts, this.#retry);
      // Given up when even the next attempt would come after the retry period, or could not succeed.
      const next = new Date(Date.now() + delay);
      status = result.permanent || next >= event.giveUpAt ? 'FAILED' : 'PENDING';
      nextAttemptAt = status === 'PENDING' ? next : null;
      await this.#prisma.$executeRaw`
        UPDATE "WebhookEvent" SET "status" = ${status}::"WebhookEventStatus", "claimedUntil" = NULL,
          "nextAttemptAt" = CASE WHEN ${status} = 'PENDING' THEN (now() AT TIME ZONE 'UTC') + ${delay} * interval '1 millisecond' ELSE "nextAttemptAt" END,
          "lastStatusCode" = ${result.statusCode}, "lastError" = ${result.error}
        WHERE "workspaceId" = ${event.workspaceId}::uuid AND "id" = ${event.id}::uuid AND "attempts" = ${event.attempts}
          AND "claimedUntil" IS NOT NULL`;
    }
    this.#options.onAttempt?.({
      eventId: event.id,
      messageId: event.messageId,
      endpointId: event.endpointId,
      attempt: event.attempts,
      result,
      status,
      nextAttemptAt,
    });
    this.#options.metrics?.attempt({ status, seconds });
    return status;
  }
}

/** The outbox as it stands: events waiting for delivery and the age of the oldest (0 when none). */
export async function outboxState(prisma: PrismaClient): Promise<{ pending: number; oldestAgeSeconds: number }> {
  // Ages by the database's clock, which every instance shares; the status index serves the filter.
  const [row] = await prisma.$queryRaw<{ pending: number; age: number | null }[]>`
    SELECT count(*)::int AS "pending",
      EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - min("createdAt")))::float8 AS "age"
    FROM "WebhookEvent" WHERE "status" = 'PENDING'`;
  return { pending: row?.pending ?? 0, oldestAgeSeconds: Math.max(0, row?.age ?? 0) };
}

/** Starts a worker over the database (stop it before closing the database). */
export async function startWebhookWorker(
  prisma: PrismaClient,
  options: WebhookWorkerOptions = {},
): Promise<WebhookWorker> {
  const worker = new WebhookWorker(prisma, options);
  await worker.start();
  return worker;
}
