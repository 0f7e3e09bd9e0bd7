// The delivery worker against a real database (PGlite and PostgreSQL) and a real HTTP receiver on
// loopback: signatures that standardwebhooks verifies, retries with backoff, order per customer,
// giving up, redelivery, claims of a dead process, and two workers sharing one PostgreSQL.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { openDatabase, type Database, type PrismaClient } from '@pulso/database';
import {
  createMigratedTestPostgresDatabase,
  openTestDatabase,
  type TestDatabase,
  type TestPostgresDatabase,
} from '@pulso/database/testing';
import { redeliverWebhookEvent } from './redeliver.ts';
import { generateWebhookSecret } from './secret.ts';
import { loopbackWorker, startWebhookReceiver, until, type WebhookReceiver } from './testing.ts';
import { WebhookWorker, type WebhookWorkerOptions } from './worker.ts';

interface Fixture {
  workspaceId: string;
  endpointId: string;
  secret: string;
  customers: string[];
}

async function fixture(prisma: PrismaClient, url: string, customers = 2): Promise<Fixture> {
  const workspace = await prisma.workspace.create({
    data: { slug: `w${Math.random().toString(36).slice(2, 10)}`, name: 'Webhooks' },
  });
  const secret = generateWebhookSecret();
  const endpoint = await prisma.webhookEndpoint.create({
    data: { workspaceId: workspace.id, url, secret, bandChanged: true },
  });
  const ids: string[] = [];
  for (let i = 0; i < customers; i++)
    ids.push(
      (await prisma.customer.create({ data: { workspaceId: workspace.id, externalId: `c${i}`, name: `C${i}` } })).id,
    );
  return { workspaceId: workspace.id, endpointId: endpoint.id, secret, customers: ids };
}

let counter = 0;
/** An outbox row as storeScores writes it. */
async function enqueue(prisma: PrismaClient, f: Fixture, customerId: string, label: string) {
  counter += 1;
  const messageId = `evt_${label}_${counter}_${Math.random().toString(16).slice(2)}`;
  return prisma.webhookEvent.create({
    data: {
      messageId,
      workspaceId: f.workspaceId,
      endpointId: f.endpointId,
      customerId,
      type: 'band.changed',
      payload: {
        type: 'band.changed',
        timestamp: new Date().toISOString(),
        data: { label, customer: { id: customerId } },
      },
    },
  });
}

