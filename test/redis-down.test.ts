// Redis going away under a running Pulso (REDIS_URL set): the API keeps answering — no 500 —
// with rate limits held in memory by each instance, and ratings that publish live events through
// the vanished Redis are still recorded. The Redis here is a private one this test starts and kills.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareWorkspace } from './support/migrated-database.ts';
import { openEventStream, type RedisServerProcess, startRedisServer } from '@pulso/server/testing';
import {
  DEMO_PUBLISHABLE_KEY,
  DEMO_SECRET_KEY,
  freePort,
  startServer,
  type ServerProcess,
} from './support/server-process.ts';

const PER_KEY = 12;

async function post(url: string, query: string, key: string, variables?: Record<string, unknown>) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as { data?: any; errors?: { message: string; extensions?: any }[] },
  };
}

/**
 * A migrated folder holding a workspace with the demo keys and one customer: what this test reads
 * and rates. The demo's 300 customers (seeded at a first start, seconds of CPU) would prove nothing more.
 */
async function prepareFolder(dataDir: string) {
  await prepareWorkspace(
    { kind: 'pglite', dataDir },
    { slug: 'redis-down', name: 'Redis down', secretKey: DEMO_SECRET_KEY, publishableKey: DEMO_PUBLISHABLE_KEY },
    async (prisma, workspaceId) => {
      await prisma.customer.create({ data: { workspaceId, externalId: 'cus_0001', name: 'First customer' } });
    },
  );
}

describe('Redis stopping under a running server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pulso-redis-down-'));
  let redis: RedisServerProcess;
  let redisPort: number;
  let server: ServerProcess;
  beforeAll(async () => {
    redisPort = await freePort();
    redis = await startRedisServer(redisPort);
    await prepareFolder(join(dir, 'data'));
    server = await startServer({
      PORT: String(await freePort()),
      PULSO_DATA_DIR: join(dir, 'data'),
      PULSO_SEED_DEMO: 'false',
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      PULSO_RESCORE_INTERVAL_MINUTES: '0',
      PULSO_RATE_LIMIT_PER_KEY: String(PER_KEY),
      PULSO_RATE_LIMIT_PER_ADDRESS: '0',
    });
  });
  afterAll(async () => {
    if (server) expect(await server.stop()).toBe(0);
    await redis?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps answering without 500s, limits held in memory, ratings recorded', async () => {
    // Up: the budget is counted in the private Redis.
    const customer = (
      await post(server.url, `{ customers(first: 1) { edges { node { externalId } } } }`, DEMO_SECRET_KEY)
    ).body.data.customers.edges[0].node.externalId;
    const token = (
      await post(
        server.url,
        `mutation ($c: String!) { createCustomerToken(externalId: $c) { ... on CustomerToken { token } } }`,
        DEMO_SECRET_KEY,
        {
          c: customer,
        },
      )
    ).body.data.createCustomerToken.token;
    const inspector = new Redis(redisPort, '127.0.0.1');
    const keys = await inspector.keys('pulso:rate:key:*');
    expect(keys).toHaveLength(1);
    expect(await inspector.get(keys[0]!)).toBe('2');
    inspector.disconnect();

    await redis.kill();

    // Down: a rating still records (its live event has nowhere to go), a subscription still opens,
    // and the health check still answers.
    const rated = await post(
      server.url,
      `mutation ($input: SubmitMicroRatingInput!) { submitMicroRating(input: $input) { __typename } }`,
      DEMO_PUBLISHABLE_KEY,
      {
        input: {
          customerToken: token,
          customer,
          variant: 'THREE_LEVELS',
          rating: 'LIKED',
          idempotencyKey: crypto.randomUUID(),
        },
      },
    );
    expect(rated.status).toBe(200);
    expect(rated.body.data.submitMicroRating.__typename).toBe('MicroRatingReceipt');
    const stream = await openEventStream(
      `${server.url}/graphql`,
      `subscription ($c: String) { scoreChanged(externalId: $c) { score } }`,
      { c: customer },
      DEMO_SECRET_KEY,
    );
    expect(stream.status).toBe(200);
    stream.close();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    // The secret key's budget starts afresh in this instance's memory (the subscription spent 1 of
    // it) and is still enforced: every answer is a 200 until the 429.
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < PER_KEY + 2 && !refused; i++) {
      const answer = await post(server.url, `{ workspace { name } }`, DEMO_SECRET_KEY);
      statuses.push(answer.status);
      if (answer.status === 429) refused = answer;
    }
    expect(statuses).toEqual([...Array<number>(PER_KEY - 1).fill(200), 429]);
    expect(refused!.retryAfter).toMatch(/^[1-9][0-9]*$/);
    expect(refused!.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'API_KEY' });
    // The publishable key's own budget is untouched by the secret key's.
    expect(
      (
        await post(
          server.url,
          `mutation ($c: String!) { submitMicroRating(input: { customerToken: $c, variant: LIKE_DISLIKE, rating: LIKED, idempotencyKey: "${crypto.randomUUID()}" }) { __typename } }`,
          DEMO_PUBLISHABLE_KEY,
          { c: token },
        )
      ).status,
    ).toBe(200);

    expect(server.output()).toContain('redis (rate limits) unavailable');
    expect(server.output()).not.toMatch(/"statusCode":500|Unexpected error/);
  });
});
