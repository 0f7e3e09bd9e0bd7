// Two Pulso processes on one PostgreSQL database and one Redis, as a load-balanced deployment runs
// them, behave as one: a rating submitted to one reaches a subscriber of the other, live; rate-limit
// budgets are spent once between them; the scheduled rescoring runs once per interval, not once per
// instance, and writes each customer's score once.
//
// Redis is the shared one on 127.0.0.1:6379: live events travel on channels named by workspace and
// rate-limit keys carry the workspace (or API key) id, both unique to this test's fresh database.
// The client address budget (keyed by 127.0.0.1 alone, which parallel test runs share) is off.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedTestPostgresDatabase, type TestPostgresDatabase } from '@pulso/database/testing';
import { openEventStream } from '@pulso/server/testing';
import {
  DEMO_PUBLISHABLE_KEY,
  DEMO_SECRET_KEY,
  freePort,
  graphql,
  startServer,
  type ServerProcess,
} from './support/server-process.ts';

const PER_CUSTOMER_TOKEN = 3;
const RESCORE_INTERVAL_SECONDS = 3;

const RATE = `mutation ($input: SubmitMicroRatingInput!) { submitMicroRating(input: $input) { __typename } }`;

let database: TestPostgresDatabase;
beforeAll(async () => {
  // Migrated already (copied from the template): migrating is postgres-server's and migration-interruption's.
  database = await createMigratedTestPostgresDatabase('instances');
});
afterAll(async () => {
  await database?.drop();
});

/** Starts two instances on the test database, one after the other (the first seeds the demo workspace). */
async function startPair(env: Record<string, string>): Promise<[ServerProcess, ServerProcess]> {
  const shared = {
    DATABASE_URL: database.url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    PULSO_DEMO_SECRET_KEY: DEMO_SECRET_KEY,
    PULSO_DEMO_PUBLISHABLE_KEY: DEMO_PUBLISHABLE_KEY,
    PULSO_RATE_LIMIT_PER_ADDRESS: '0',
    ...env,
  };
  const a = await startServer({ ...shared, PORT: String(await freePort()) });
  try {
    return [a, await startServer({ ...shared, PORT: String(await freePort()) })];
  } catch (error) {
    await a.stop();
    throw error;
  }
}

async function firstCustomer(url: string): Promise<string> {
  return (await graphql(url, `{ customers(first: 1) { edges { node { externalId } } } }`)).body.data.customers.edges[0]
    .node.externalId;
}

async function customerToken(url: string, externalId: string): Promise<string> {
  return (
    await graphql(
      url,
      `mutation ($c: String!) { createCustomerToken(externalId: $c) { ... on CustomerToken { token } } }`,
      DEMO_SECRET_KEY,
      {
        c: externalId,
      },
    )
  ).body.data.createCustomerToken.token;
}

