// Webhooks survive crashes: a server process delivers band changes and score drops to a slow,
// flaky receiver while interactions keep changing bands, and is killed with SIGKILL again and again
// while a delivery is under way, then restarted on the same data. Afterwards every event in the
// outbox was acknowledged at least once, each customer's events arrived in order (no request for
// event n+1 before event n was acknowledged), a re-sent event kept its webhook-id, and the
// band.changed events of each customer chain from band to band up to its final band (none lost).
// On PGlite and on PostgreSQL. Moments are seeded: PULSO_TEST_SEED=<seed> replays them.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseTarget } from '@pulso/database';
import { createMigratedTestPostgresDatabase, type TestPostgresDatabase } from '@pulso/database/testing';
import { seededRandom, type Random } from './support/seeded-random.ts';
import { prepareWorkspace } from './support/migrated-database.ts';
import { freePort, graphql, startServer, type ServerProcess } from './support/server-process.ts';

const SECRET_KEY = 'pulso_sk_webhookCrashSecret00000000001';
const PUBLISHABLE_KEY = 'pulso_pk_webhookCrashPublishable000001';
const CUSTOMERS = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];
/**
 * Each round takes a customer up a band or two, then down to at risk (model v2: liked and disliked
 * meetings; "wasted my time" is remembered for weeks, so it would keep a customer at risk for good).
 */
const ROUND = ['LIKED', 'LIKED', 'DISLIKED', 'DISLIKED'] as const;
const ROUNDS = 3;
/**
 * Kills per run, each while the receiver holds a request of the killed server: three already spread
 * over the run (a delivery cut off early, mid-run and late, then re-sent); a fourth cost a restart
 * more and showed no other kind of moment.
 */
const KILLS = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Received {
  id: string;
  headers: IncomingHttpHeaders;
  payload: any;
  at: number;
  /** Set when a 2xx answer was written. */
  ackedAt?: number;
}

