// In-process test harness: a real database (PGlite in memory, or a fresh PostgreSQL database),
// migrated, with a workspace and its keys, and the real server, asked through yoga's own fetch (as
// graphql-yoga's test suites do) or over HTTP on loopback where the socket is what a test proves.
import { type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '@pulso/database';
import { openTestDatabase } from '@pulso/database/testing';
import { seedDemoWorkspace } from '@pulso/demo-data';
import { createWorkspace } from '@pulso/core';
import { createLogger } from './logger.ts';
import type { RateLimitOptions } from './plugins/rate-limits.ts';
import { createPulsoServer, type PulsoServer, type PulsoServerOptions } from './server.ts';
export { ANSWER_COMPRESSION, compress } from './http/content-coding.ts';
export { openEventStream, type EventStream } from './http/event-stream.ts';
export { startRedisServer, type RedisServerProcess } from './redis-server-process.ts';

export interface TestServer {
  database: Database;
  server: PulsoServer;
  workspaceId: string;
  secretKey: string;
  publishableKey: string;
  /**
   * Prisma operations the server ran, in order, when created with `recordQueries` (empty
   * otherwise). A nested `include`/`select` is one operation; clear with `queries.length = 0`.
   */
  queries: RecordedQuery[];
  /**
   * Runs a GraphQL operation with a key (the secret key unless told otherwise), through yoga's
   * fetch or over HTTP as `over` says.
   */
  graphql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    key?: string | null,
  ): Promise<{
    status: number;
    body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  }>;
  /**
   * Sends a request to the GraphQL server in process, through `yoga.fetch` (no port): for protocol
   * behaviour where a socket proves nothing. `path` is resolved against http://localhost.
   */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /**
   * Posts a subscription in process (`yoga.fetch`) with the secret key, asking for the transport
   * `accept` names (`text/event-stream`, `multipart/mixed`...): the response's body is the stream.
   */
  subscribe(query: string, variables: Record<string, unknown> | undefined, accept: string): Promise<Response>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /**
   * How `graphql()` reaches the server: `http` over a real socket on loopback, through the same
   * Node handler as in production (the default, and the port is then the one tests read from
   * `server.http`); `fetch` in process through `yoga.fetch`, for tests where a socket proves
   * nothing (the GraphQL answer, its status and headers are yoga's either way).
   */
  over?: 'http' | 'fetch';
  /** `pglite` (in memory, default) or `postgres` (a fresh database on the local server). */
  database?: 'pglite' | 'postgres';
  /** `empty` workspace with the default catalogue (default), or the `demo` workspace (small). */
  workspace?: 'empty' | 'demo';
  /** Customers in the demo workspace (default 30). */
  demoCustomers?: number;
  /** Record the demo's outcomes (churns, renewals; default true). */
  demoOutcomes?: boolean;
  now?: Date;
  /**
   * Records every Prisma operation the server runs into `queries` (default false), through a
   * client extension: N+1 regressions show up as operations that grow with the page size.
   */
  recordQueries?: boolean;
  /** Rate limits to enforce (see rate-limits.ts); none unless given, so other tests never meet them. */
  rateLimits?: RateLimitOptions;
  /** Operation and body limits other than the defaults (see operation-limits.ts). */
  limits?: PulsoServerOptions['limits'];
  /** Answer introspection (default true). */
  introspection?: boolean;
  /** Serve GraphiQL (default true). */
  graphiql?: boolean;
  /** Which addresses webhook endpoints may have (default public ones only, as in production). */
  webhookAddresses?: PulsoServerOptions['webhookAddresses'];
  /** Administrator keys the server accepts (none unless given). */
  adminKeys?: PulsoServerOptions['adminKeys'];
  /** The server's logger (default: silent, or PULSO_TEST_LOG_LEVEL), e.g. to read what it logged. */
  logger?: PulsoServerOptions['logger'];
  /** Load shedding in front of the server (none unless given, as in other tests). */
  loadShedding?: PulsoServerOptions['loadShedding'];
  /** How long a looked-up API key is trusted (default 5 s, as in production): shorter to see a revocation without waiting. */
  apiKeyCacheMs?: number;
  /** Live streams one credential may hold open (default 100, as in production). */
  maxStreamsPerCredential?: number;
  /** PULSO_METRICS_TOKEN: /metrics on the server's port answers this bearer token (404 without one). */
  metricsToken?: string;
  /** Trace requests (the OpenTelemetry SDK must have been started by the test: tracing/start-tracing.ts). */
  tracing?: boolean;
}

