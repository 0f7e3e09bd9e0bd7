// The server as `npm start` runs it, on its embedded database: first start with demo data, queries
// over real HTTP, clean shutdown with a request in flight, restart on the same data, the data
// folder lock, and recovery after kill -9.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_PUBLISHABLE_KEY,
  DEMO_SECRET_KEY,
  freePort,
  graphql,
  runToExit,
  startServer,
  type ServerProcess,
} from './support/server-process.ts';

const FIRST_CUSTOMERS = `{
  workspace { name customerCount }
  customers(first: 10) {
    totalCount
    edges { node { externalId name score band interactions(first: 3) { totalCount edges { node { occurredAt type { key } sentiment value comment } } } } }
  }
}`;

describe('Pulso on its embedded database', () => {
  let dir: string;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pulso-lifecycle-'));
    env = {
      PULSO_DATA_DIR: join(dir, 'data'),
      PORT: String(await freePort()),
      PULSO_DEMO_SECRET_KEY: DEMO_SECRET_KEY,
      PULSO_DEMO_PUBLISHABLE_KEY: DEMO_PUBLISHABLE_KEY,
    };
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) await server.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds the demo on first start, prints the URL and keys, and answers the first 10 customers', async () => {
    server = await startServer(env);
    expect(server.output()).toContain('Seeding the demo workspace');
    // The URLs and the keys come last, framed by two rules, after the seeding's progress.
    const framed = /\n(─{72})\n(Pulso is running on [\s\S]*?)\n─{72}\n$/.exec(server.output());
    expect(framed, server.output()).not.toBeNull();
    expect(framed![2]).toContain(`  GraphQL:  http://127.0.0.1:${env.PORT}/graphql`);
    expect(framed![2]).toContain(`  secret:      ${DEMO_SECRET_KEY}`);
    expect(framed![2]).toContain(`  publishable: ${DEMO_PUBLISHABLE_KEY}`);
    expect(server.output().indexOf('Demo workspace ready')).toBeLessThan(server.output().indexOf(framed![1]!));
    expect(server.url).toBe(`http://127.0.0.1:${env.PORT}`);

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', version: expect.any(String) });

    const { status, body } = await graphql(server.url, FIRST_CUSTOMERS);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.workspace.name).toBe('Demo');
    expect(body.data.customers.totalCount).toBeGreaterThanOrEqual(250);
    expect(body.data.customers.edges).toHaveLength(10);
    const withInteractions = body.data.customers.edges.filter((e: any) => e.node.interactions.edges.length > 0);
    expect(withInteractions.length).toBeGreaterThan(5);
    for (const { node } of body.data.customers.edges) {
      expect(node.score).toBeGreaterThanOrEqual(0);
      expect(node.score).toBeLessThanOrEqual(100);
      expect(['AT_RISK', 'NEEDS_ATTENTION', 'HEALTHY']).toContain(node.band);
    }
  });

  it('serves GraphiQL to a browser at /graphql', async () => {
    const page = await fetch(`${server!.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/graphiql/i);
  });

  it('refuses a second server on the same data folder at once, naming the holder', async () => {
    const second = await runToExit({ ...env, PORT: String(await freePort()) });
    expect(second.code).toBe(1);
    expect(second.output).toContain(`in use by another Pulso process (pid ${server!.child.pid})`);
    expect(second.output.trim().split('\n')).toHaveLength(1);
  });

  it('finishes a request in flight on SIGTERM, exits 0, and finds everything after a restart', async () => {
    const before = (await graphql(server!.url, FIRST_CUSTOMERS)).body.data;
    const inFlight = graphql(server!.url, FIRST_CUSTOMERS);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const code = await server!.stop('SIGTERM');
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.body.data.customers.edges).toHaveLength(10);
    expect(code).toBe(0);

    server = await startServer(env);
    expect(server.output()).not.toContain('Seeding');
    const after = (await graphql(server.url, FIRST_CUSTOMERS)).body.data;
    expect(after).toEqual(before);
  });

  it('keeps every acknowledged write through a kill -9, and starts cleanly after it', async () => {
    const record = `mutation ($input: RecordInteractionInput!) {
      recordInteraction(input: $input) { __typename ... on RecordedInteraction { interaction { id } } }
    }`;
    const acknowledged: string[] = [];
    for (let n = 0; n < 20; n++) {
      const { body } = await graphql(server!.url, record, DEMO_SECRET_KEY, {
        input: {
          customer: { externalId: 'cus_0001' },
          type: 'meeting',
          sentiment: 'LIKED',
          idempotencyKey: `lifecycle-${n}`,
        },
      });
      expect(body.data?.recordInteraction.__typename, JSON.stringify(body)).toBe('RecordedInteraction');
      acknowledged.push(body.data.recordInteraction.interaction.id);
    }
    const count = `{ customer(externalId: "cus_0001") { interactions(first: 100) { edges { node { id } } } } }`;
    const before = (await graphql(server!.url, FIRST_CUSTOMERS)).body.data;
    expect(await server!.stop('SIGKILL')).toBe('SIGKILL');

    server = await startServer(env);
    const stored = (await graphql(server.url, count)).body.data.customer.interactions.edges.map((e: any) => e.node.id);
    for (const id of acknowledged) expect(stored).toContain(id);
    expect((await graphql(server.url, FIRST_CUSTOMERS)).body.data).toEqual(before);
    expect(await server.stop('SIGINT')).toBe(0);
  });
});
