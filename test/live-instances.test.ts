// Two Pulso processes behind one PostgreSQL database and one Redis, as a load-balanced deployment
// runs them: a rating submitted to one instance reaches a subscriber of the other, live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '@pulso/database/testing';
import { openEventStream } from '@pulso/server/testing';
import { DEMO_PUBLISHABLE_KEY, DEMO_SECRET_KEY, freePort, graphql, startServer, type ServerProcess } from './support/server-process.ts';

describe('live events across instances (REDIS_URL)', () => {
  let database: TestPostgresDatabase;
  const servers: ServerProcess[] = [];
  beforeAll(async () => {
    database = await createTestPostgresDatabase('live');
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      PULSO_DEMO_SECRET_KEY: DEMO_SECRET_KEY,
      PULSO_DEMO_PUBLISHABLE_KEY: DEMO_PUBLISHABLE_KEY,
      PULSO_RESCORE_INTERVAL_MINUTES: '0',
    };
    // One after the other: the first seeds the demo workspace, the second finds it.
    servers.push(await startServer({ ...env, PORT: String(await freePort()) }));
    servers.push(await startServer({ ...env, PORT: String(await freePort()) }));
  }, 180_000);
  afterAll(async () => {
    for (const server of servers) await server.stop();
    await database?.drop();
  });

  it('delivers a rating submitted to instance A to a subscriber of instance B', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const customer = (await graphql(a.url, `{ customers(first: 1) { edges { node { externalId } } } }`)).body.data.customers.edges[0].node.externalId;
    const stream = await openEventStream(`${b.url}/graphql`, `subscription ($c: String) { scoreChanged(externalId: $c) { externalId score } }`, { c: customer }, DEMO_SECRET_KEY);
    expect(stream.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { body: token } = await graphql(a.url, `mutation ($c: String!) { createCustomerToken(externalId: $c) }`, DEMO_SECRET_KEY, { c: customer });
    const rated = await graphql(
      a.url,
      `mutation ($input: SubmitMicroRatingInput!) { submitMicroRating(input: $input) { __typename } }`,
      DEMO_PUBLISHABLE_KEY,
      { input: { customerToken: token.data.createCustomerToken, customer, variant: 'THREE_LEVELS', rating: 'LIKED', idempotencyKey: crypto.randomUUID() } },
    );
    expect(rated.body.data.submitMicroRating.__typename).toBe('MicroRatingReceipt');
    const event = await stream.next(10_000);
    expect(event?.data.scoreChanged.externalId).toBe(customer);
    const stored = await graphql(b.url, `query ($c: String!) { customer(externalId: $c) { health { value } } }`, DEMO_SECRET_KEY, { c: customer });
    expect(event.data.scoreChanged.score).toBe(stored.body.data.customer.health.value);
    stream.close();
  }, 60_000);
});