export interface RecordedQuery {
  /** The model, or undefined for raw SQL. */
  model?: string;
  /** `findMany`, `count`, `$queryRaw`... */
  operation: string;
}

/** A test server already listening on loopback, and its address: for the routes of the Node handler. */
export interface ListeningTestServer extends TestServer {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
}

/** An answer as it crossed the socket: fetch would decompress it, and asks for codings of its own. */
export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One HTTP exchange with exactly these headers (and `body`, if any), the answer left as sent (compressed or not). */
export function rawRequest(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject).end(body);
  });
}

export async function createListeningTestServer(options: TestServerOptions = {}): Promise<ListeningTestServer> {
  const t = await createTestServer(options);
  return Object.assign(t, { url: await t.server.listen(0, '127.0.0.1') });
}

export async function createTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const test = await openTestDatabase(options.database ?? 'pglite', 'server', { poolSize: 5 });
  const { database } = test;
  const created =
    options.workspace === 'demo'
      ? await seedDemoWorkspace(database.prisma, {
          now: options.now ?? new Date(),
          customers: options.demoCustomers ?? 30,
          outcomes: options.demoOutcomes ?? true,
        })
      : await createWorkspace(database.prisma, { slug: 'test', name: 'Test' }).then((w) => ({
          workspaceId: w.workspaceId,
          secretKey: w.secretKey.key,
          publishableKey: w.publishableKey.key,
        }));
  const queries: RecordedQuery[] = [];
  const served: Database = options.recordQueries
    ? {
        ...database,
        prisma: database.prisma.$extends({
          query: {
            async $allOperations({ model, operation, args, query }) {
              queries.push({ model, operation });
              return query(args);
            },
          },
        }) as unknown as Database['prisma'],
      }
    : database;
  const server = createPulsoServer({
    database: served,
    logger: options.logger ?? createLogger((process.env.PULSO_TEST_LOG_LEVEL as 'silent') ?? 'silent'),
    rateLimits: options.rateLimits,
    limits: options.limits,
    introspection: options.introspection,
    graphiql: options.graphiql,
    webhookAddresses: options.webhookAddresses,
    adminKeys: options.adminKeys,
    apiKeyCacheMs: options.apiKeyCacheMs,
    maxStreamsPerCredential: options.maxStreamsPerCredential,
    loadShedding: options.loadShedding,
    metricsToken: options.metricsToken,
    tracing: options.tracing,
  });
  // Operations go over real HTTP on loopback, through the same Node handler as in production. The
  // port is opened on first use, or taken from a test that called server.listen itself.
  let listening: Promise<string> | undefined;
  const url = (): Promise<string> => {
    if (!listening && server.http.listening) {
      const { port } = server.http.address() as AddressInfo;
      listening = Promise.resolve(`http://127.0.0.1:${port}`);
    }
    return (listening ??= server.listen(0, '127.0.0.1'));
  };
  return {
    database,
    server,
    workspaceId: created.workspaceId,
    secretKey: created.secretKey,
    publishableKey: created.publishableKey,
    queries,
    async graphql(query, variables, key = created.secretKey) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (key) headers.authorization = `Bearer ${key}`;
      const init = { method: 'POST', headers, body: JSON.stringify({ query, variables }) };
      const response =
        options.over === 'fetch'
          ? await server.yoga.fetch('http://yoga/graphql', init)
          : await fetch(`${await url()}/graphql`, init);
      return { status: response.status, body: await response.json() };
    },
    async fetch(path, init) {
      return server.yoga.fetch(new URL(path, 'http://localhost'), init ?? {});
    },
    async subscribe(query, variables, accept) {
      return server.yoga.fetch('http://pulso.test/graphql', {
        method: 'POST',
        headers: { accept, 'content-type': 'application/json', authorization: `Bearer ${created.secretKey}` },
        body: JSON.stringify({ query, variables }),
      });
    },
    async close() {
      if (server.http.listening) {
        await server.close(1_000);
      } else {
        await server.rescoreRunner.stop();
        await server.yoga.dispose();
      }
      await test.close();
    },
  };
}
