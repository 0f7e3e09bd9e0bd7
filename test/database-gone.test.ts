// With the database gone mid-request, no answer gives away how Pulso is built or where its data
// lives: no SQL, no stack trace, no file path, no connection string or password; /readyz says 503
// while /livez still answers 200. And when the database comes back, the same server answers again
// without a restart.
//
// The database is taken away for real: the server reaches PostgreSQL through a loopback TCP proxy
// (support/tcp-proxy.ts) that resets every connection while requests are in flight, and refuses
// new ones until it is restored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@pulso/database';
import { createMigratedTestPostgresDatabase, type TestPostgresDatabase } from '@pulso/database/testing';
import { signCustomerToken } from '@pulso/tokens';
import { createWorkspace } from '@pulso/core';
import { freePort, startServer, type ServerProcess } from './support/server-process.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

const SECRET_KEY = 'pulso_sk_databaseGoneSecret0000000000001';
const PUBLISHABLE_KEY = 'pulso_pk_databaseGonePublishable000000001';
const PASSWORD = 'Sup3rS3cretDbPassw0rd';

interface Answer {
  operation: string;
  status: number;
  body: string;
  retryAfter: string | null;
}

/** What no answer may contain. */
function leaks(body: string, proxyPort: number): string[] {
  const patterns: [string, RegExp][] = [
    ['SQL', /\b(SELECT|INSERT INTO|DELETE FROM|ON CONFLICT|FOR UPDATE|RETURNING)\b|\bFROM "|\bUPDATE "/],
    ['a stack frame', /\bat (async )?[\w$.<>]+ \(|\bat [^\s]+:\d+:\d+|\\n\s+at /],
    ['a file path', /\/work\/|node_modules|file:\/\/|\.(ts|js|mjs):\d+/],
    ['a connection string', /postgres(ql)?:\/\/|127\.0\.0\.1:5432/],
    ['the database address', new RegExp(`:${proxyPort}\\b`)],
    ['the password', new RegExp(PASSWORD)],
    ['Prisma internals', /invocation|prisma\.\w+\.\w+\(/i],
  ];
  return patterns.filter(([, pattern]) => pattern.test(body)).map(([what]) => what);
}

describe('Pulso on PostgreSQL, with the database gone mid-request', () => {
  let database: TestPostgresDatabase;
  let proxy: TcpProxy;
  let server: ServerProcess | undefined;
  let customerToken: string;

  beforeAll(async () => {
    // Migrated already (copied from the template): migrating is postgres-server's to prove.
    database = await createMigratedTestPostgresDatabase('database_gone');
    const direct = await openDatabase({ kind: 'postgres', url: database.url });
    try {
      // The demo slug, so that the demo page (which reads the database) is served too.
      const { workspaceId } = await createWorkspace(direct.prisma, {
        slug: 'demo',
        name: 'Gone',
        secretKey: SECRET_KEY,
        publishableKey: PUBLISHABLE_KEY,
      });
      await direct.prisma.customer.createMany({
        data: Array.from({ length: 50 }, (_, i) => ({ workspaceId, externalId: `c-${i}`, name: `Customer ${i}` })),
      });
      const { tokenSigningSecret } = await direct.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
      customerToken = await signCustomerToken({ secret: tokenSigningSecret, externalId: 'c-1' });
    } finally {
      await direct.close();
    }
    proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(database.url).port || 5432) });
    // Trust authentication accepts any password: the point is that the URL carries one.
    const url = new URL(database.url);
    url.port = String(proxy.port);
    url.username = 'postgres';
    url.password = PASSWORD;
    server = await startServer({
      DATABASE_URL: url.toString(),
      PORT: String(await freePort()),
      PULSO_SEED_DEMO: 'false',
      LOG_LEVEL: 'error',
    });
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) await server.stop('SIGKILL');
    await proxy?.close();
    await database?.drop();
  });

  let sequence = 0;
  /** One of each kind of request the server answers from the database. */
  function everyOperation(): Promise<Answer>[] {
    const n = sequence++;
    const post = (
      operation: string,
      query: string,
      variables: Record<string, unknown> = {},
      key: string = SECRET_KEY,
    ) =>
      request(operation, '/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      });
    const request = async (operation: string, path: string, init: RequestInit = {}): Promise<Answer> => {
      const response = await fetch(`${server!.url}${path}`, { ...init, signal: AbortSignal.timeout(60_000) });
      return {
        operation,
        status: response.status,
        body: await response.text(),
        retryAfter: response.headers.get('retry-after'),
      };
    };
    return [
      request('health check', '/healthz'),
      request('readiness', '/readyz'),
      request('liveness', '/livez'),
      request('demo page', '/'),
      post(
        'customers',
        '{ customers(first: 20) { totalCount edges { node { externalId score band scoreChange30d } } } }',
      ),
      post(
        'one customer',
        '{ customer(externalId: "c-1") { name score interactions(first: 5) { edges { node { occurredAt type { key } } } } } }',
      ),
      post('workspace', '{ workspace { name customerCount } scoringModel { version } }'),
      post(
        'recordInteraction',
        `mutation ($input: RecordInteractionInput!) { recordInteraction(input: $input) { __typename ... on RecordedInteraction { interaction { id } } ... on UserError { message } } }`,
        {
          input: {
            customer: { externalId: `c-${n % 50}` },
            type: 'meeting',
            sentiment: 'LIKED',
            idempotencyKey: `gone-${n}`,
          },
        },
      ),
      post(
        'recordInteractions',
        `mutation ($interactions: [RecordInteractionInput!]!) { recordInteractions(interactions: $interactions) { __typename ... on UserError { message } } }`,
        {
          interactions: [0, 1, 2].map((i) => ({
            customer: { externalId: `new-${n}-${i}`, name: 'New' },
            type: 'email',
            idempotencyKey: `gone-batch-${n}-${i}`,
          })),
        },
      ),
      post(
        'upsertCustomer',
        `mutation ($input: CustomerInput!) { upsertCustomer(input: $input) { __typename ... on UpsertedCustomer { created } ... on UserError { message } } }`,
        { input: { externalId: `upsert-${n}`, name: 'Upserted' } },
      ),
      post(
        'submitMicroRating',
        `mutation ($input: SubmitMicroRatingInput!) { submitMicroRating(input: $input) { __typename ... on MicroRatingReceipt { id } ... on UserError { message } } }`,
        { input: { customerToken, variant: 'LIKE_DISLIKE', rating: 'DISLIKED', idempotencyKey: `gone-rating-${n}` } },
        PUBLISHABLE_KEY,
      ),
      post('unknown API key', '{ workspace { name } }', {}, `pulso_sk_notAKeyThatExists${String(n).padStart(14, '0')}`),
    ];
  }

  it('leaks nothing while the database is gone, and answers again once it is back', async () => {
    expectAnswered(await Promise.all(everyOperation()));

    // Cut while requests are in flight, then keep asking while it stays down.
    const inFlight = [...everyOperation(), ...everyOperation(), ...everyOperation()];
    await new Promise((resolve) => setTimeout(resolve, 15));
    proxy.cut();
    const whileDown: Answer[] = [];
    for (const answer of await Promise.all(inFlight)) whileDown.push(answer);
    for (let round = 0; round < 2; round++) whileDown.push(...(await Promise.all(everyOperation())));

    const seen = new Map<string, Set<number>>();
    for (const a of whileDown) seen.set(a.operation, (seen.get(a.operation) ?? new Set()).add(a.status));
    console.info(
      `while the database was gone: ${[...seen].map(([op, statuses]) => `${op} ${[...statuses].join('/')}`).join(', ')}`,
    );
    const failed = whileDown.filter((a) => a.status >= 500 || a.body.includes('"errors"'));
    expect(failed.length, 'the outage must be visible in some answers').toBeGreaterThan(0);
    const health = whileDown.filter((a) => a.operation === 'health check' && a.status === 503);
    expect(health.length).toBeGreaterThan(0);
    // Not ready (route around this instance), but alive (no reason to restart it).
    const readiness = whileDown.filter((a) => a.operation === 'readiness');
    expect(readiness.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    for (const answer of readiness.filter((a) => a.status === 503))
      expect(JSON.parse(answer.body)).toMatchObject({ status: 'unavailable', reason: 'database' });
    const liveness = whileDown.filter((a) => a.operation === 'liveness');
    expect(liveness.map((a) => a.status)).toEqual(liveness.map(() => 200));
    const leaking = whileDown.flatMap((a) =>
      leaks(a.body, proxy.port).length
        ? [`${a.operation} (${a.status}) leaks ${leaks(a.body, proxy.port).join(', ')}: ${a.body}`]
        : [],
    );
    expect(leaking).toEqual([]);
    // What failed for want of the database says so, in a way a client and a balancer act on: 503
    // DATABASE_UNAVAILABLE with Retry-After, not 500 "Unexpected error." (it was, for every one).
    const graphqlFailures = whileDown.filter(
      (a) => !['health check', 'readiness', 'liveness', 'demo page'].includes(a.operation) && a.status !== 200,
    );
    console.info(
      `GraphQL answers refused while down: ${graphqlFailures.map((a) => `${a.operation} ${a.status} ${a.retryAfter} ${a.body.slice(0, 120)}`).join('\n')}`,
    );
    expect(graphqlFailures.length).toBeGreaterThan(0);
    for (const answer of graphqlFailures) {
      expect(answer.status, `${answer.operation}: ${answer.body}`).toBe(503);
      expect(answer.retryAfter, answer.operation).toBe('5');
      expect(JSON.parse(answer.body).errors[0].extensions.code, answer.operation).toBe('DATABASE_UNAVAILABLE');
    }
    for (const answer of whileDown.filter((a) => a.operation === 'demo page' && a.status !== 200)) {
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toBe('5');
    }
    // An outage must never tell a client that its key is bad: it would throw away a good key.
    expect(whileDown.filter((a) => a.operation === 'unknown API key' && a.status === 401)).toEqual([]);
    expect(server!.child.exitCode).toBeNull();

    // Back: the same process answers everything again, without a restart.
    proxy.restore();
    const deadline = Date.now() + 30_000;
    while ((await fetch(`${server!.url}/healthz`)).status !== 200) {
      expect(Date.now(), 'the health check did not recover within 30 s').toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expectAnswered(await Promise.all(everyOperation()));
  });

  function expectAnswered(answers: Answer[]) {
    for (const answer of answers) {
      if (answer.operation === 'unknown API key') expect(answer.status).toBe(401);
      else {
        expect(answer.status, `${answer.operation}: ${answer.body}`).toBe(200);
        expect(answer.body, answer.operation).not.toContain('"errors"');
      }
    }
  }
});