describe('two instances without a schedule: live events and rate limits', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  beforeAll(async () => {
    [a, b] = await startPair({
      PULSO_RESCORE_INTERVAL_MINUTES: '0',
      PULSO_RATE_LIMIT_PER_CUSTOMER_TOKEN: String(PER_CUSTOMER_TOKEN),
    });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
  });

  it('delivers a rating submitted to instance A to a subscriber of instance B', async () => {
    const customer = await firstCustomer(a.url);
    const stream = await openEventStream(
      `${b.url}/graphql`,
      `subscription ($c: String) { scoreChanged(externalId: $c) { externalId score } }`,
      { c: customer },
      DEMO_SECRET_KEY,
    );
    expect(stream.status).toBe(200);
    // The subscription reaches Redis just after the response starts: no event is published before.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const rated = await graphql(a.url, RATE, DEMO_PUBLISHABLE_KEY, {
      input: {
        customerToken: await customerToken(a.url, customer),
        customer,
        variant: 'THREE_LEVELS',
        rating: 'LIKED',
        idempotencyKey: crypto.randomUUID(),
      },
    });
    expect(rated.body.data.submitMicroRating.__typename).toBe('MicroRatingReceipt');
    const event = await stream.next(10_000);
    expect(event?.data.scoreChanged.externalId).toBe(customer);
    const stored = await graphql(
      b.url,
      `query ($c: String!) { customer(externalId: $c) { health { value } } }`,
      DEMO_SECRET_KEY,
      { c: customer },
    );
    expect(event.data.scoreChanged.score).toBe(stored.body.data.customer.health.value);
    stream.close();
  }, 60_000);

  it("spends one customer token's budget between both instances: refused after the budget, not after twice it", async () => {
    const customers = (await graphql(a.url, `{ customers(first: 2) { edges { node { externalId } } } }`)).body.data
      .customers.edges;
    const customer: string = customers[1].node.externalId;
    const token = await customerToken(a.url, customer);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const ratings = async () =>
      (
        await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "Interaction" i JOIN "Customer" c ON c."id" = i."customerId" JOIN "InteractionType" t ON t."id" = i."typeId"
           WHERE c."externalId" = $1 AND t."key" = 'micro_rating'`,
          [customer],
        )
      ).rows[0]!.n;
    const before = await ratings();
    const answers: { instance: string; status: number; limit?: string }[] = [];
    for (let i = 0; i < PER_CUSTOMER_TOKEN * 2; i++) {
      const [name, server] = i % 2 === 0 ? ['A', a] : ['B', b];
      const response = await graphql(server.url, RATE, DEMO_PUBLISHABLE_KEY, {
        input: {
          customerToken: token,
          customer,
          variant: 'THREE_LEVELS',
          rating: 'LIKED',
          idempotencyKey: crypto.randomUUID(),
        },
      });
      answers.push({
        instance: name,
        status: response.status,
        limit: (response.body.errors?.[0] as { extensions?: { limit?: string } } | undefined)?.extensions?.limit,
      });
    }
    // Alone, each instance would have accepted PER_CUSTOMER_TOKEN ratings: six in all.
    expect(answers).toEqual([
      { instance: 'A', status: 200, limit: undefined },
      { instance: 'B', status: 200, limit: undefined },
      { instance: 'A', status: 200, limit: undefined },
      { instance: 'B', status: 429, limit: 'CUSTOMER_TOKEN' },
      { instance: 'A', status: 429, limit: 'CUSTOMER_TOKEN' },
      { instance: 'B', status: 429, limit: 'CUSTOMER_TOKEN' },
    ]);
    // Refused ratings wrote nothing.
    expect((await ratings()) - before).toBe(PER_CUSTOMER_TOKEN);
    await client.end();
  }, 60_000);
});

describe('two instances with a schedule: one rescoring per interval', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    // Debug logs name each committed chunk ("rescoring"), so the test sees which instance wrote it.
    [a, b] = await startPair({ PULSO_RESCORE_INTERVAL_SECONDS: String(RESCORE_INTERVAL_SECONDS), LOG_LEVEL: 'debug' });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await client?.end();
  });

  interface Run {
    id: string;
    slot: Date;
    asOf: Date;
    status: string;
    done: number;
    total: number;
    createdAt: Date;
  }
  const scheduledRuns = async () =>
    (
      await client.query<Run>(
        `SELECT "id", "slot", "asOf", "status", "done", "total", "createdAt" FROM "RescoreRun" WHERE "slot" IS NOT NULL ORDER BY "createdAt"`,
      )
    ).rows;

  it('queues one run per workspace and interval between both instances, and writes each customer once per run', async () => {
    // Both instances wake at the start of every interval and race to queue its run. Wait for three
    // intervals both were up for to have finished their run.
    const bothUp = Date.now();
    for (;;) {
      const done = (await scheduledRuns()).filter((r) => r.status === 'SUCCEEDED' && r.slot.getTime() >= bothUp);
      if (done.length >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // Stop both, so no run is half done while we count (a stopped run stays PENDING, to resume).
    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);

    const runs = await scheduledRuns();
    const { rows: workspaces } = await client.query<{ id: string }>(`SELECT "id" FROM "Workspace"`);
    expect(workspaces).toHaveLength(1);
    // A scheduled rescoring covers the active customers: churned ones keep the score they left with.
    const { rows: counted } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Customer" WHERE "churnedAt" IS NULL`,
    );
    const customers = counted[0]!.n;
    expect(customers).toBeGreaterThan(0);

    // One run per interval: no two runs name the same interval, and each is for the interval it
    // was queued in (its asOf falls inside it).
    const slots = runs.map((r) => r.slot.getTime());
    expect(new Set(slots).size).toBe(runs.length);
    for (const run of runs) {
      expect(run.slot.getTime() % (RESCORE_INTERVAL_SECONDS * 1000)).toBe(0);
      expect(run.asOf.getTime()).toBeGreaterThanOrEqual(run.slot.getTime());
    }

    // Each finished run rescored every customer once: one snapshot per customer as of its instant.
    const finished = runs.filter((r) => r.status === 'SUCCEEDED');
    expect(finished.length).toBeGreaterThanOrEqual(3);
    for (const run of finished) {
      expect(run).toMatchObject({ done: customers, total: customers });
      const { rows } = await client.query<{ customers: number; snapshots: number }>(
        `SELECT count(DISTINCT "customerId")::int AS customers, count(*)::int AS snapshots FROM "ScoreSnapshot" WHERE "computedAt" = $1`,
        [run.asOf],
      );
      expect(rows[0]).toEqual({ customers: run.total, snapshots: run.total });
    }

    // Every chunk was committed by one instance: the chunk logs of both processes together name
    // each (run, progress) once, and account for every customer of every run.
    const chunks = [a, b].flatMap((server, i) =>
      server
        .output()
        .split('\n')
        .filter((line) => line.includes('"msg":"rescoring"'))
        .map((line) => ({ instance: 'AB'[i]!, ...(JSON.parse(line) as { run: string; done: number }) })),
    );
    const keys = chunks.map((c) => `${c.run}:${c.done}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const run of finished) {
      expect(Math.max(...chunks.filter((c) => c.run === run.id).map((c) => c.done))).toBe(run.total);
    }
    // Neither instance reported a failure.
    for (const server of [a, b]) expect(server.output()).not.toMatch(/"level":50/);
  }, 120_000);
});