/** A receiver that holds each request a while and answers 500 to some, chosen by the seed. */
async function startFlakyReceiver(random: Random) {
  const received: Received[] = [];
  let holding = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      const request: Received = {
        id: String(req.headers['webhook-id']),
        headers: req.headers,
        payload: JSON.parse(body),
        at: Date.now(),
      };
      received.push(request);
      holding += 1;
      // Long enough for a kill to land while it is held (the test kills as soon as it sees one
      // held, polling every 5 ms); deliveries are sequential per customer, so every millisecond
      // held here is waited through for each of the ~70 requests.
      await sleep(random.int(20, 150));
      holding -= 1;
      if (res.destroyed) return; // The server was killed meanwhile.
      const status = random.next() < 0.2 ? 500 : 200;
      if (status === 200) request.ackedAt = Date.now();
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/pulso`,
    received,
    holding: () => holding,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function prepare(target: DatabaseTarget, url: string) {
  const { workspaceId } = await prepareWorkspace(
    target,
    { slug: 'webhook-crash', name: 'Webhook crash', secretKey: SECRET_KEY, publishableKey: PUBLISHABLE_KEY },
    async (prisma, workspaceId) => {
      await prisma.webhookEndpoint.create({
        data: {
          workspaceId,
          url,
          secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
          bandChanged: true,
          scoreDropPoints: 5,
        },
      });
    },
  );
  return workspaceId;
}

/** One interaction, retried with its idempotency key until a server acknowledges it. */
async function write(url: string, externalId: string, sentiment: string, key: string) {
  for (;;) {
    try {
      const { status, body } = await graphql(
        url,
        `mutation ($input: RecordInteractionInput!) { recordInteraction(input: $input) { __typename } }`,
        SECRET_KEY,
        {
          input: { customer: { externalId, name: externalId }, type: 'meeting', sentiment, idempotencyKey: key },
        },
      );
      if (status === 200 && !body.errors && body.data?.recordInteraction?.__typename === 'RecordedInteraction') return;
      if (status === 200 && !body.errors) throw new Error(`write refused: ${JSON.stringify(body.data)}`);
    } catch (error) {
      if ((error as Error).message.startsWith('write refused')) throw error;
    }
    await sleep(100);
  }
}

async function crashDeliveries(target: DatabaseTarget, env: Record<string, string>) {
  const random = seededRandom();
  console.info(`webhooks crash on ${target.kind}: seed ${random.seed} (PULSO_TEST_SEED=${random.seed} replays it)`);
  const receiver = await startFlakyReceiver(random);
  const workspaceId = await prepare(target, receiver.url);
  const serverEnv = {
    ...env,
    PORT: String(await freePort()),
    PULSO_SEED_DEMO: 'false',
    LOG_LEVEL: 'error',
    PULSO_RESCORE_INTERVAL_MINUTES: '0',
    PULSO_WEBHOOK_POLL_INTERVAL_MS: '50',
    // The receiver listens on loopback.
    PULSO_WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true',
    PULSO_WEBHOOK_TIMEOUT_MS: '1000',
    PULSO_WEBHOOK_RETRY_BASE_MS: '50',
  };
  let server: ServerProcess = await startServer(serverEnv);
  const url = server.url;
  let writing = true;
  const writes = Promise.all(
    CUSTOMERS.map(async (customer) => {
      for (let round = 0; round < ROUNDS; round++) {
        for (const [i, sentiment] of ROUND.entries())
          await write(url, customer, sentiment, `${customer}-${round}-${i}`);
      }
    }),
  ).finally(() => (writing = false));
  writes.catch(() => {});

  const kills: number[] = [];
  try {
    for (let k = 0; k < KILLS; k++) {
      await sleep(random.int(200, 800));
      // Spread over the run: a few more requests since the last kill, then mid-delivery (the
      // receiver holds a request of this server's worker).
      const after = (kills.at(-1) ?? 0) + random.int(2, 6);
      const deadline = Date.now() + 60_000;
      while ((receiver.holding() === 0 || receiver.received.length < after) && Date.now() < deadline) await sleep(5);
      if (receiver.holding() === 0) break;
      kills.push(receiver.received.length);
      expect(await server.stop('SIGKILL')).toBe('SIGKILL');
      server = await startServer(serverEnv);
    }
    await writes;
    // Everything written is delivered in the end (acknowledged, not merely attempted).
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { body } = await graphql(
        url,
        `{ pending: webhookEvents(status: PENDING, first: 1) { edges { node { id } } } failed: webhookEvents(status: FAILED, first: 1) { edges { node { id lastError } } } }`,
        SECRET_KEY,
      );
      // A server catching up after its restarts may shed a read and say when to retry: a client does.
      const shed =
        (body.errors?.[0] as { extensions?: { code?: string } } | undefined)?.extensions?.code === 'OVER_CAPACITY';
      if (!shed) {
        expect(body.errors).toBeUndefined();
        expect(body.data.failed.edges).toEqual([]);
        if (body.data.pending.edges.length === 0) break;
      }
      if (Date.now() > deadline) throw new Error('events still pending after 2 minutes');
      await sleep(200);
    }
  } finally {
    if (server.child.exitCode === null && server.child.signalCode === null) await server.stop('SIGTERM');
    await receiver.close();
  }
  expect(writing).toBe(false);
  console.info(
    `webhooks crash on ${target.kind}: killed ${kills.length} times mid-delivery (after ${kills.join(', ')} requests); ${receiver.received.length} requests`,
  );
  expect(kills.length).toBe(KILLS);

  const database = await openDatabase(target);
  try {
    const events = await database.prisma.webhookEvent.findMany({
      where: { workspaceId },
      orderBy: { sequence: 'asc' },
      include: { customer: { select: { externalId: true, band: true } } },
    });
    expect(events.length).toBeGreaterThan(CUSTOMERS.length * ROUNDS);
    expect(events.every((e) => e.status === 'DELIVERED')).toBe(true);

    const requests = new Map<string, Received[]>();
    for (const r of receiver.received) requests.set(r.id, [...(requests.get(r.id) ?? []), r]);
    // Nothing but the outbox's events was sent; every one of them was acknowledged at least once.
    expect([...requests.keys()].filter((id) => !events.some((e) => e.messageId === id))).toEqual([]);
    for (const e of events) {
      const sent = requests.get(e.messageId) ?? [];
      expect(
        sent.some((r) => r.ackedAt !== undefined),
        `${e.messageId} acknowledged`,
      ).toBe(true);
      for (const r of sent) expect(r.payload).toEqual(e.payload);
    }
    // Some events went out more than once (a killed attempt, a 500), always with the same id.
    expect([...requests.values()].filter((list) => list.length > 1).length).toBeGreaterThan(0);

    for (const customer of CUSTOMERS) {
      const own = events.filter((e) => e.customer.externalId === customer);
      // In order: no request for a customer's event n+1 before event n was first acknowledged.
      for (let n = 1; n < own.length; n++) {
        const firstAck = Math.min(
          ...requests
            .get(own[n - 1]!.messageId)!
            .filter((r) => r.ackedAt !== undefined)
            .map((r) => r.ackedAt!),
        );
        const firstRequest = Math.min(...requests.get(own[n]!.messageId)!.map((r) => r.at));
        expect(
          firstRequest,
          `${customer} event ${n} sent after event ${n - 1} was acknowledged`,
        ).toBeGreaterThanOrEqual(firstAck);
      }
      // None lost: band changes chain from band to band, ending at the customer's band.
      const bands = own
        .filter((e) => e.type === 'band.changed')
        .map((e) => (e.payload as any).data.band as { previous: string; current: string });
      expect(bands.length).toBeGreaterThanOrEqual(ROUNDS);
      for (let n = 1; n < bands.length; n++) expect(bands[n]!.previous).toBe(bands[n - 1]!.current);
      expect(bands.at(-1)!.current).toBe(own[0]!.customer.band);
    }
  } finally {
    await database.close();
  }
}

describe('webhooks: kill -9 mid-delivery, restart, every event delivered at least once and in order', () => {
  it('on PGlite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulso-webhooks-crash-'));
    try {
      const dataDir = join(dir, 'data');
      await crashDeliveries({ kind: 'pglite', dataDir }, { PULSO_DATA_DIR: dataDir });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 480_000);

  it('on PostgreSQL', async () => {
    let database: TestPostgresDatabase | undefined;
    try {
      database = await createMigratedTestPostgresDatabase('webhooks_crash');
      await crashDeliveries({ kind: 'postgres', url: database.url }, { DATABASE_URL: database.url });
    } finally {
      await database?.drop();
    }
  }, 480_000);
});