describe.each(['pglite', 'postgres'] as const)('webhook delivery on %s', (kind) => {
  let test: TestDatabase;
  let database: Database;
  let receiver: WebhookReceiver;
  let worker: WebhookWorker | undefined;
  const start = async (options: WebhookWorkerOptions = {}) => {
    // The receivers listen on loopback: allowed here, refused by default (see the test of that).
    worker = loopbackWorker(database.prisma, { ...options, retry: { baseMs: 50, maxMs: 400, ...options.retry } });
    await worker.start();
    return worker;
  };

  beforeAll(async () => {
    test = await openTestDatabase(kind, 'webhooks', { poolSize: 4 });
    database = test.database;
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await receiver?.close();
  });
  afterAll(() => test?.close());

  it('sends nothing to a loopback address unless allowed, whether the URL names it or a name resolves to it', async () => {
    receiver = await startWebhookReceiver();
    const port = new URL(receiver.url).port;
    // Stored directly: registration refuses these URLs too, but a name can be re-pointed later.
    const byName = await fixture(database.prisma, `http://localhost:${port}/hooks`, 1);
    const byAddress = await fixture(database.prisma, `http://[::ffff:127.0.0.1]:${port}/hooks`, 1);
    const events = [
      await enqueue(database.prisma, byName, byName.customers[0]!, 'by-name'),
      await enqueue(database.prisma, byAddress, byAddress.customers[0]!, 'by-address'),
    ];
    await start({ addresses: { allowPrivateAddresses: false }, retry: { baseMs: 60_000 } });
    const failed = await until('two refused attempts', async () => {
      const rows = await database.prisma.webhookEvent.findMany({
        where: { id: { in: events.map((e) => e.id) } },
        orderBy: { messageId: 'asc' },
      });
      return rows.every((row) => row.attempts === 1 && row.claimedUntil === null) && rows;
    });
    expect(failed.map((row) => [row.status, row.lastStatusCode])).toEqual([
      ['PENDING', null],
      ['PENDING', null],
    ]);
    expect(failed.map((row) => row.lastError).sort()).toEqual([
      // The URL parser writes [::ffff:127.0.0.1] as [::ffff:7f00:1].
      'refused: ::ffff:7f00:1 is a loopback address, not a public one',
      expect.stringMatching(
        /^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address, not a public one$/,
      ),
    ]);
    expect(receiver.received).toEqual([]);
    // Allowed, the same events go out (a redelivery, as an operator would ask for once it is fixed).
    await worker!.stop();
    for (const event of events) await redeliverWebhookEvent(database.prisma, event.workspaceId, event.id);
    await start({ addresses: { allowPrivateAddresses: true } });
    await until(
      'both delivered',
      async () =>
        (await database.prisma.webhookEvent.count({
          where: { id: { in: events.map((e) => e.id) }, status: 'DELIVERED' },
        })) === 2,
    );
    expect(receiver.received.map((r) => r.id).sort()).toEqual(events.map((e) => e.messageId).sort());
  });

  it('gives up at once on an endpoint stored with credentials in its URL, which no attempt can send', async () => {
    receiver = await startWebhookReceiver();
    const withCredentials = receiver.url.replace('http://', 'http://user:pass@');
    // Stored directly: registration refuses such a URL since, but an endpoint may predate that.
    const f = await fixture(database.prisma, withCredentials, 1);
    const event = await enqueue(database.prisma, f, f.customers[0]!, 'credentials');
    const attempts: string[] = [];
    await start({ retry: { baseMs: 50 }, onAttempt: (a) => attempts.push(a.status) });
    const failed = await until('the attempt', async () => {
      const row = await database.prisma.webhookEvent.findFirstOrThrow({ where: { id: event.id } });
      return row.attempts === 1 && row.claimedUntil === null && row;
    });
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 1, lastStatusCode: null });
    expect(failed.lastError).toMatch(/^the endpoint URL includes credentials \(user:password@\), which cannot be sent/);
    expect(failed.lastError).not.toContain('user:pass@');
    // No retry comes, even with retries 50 ms apart.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(attempts).toEqual(['FAILED']);
    expect(receiver.received).toEqual([]);
  });

  it('signs each delivery the Standard Webhooks way: standardwebhooks verifies it, a forged or stale one fails', async () => {
    receiver = await startWebhookReceiver();
    const f = await fixture(database.prisma, receiver.url, 1);
    const event = await enqueue(database.prisma, f, f.customers[0]!, 'signed');
    await start();
    const stored = await until('delivery', async () => {
      const row = await database.prisma.webhookEvent.findFirstOrThrow({ where: { id: event.id } });
      return row.status === 'DELIVERED' && row;
    });
    expect(stored).toMatchObject({ attempts: 1, lastStatusCode: 200, lastError: null, claimedUntil: null });
    const [request] = receiver.received;
    expect(request!.id).toBe(event.messageId);
    expect(request!.headers['content-type']).toBe('application/json');
    const headers = request!.headers as Record<string, string>;
    expect(new Webhook(f.secret).verify(request!.body, headers)).toEqual(event.payload);
    expect(Math.abs(Number(headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    // Another secret, a changed body, a replay from an hour ago: refused by the receiver's library.
    expect(() => new Webhook(generateWebhookSecret()).verify(request!.body, headers)).toThrow(/signature/i);
    expect(() => new Webhook(f.secret).verify(request!.body.replace('signed', 'forged'), headers)).toThrow(
      /signature/i,
    );
    expect(() =>
      new Webhook(f.secret).verify(request!.body, {
        ...headers,
        'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 3_600),
      }),
    ).toThrow(/too old/);
  });

  it('retries after 500s and timeouts with growing delays, then records the acknowledgement; the failure shows meanwhile', async () => {
    const answers = [500, 503, 'hang', 200] as const;
    receiver = await startWebhookReceiver((request) => {
      const answer = answers[receiver.received.indexOf(request)] ?? 200;
      return answer === 'hang' ? new Promise<number>(() => {}) : answer;
    });
    const f = await fixture(database.prisma, receiver.url, 1);
    const event = await enqueue(database.prisma, f, f.customers[0]!, 'retried');
    const attempts: { status: string; error: string | null; at: number }[] = [];
    await start({
      timeoutMs: 1_500,
      onAttempt: (a) => attempts.push({ status: a.status, error: a.result.error, at: Date.now() }),
    });
    await until(
      'acknowledgement',
      async () =>
        (await database.prisma.webhookEvent.findFirstOrThrow({ where: { id: event.id } })).status === 'DELIVERED',
    );
    const row = await database.prisma.webhookEvent.findFirstOrThrow({ where: { id: event.id } });
    expect(row).toMatchObject({ attempts: 4, lastStatusCode: 200, lastError: null });
    expect(receiver.received.map((r) => r.id)).toEqual([
      event.messageId,
      event.messageId,
      event.messageId,
      event.messageId,
    ]);
    expect(attempts.map((a) => a.error)).toEqual([
      'HTTP 500 Internal Server Error',
      'HTTP 503 Service Unavailable',
      'no answer within 1500 ms',
      null,
    ]);
    // Exponential with jitter: at least half of 50, 100, 200 ms between the end of an attempt and the next request.
    for (const [i, minimum] of [25, 50, 100].entries()) {
      expect(receiver.received[i + 1]!.receivedAt - attempts[i]!.at).toBeGreaterThanOrEqual(minimum - 5);
    }

    // A failure is visible while the event waits for its retry.
    await worker!.stop();
    receiver.respond(() => 500);
    const waiting = await enqueue(database.prisma, f, f.customers[0]!, 'waiting');
    await start({ retry: { baseMs: 3_600_000, maxMs: 3_600_000 } });
    const pending = await until('a failed attempt', async () => {
      const r = await database.prisma.webhookEvent.findFirstOrThrow({ where: { id: waiting.id } });
      return r.attempts === 1 && r.claimedUntil === null && r;
    });
    expect(pending).toMatchObject({
      status: 'PENDING',
      lastStatusCode: 500,
      lastError: 'HTTP 500 Internal Server Error',
    });
    expect(pending.nextAttemptAt.getTime() - Date.now()).toBeGreaterThan(20 * 60_000);
  });

  it("delivers a customer's events in order: a failing event holds back that customer's later ones, not another customer's", async () => {
    let failFirst = 2;
    receiver = await startWebhookReceiver((request) => {
      if (request.payload.data.label === 'a0' && failFirst > 0) {
        failFirst -= 1;
        return 500;
      }
      return 200;
    });
    const f = await fixture(database.prisma, receiver.url, 2);
    const [a, b] = f.customers as [string, string];
    for (let i = 0; i < 4; i++) {
      await enqueue(database.prisma, f, a, `a${i}`);
      await enqueue(database.prisma, f, b, `b${i}`);
    }
    await start({ retry: { baseMs: 1_000, maxMs: 1_000 } });
    await until(
      'all delivered',
      async () =>
        (await database.prisma.webhookEvent.count({ where: { workspaceId: f.workspaceId, status: 'DELIVERED' } })) ===
        8,
    );
    const labels = receiver.received.map((r) => r.payload.data.label as string);
    const firstAck = (label: string) =>
      receiver.received.findIndex((r) => r.payload.data.label === label && r.answered === 200);
    // Every request for customer a's event n+1 came after event n was acknowledged.
    for (const customer of ['a', 'b']) {
      for (let i = 1; i < 4; i++) {
        const firstRequest = labels.indexOf(`${customer}${i}`);
        expect(firstRequest).toBeGreaterThan(firstAck(`${customer}${i - 1}`));
      }
    }
    expect(labels.filter((l) => l === 'a0')).toHaveLength(3);
    // b was not held back by a's failures: all of b went out before a0 was acknowledged.
    expect(firstAck('b3')).toBeLessThan(firstAck('a0'));
  });

  it("gives up after the retry period (FAILED), then delivers the customer's next event; a redelivery sends it again with the same webhook-id", async () => {
    receiver = await startWebhookReceiver((request) => (request.payload.data.label === 'doomed' ? 500 : 200));
    const f = await fixture(database.prisma, receiver.url, 1);
    const doomed = await enqueue(database.prisma, f, f.customers[0]!, 'doomed');
    const next = await enqueue(database.prisma, f, f.customers[0]!, 'next');
    await start({ retry: { baseMs: 50, maxMs: 100, giveUpAfterMs: 500 } });
    await until(
      'next delivered',
      async () =>
        (await database.prisma.webhookEvent.findFirstOrThrow({ where: { id: next.id } })).status === 'DELIVERED',
    );
    const failed = await database.prisma.webhookEvent.findFirstOrThrow({ where: { id: doomed.id } });
    expect(failed).toMatchObject({
      status: 'FAILED',
      lastStatusCode: 500,
      lastError: 'HTTP 500 Internal Server Error',
    });
    expect(failed.attempts).toBeGreaterThan(1);
    expect(failed.giveUpAt!.getTime() - failed.createdAt.getTime()).toBeLessThan(60_000);

    receiver.respond(() => 200);
    const before = receiver.received.length;
    const requeued = await redeliverWebhookEvent(database.prisma, f.workspaceId, doomed.messageId);
    expect(requeued).toMatchObject({ status: 'PENDING', giveUpAt: null });
    worker!.kick();
    const delivered = await until('redelivery', async () => {
      const row = await database.prisma.webhookEvent.findFirstOrThrow({ where: { id: doomed.id } });
      return row.status === 'DELIVERED' && row;
    });
    expect(delivered.attempts).toBe(failed.attempts + 1);
    expect(receiver.received.slice(before).map((r) => r.id)).toEqual([doomed.messageId]);
    // Redelivering a delivered event sends it once more, same id.
    await redeliverWebhookEvent(database.prisma, f.workspaceId, next.id);
    await until('second redelivery', async () => receiver.received.filter((r) => r.id === next.messageId).length === 2);
    await expect(redeliverWebhookEvent(database.prisma, f.workspaceId, 'evt_none')).rejects.toThrow(/no webhook event/);
  });

  it('does not take an event another worker claimed until its claim expires, and a PGlite restart releases claims at once', async () => {
    receiver = await startWebhookReceiver();
    const f = await fixture(database.prisma, receiver.url, 1);
    const event = await enqueue(database.prisma, f, f.customers[0]!, 'claimed');
    // As a killed process leaves it: claimed, attempt counted, never answered.
    await database.prisma.webhookEvent.updateMany({
      where: { id: event.id },
      data: { attempts: 1, claimedUntil: new Date(Date.now() + 60 * 60_000) },
    });
    await start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(0);
    await worker!.stop();
    await start({ releaseClaimsAtStart: true });
    await until(
      'delivery after release',
      async () =>
        (await database.prisma.webhookEvent.findFirstOrThrow({ where: { id: event.id } })).status === 'DELIVERED',
    );
    expect(receiver.received.map((r) => r.id)).toEqual([event.messageId]);
    expect((await database.prisma.webhookEvent.findFirstOrThrow({ where: { id: event.id } })).attempts).toBe(2);
  });
});

describe('two workers on one PostgreSQL database', () => {
  let postgres: TestPostgresDatabase;
  let a: Database;
  let b: Database;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    postgres = await createMigratedTestPostgresDatabase('webhooks_two');
    a = await openDatabase({ kind: 'postgres', url: postgres.url, poolSize: 4 });
    b = await openDatabase({ kind: 'postgres', url: postgres.url, poolSize: 4 });
  });
  afterAll(async () => {
    await receiver?.close();
    await a?.close();
    await b?.close();
    await postgres?.drop();
  });

  it('never deliver one event twice at once, and share the work', async () => {
    const inFlight = new Set<string>();
    const overlaps: string[] = [];
    receiver = await startWebhookReceiver(async (request) => {
      if (inFlight.has(request.id)) overlaps.push(request.id);
      inFlight.add(request.id);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight.delete(request.id);
      return 200;
    });
    const f = await fixture(a.prisma, receiver.url, 20);
    for (const customer of f.customers)
      for (let i = 0; i < 3; i++) await enqueue(a.prisma, f, customer, `${customer}-${i}`);
    const seen = { a: 0, b: 0 };
    const workers = [
      new WebhookWorker(a.prisma, {
        pollIntervalMs: 20,
        concurrency: 4,
        addresses: { allowPrivateAddresses: true },
        onAttempt: () => (seen.a += 1),
      }),
      new WebhookWorker(b.prisma, {
        pollIntervalMs: 20,
        concurrency: 4,
        addresses: { allowPrivateAddresses: true },
        onAttempt: () => (seen.b += 1),
      }),
    ];
    await Promise.all(workers.map((w) => w.start()));
    try {
      await until(
        'all delivered',
        async () =>
          (await a.prisma.webhookEvent.count({ where: { workspaceId: f.workspaceId, status: 'DELIVERED' } })) === 60,
      );
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    expect(overlaps).toEqual([]);
    expect(receiver.received).toHaveLength(60);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(60);
    expect(seen.a + seen.b).toBe(60);
    expect(seen.a).toBeGreaterThan(0);
    expect(seen.b).toBeGreaterThan(0);
  });
});
