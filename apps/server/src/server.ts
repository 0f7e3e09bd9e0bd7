// The HTTP server: GraphQL at /graphql (GraphiQL in a browser), probes at /livez and /readyz (/healthz).
// Shutting down first drains (optional: /readyz says 503 while requests are still served, each
// answer closing its connection, so a load balancer moves its traffic elsewhere), then ends the live
// streams, stops accepting connections, lets requests in flight finish, and closes.
import { answerClientError } from './http/client-errors.ts';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLSchema } from 'graphql';
import { createGraphQLError, createYoga, type YogaServerInstance } from 'graphql-yoga';
import { readMigrations, type Database } from '@pulso/database';
import { GroupCommit, RescoreRunner, type ScoreChange } from '@pulso/core';
import { AuthenticationError, createApiKeyResolver, UNAUTHENTICATED_HTTP } from './auth/api-key-callers.ts';
import { createSigningSecrets } from './auth/signing-secrets.ts';
import type { Context } from './context.ts';
import type { Logger } from './logger.ts';
import { createLivePubSub, type LivePubSub } from './pubsub.ts';
import { createLoadShedder, type LoadSheddingOptions } from './http/load-shedding.ts';
import { createProbes } from './http/probes.ts';
import { BACKUP_PATH, createBackupRoute, type RateLimitRefusal } from './http/backup-route.ts';
import { currentRequest, requestLogger, serveLogged } from './http/request-log.ts';
import { useRequestRecord } from './plugins/request-record.ts';
import { useErrorCodes } from './plugins/error-codes.ts';
import { useMultipartSubscriptions } from './plugins/multipart-subscriptions.ts';
import { useResponseCompression } from './plugins/response-compression.ts';
import { useStreamingResponses } from './plugins/streaming-responses.ts';
import { createPersistedQueries } from './plugins/persisted-queries.ts';
import { useTextInputChecks } from './plugins/text-inputs.ts';
import { useAliasLimit } from './plugins/alias-limit.ts';
import { useBodySizeLimit } from './plugins/body-size-limit.ts';
import { useCostLimit } from './plugins/cost-limit.ts';
import { usePageArguments } from './plugins/page-arguments.ts';
import { useCsrfPrevention } from './plugins/csrf-prevention.ts';
import { useDepthLimit } from './plugins/depth-limit.ts';
import { useDirectiveLimit } from './plugins/directive-limit.ts';
import { useIntrospection } from './plugins/introspection.ts';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from './plugins/operation-limits.ts';
import { useTokenLimit } from './plugins/token-limit.ts';
import { useViewTokenFields } from './plugins/view-token-fields.ts';
import { createRateLimits, type RateLimitOptions } from './plugins/rate-limits.ts';
import { schema as pulsoSchema } from './schema/index.ts';
import { createWidgetsRoute } from './http/widgets-route.ts';
import { createWebSocketSubscriptions } from './http/websocket-subscriptions.ts';
import { GRAPHIQL_ASSETS_PATH, GRAPHIQL_CSP, renderGraphiQLPage, serveGraphiQLAsset } from './http/graphiql-route.ts';
import { createMetricsRoute, METRICS_PATH } from './http/metrics-route.ts';
import { PulsoMetrics } from './metrics/pulso-metrics.ts';
import { useMetrics } from './plugins/metrics.ts';
import { useTracing } from './plugins/tracing.ts';
import { maskDatabaseOutage } from './database-outage.ts';
import { useEndOnRefusedCredential } from './plugins/end-on-refused-credential.ts';
import { useEndOnShutdown } from './plugins/end-on-shutdown.ts';
import { MAX_STREAMS_PER_CREDENTIAL, useStreamLimit } from './plugins/stream-limit.ts';
import { useCompiledExecution } from './plugins/compiled-execution.ts';
import { traceRequest } from './tracing/request-span.ts';
import { createUnrestrictedKeyWarning } from './auth/unrestricted-key-warning.ts';
import { outboxState, PUBLIC_ONLY, type AddressPolicy } from '@pulso/webhooks';
import { pulsoVersion } from '@pulso/version';

export interface PulsoServerOptions {
  database: Database;
  logger: Logger;
  graphiql?: boolean;
  /** Where live events go: through Redis with a redis:// URL (several instances), in memory otherwise. */
  redisUrl?: string | undefined;
  /** Before every Redis key and channel of this deployment (default "pulso"): deployments sharing a Redis stay apart. */
  redisPrefix?: string;
  /** A live event bus to use instead of creating one (closed by its owner, not by the server). */
  live?: LivePubSub;
  /**
   * The rescoring runner to kick and listen to, configured by its owner (main.ts), who stops it;
   * otherwise the server creates one with the default options and stops it when it closes.
   */
  rescoreRunner?: RescoreRunner;
  /**
   * The schema to serve: Pulso's own unless given. The benchmarks serve a schema built with the same
   * builder (plugins, auth scopes) through this same server stack, to measure its overhead alone.
   */
  schema?: GraphQLSchema;
  /** Budgets per API key, client address and customer token (rate-limits.ts); none when absent. Shared through `redisUrl` unless they name their own. */
  rateLimits?: RateLimitOptions | undefined;
  /** Overrides of the operation and body limits (plugins/operation-limits.ts: DEFAULT_OPERATION_LIMITS). */
  limits?: Partial<OperationLimits> | undefined;
  /** Answer introspection (default true); off also strips "Did you mean" suggestions from errors. */
  introspection?: boolean;
  /** Told of the score changes of each committed write, after live subscribers (main.ts wakes the webhook worker with it). */
  onScoreChanges?: (changes: readonly ScoreChange[]) => void;
  /** Refuse new requests with 503 beyond these (load-shedding.ts); nothing is shed when absent. */
  loadShedding?: LoadSheddingOptions | undefined;
  /** Which addresses webhook endpoints may have (default public ones only: @pulso/webhooks' address-policy.ts). */
  webhookAddresses?: AddressPolicy;
  /**
   * Administrator keys (pulso_ak_) that open the admin fields: `configured` is PULSO_ADMIN_KEY,
   * `local` the per-start key main.ts leaves beside a PGlite folder for the `pulso` command.
   * None: the admin fields refuse every caller.
   */
  adminKeys?: { configured?: string | undefined; local?: string | undefined };
  /** The command the demo page shows when there is no workspace at all (main.ts: first-workspace.ts). */
  createWorkspaceCommand?: string;
  /**
   * How long a looked-up API key is trusted before it is looked up again, so how long a revoked key
   * may still work (default 5 s: auth/api-key-callers.ts). Tests shorten it rather than wait.
   */
  apiKeyCacheMs?: number;
  /**
   * Live streams one credential may hold open on this instance (default 100, MAX_STREAMS_PER_CREDENTIAL;
   * 0: no limit): plugins/stream-limit.ts.
   */
  maxStreamsPerCredential?: number;
  /**
   * Where every part of the server counts what it does (metrics/pulso-metrics.ts); the server makes
   * its own when none is given. main.ts gives one, shared with the rescoring runner and the webhook worker.
   */
  metrics?: PulsoMetrics;
  /** PULSO_METRICS_TOKEN: /metrics on the public port answers only `Authorization: Bearer <token>`; 404 without one configured. */
  metricsToken?: string | undefined;
  /**
   * Trace requests with OpenTelemetry: spans for the HTTP request and GraphQL's parse, validate and
   * execute (default false). main.ts turns it on once it has started the SDK (tracing/start-tracing.ts).
   */
  tracing?: boolean;
}

export interface PulsoServer {
  yoga: YogaServerInstance<Record<string, unknown>, Context>;
  http: Server;
  /** Starts listening; resolves with the URL of the server. */
  listen(port: number, host: string): Promise<string>;
  /**
   * Drains for `drainMs` (/readyz answers 503 "shutting down", requests are still served, each
   * answer closing its connection), ends the live streams, stops accepting, waits for requests in
   * flight (up to `timeoutMs`), then closes every connection.
   */
  close(timeoutMs?: number, drainMs?: number): Promise<void>;
  /** The live event bus subscriptions listen to. */
  live: LivePubSub;
  /** The rescoring runner resolvers kick (the one given, or the server's own). */
  rescoreRunner: RescoreRunner;
  /** The server's metrics (the ones given, or its own). */
  metrics: PulsoMetrics;
  /** Serves /metrics alone on a port of its own (PULSO_METRICS_PORT); resolves with its URL. Closed with the server. */
  listenMetrics(port: number, host: string): Promise<string>;
}

export function createPulsoServer({
  database,
  logger,
  graphiql = true,
  redisUrl,
  redisPrefix = 'pulso',
  live: givenLive,
  rescoreRunner: givenRescoreRunner,
  schema = pulsoSchema,
  rateLimits: rateLimitOptions,
  limits,
  introspection = true,
  onScoreChanges,
  loadShedding,
  apiKeyCacheMs,
  maxStreamsPerCredential = MAX_STREAMS_PER_CREDENTIAL,
  webhookAddresses = PUBLIC_ONLY,
  adminKeys,
  createWorkspaceCommand = 'npm run pulso -- workspace create --name "Your company"',
  metrics = new PulsoMetrics(),
  metricsToken,
  tracing = false,
}: PulsoServerOptions): PulsoServer {
  const shedder = loadShedding ? createLoadShedder(loadShedding, { metrics }) : undefined;
  const limit: OperationLimits = { ...DEFAULT_OPERATION_LIMITS, ...definedOnly(limits ?? {}) };
  // The request guards come first, so that refusals cost the least: the body before it is read,
  // the document as it is parsed and validated, the cost once the variables are known.
  const guards = [
    useCsrfPrevention(),
    useBodySizeLimit({ maxBodyBytes: limit.maxBodyBytes }),
    useTokenLimit({ maxTokens: limit.maxTokens }),
    useDepthLimit({ maxDepth: limit.maxDepth }),
    useAliasLimit({ maxAliases: limit.maxAliases }),
    useDirectiveLimit({ maxDirectives: limit.maxDirectives }),
    useIntrospection({ enabled: introspection }),
    useCostLimit({ maxCost: limit.maxCost }),
    usePageArguments(),
  ];
  const rateLimits = rateLimitOptions
    ? createRateLimits({
        redisUrl,
        keyPrefix: `${redisPrefix}:rate`,
        onRedisError: (err) =>
          logger.warn({ err }, 'redis (rate limits) unavailable: limits hold per instance, in memory'),
        ...rateLimitOptions,
        metrics,
      })
    : undefined;
  const persistedQueries = createPersistedQueries({
    redisUrl,
    keyPrefix: `${redisPrefix}:apq`,
    onRedisError: (err) =>
      logger.warn({ err }, 'redis (persisted queries) unavailable: each instance keeps the queries it learnt'),
  });
  const signingSecrets = createSigningSecrets(database.prisma);
  const resolveCaller = createApiKeyResolver(database.prisma, signingSecrets, { adminKeys, cacheMs: apiKeyCacheMs });
  const warnIfUnrestricted = createUnrestrictedKeyWarning();
  const live =
    givenLive ??
    createLivePubSub({
      redisUrl,
      channelPrefix: `${redisPrefix}:`,
      onError: (err) =>
        logger.warn(
          { err: err.message },
          "redis (live events) unavailable: events reach this instance's subscribers only, until it is back",
        ),
      onRecovered: () => logger.info('redis (live events) back: events reach every instance again'),
    });
  // What resolvers publish after a commit: live subscribers, then whoever else asked to hear it.
  const published: LivePubSub = onScoreChanges
    ? {
        ...live,
        publishScoreChanges(changes) {
          live.publishScoreChanges(changes);
          if (changes.length > 0) onScoreChanges(changes);
        },
      }
    : live;
  // One of each per server, shared by every request: writes arriving together are grouped, and
  // every queued rescoring is processed by the same runner.
  const rescoreRunner = givenRescoreRunner ?? new RescoreRunner(database.prisma, { metrics: metrics.rescore });
  // Gauges read when Prometheus scrapes: the PostgreSQL pool, the webhook outbox.
  if (database.poolState) metrics.watchPool(database.poolState);
  metrics.watchOutbox(() => outboxState(database.prisma));
  const groupCommit = new GroupCommit(database.prisma);
  // Scores moved by background rescoring (the schedule, model changes) reach live subscribers too.
  const stopHearingRescores = rescoreRunner.onScoreChanges((changes) => live.publishScoreChanges(changes));
  // Aborted when the server closes: the live streams end (plugins/end-on-shutdown.ts).
  const shutdown = new AbortController();
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: graphiql ? { title: 'Pulso', defaultQuery: DEFAULT_QUERY } : false,
    // From this server's own /graphiql/ assets, never a CDN (http/graphiql-route.ts).
    renderGraphiQL: renderGraphiQLPage,
    landingPage: false,
    // Yoga answers an empty 200 at /health by default, a second, undocumented liveness probe. It
    // is pointed at /livez instead, which the Node handler answers first: /health is then a 404,
    // and /livez and /readyz are the probes (http/probes.ts).
    healthCheckEndpoint: '/livez',
    // A database that cannot be reached answers 503 with Retry-After, not 500 (database-outage.ts).
    maskedErrors: { maskError: maskDatabaseOutage },
    // Any origin may call (a key's allowed origins are checked where the key is), but never with
    // credentials: Pulso's credentials are bearer keys a page sends itself, never cookies, so
    // Access-Control-Allow-Credentials (yoga's default with a reflected origin) would only let a
    // browser attach ambient credentials Pulso never asked for. A preflight's answer is the same for
    // every request of an origin (it allows any origin and Pulso's two headers; keys are checked on
    // the request itself), so browsers may keep it 2 hours (Chromium's cap; without the header they
    // keep it 5 s: a live portal sent a preflight before nearly every read and stream).
    cors: { credentials: false, maxAge: PREFLIGHT_MAX_AGE_SECONDS },
    // Pulso's guards limit the body themselves (plugins/body-size-limit.ts).
    maxRequestBodySize: false,
    // View tokens read only what their widget shows (plugins/view-token-fields.ts).
    plugins: [
      // Metrics first, so that what a later plugin refuses is counted; the compiled executor before
      // the spans, which wrap whichever executor runs; spans next, around the rest.
      useMetrics({ metrics }),
      useCompiledExecution({ onExecution: (executor) => metrics.graphqlExecution(executor) }),
      ...(tracing ? [useTracing()] : []),
      useRequestRecord(),
      ...guards,
      // A hashed query becomes its text before parsing, so every guard of the parse and after sees it.
      persistedQueries.plugin,
      useViewTokenFields(),
      ...(rateLimits ? [rateLimits.plugin] : []),
      // Before useErrorCodes, which answers 406 when no processor took the request's Accept.
      useMultipartSubscriptions(),
      useEndOnShutdown(shutdown.signal),
      // A stream whose key is revoked or whose token expires ends then (plugins/end-on-refused-credential.ts).
      useEndOnRefusedCredential({ resolveCaller }),
      useStreamLimit(maxStreamsPerCredential),
      // Live responses flushed through proxies as they are written (nginx buffers otherwise).
      useStreamingResponses(),
      useErrorCodes(),
      useTextInputChecks(),
      // Last: it compresses the answer every plugin before has finished (headers included).
      useResponseCompression({
        onError: (err) => requestLogger(logger).warn({ err }, 'an answer could not be compressed: sent as it is'),
      }),
    ],
    // Through the request's logger when there is one, so that yoga's lines carry the request id.
    logging: {
      debug: (...args) => requestLogger(logger).debug(args.length === 1 ? args[0] : args),
      info: (...args) => requestLogger(logger).info(args.length === 1 ? args[0] : args),
      warn: (...args) => requestLogger(logger).warn(args.length === 1 ? args[0] : args),
      error: (...args) => requestLogger(logger).error(args.length === 1 ? args[0] : args),
    },
    context: async ({ request, req }) => {
      const record = currentRequest();
      try {
        const caller = await resolveCaller(request.headers.get('authorization'));
        if (record) record.caller = caller ? caller.kind.toLowerCase() : 'anonymous';
        warnIfUnrestricted(caller, request.headers.get('origin'), requestLogger(logger));
        return {
          prisma: database.prisma,
          caller,
          live: published,
          origin: request.headers.get('origin'),
          signingSecrets,
          webhookAddresses,
          rescoreRunner,
          groupCommit,
          metrics,
          logger: requestLogger(logger),
        };
      } catch (error) {
        if (error instanceof AuthenticationError) {
          if (record) record.caller = 'refused';
          await rateLimits?.countRefusedCredential({ req });
          throw createGraphQLError(error.message, {
            extensions: { code: 'UNAUTHENTICATED', http: UNAUTHENTICATED_HTTP },
          });
        }
        throw error;
      }
    },
  });

  /** An attempt to authenticate charged to its address: why it is refused (over the budget), or null. */
  async function chargeAttempt(req: IncomingMessage): Promise<RateLimitRefusal | null> {
    try {
      await rateLimits?.countCredentialAttempt({ req });
      return null;
    } catch (error) {
      const extensions = (error as { extensions?: { code?: unknown; retryAfterSeconds?: unknown } }).extensions;
      if (extensions?.code !== 'RATE_LIMITED') throw error;
      return { reason: (error as Error).message, retryAfterSeconds: Number(extensions.retryAfterSeconds ?? 60) };
    }
  }

  // graphql-ws over WebSocket at /graphql, through the same pipeline (http/websocket-subscriptions.ts).
  const webSockets = createWebSocketSubscriptions({
    yoga,
    path: '/graphql',
    maxPayloadBytes: limit.maxBodyBytes,
    refusedKey: async (authorization) => {
      try {
        await resolveCaller(authorization);
        return null;
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
        return error.message;
      }
    },
    // Every connection costs its address one operation (counted before the key is looked at): a
    // guesser over its budget gets 4429 for a valid key as for a guessed one.
    rateLimited: async (req) => (await chargeAttempt(req))?.reason ?? null,
    overloaded: () => (shedder ? shedder.state().overloaded !== null : false),
    retryAfterSeconds: shedder?.retryAfterSeconds,
    onClientError: (err) => logger.info({ err: err.message }, 'websocket closed on a client error'),
  });

  // /livez, /readyz and its alias /healthz (http/probes.ts): answered before shedding.
  const probes = createProbes({
    prisma: database.prisma,
    shedder,
    expectedMigrations: appliedMigrationNames,
    version: pulsoVersion(),
    shuttingDown: () => closing,
  });

  // The widgets bundle at /widgets/pulso.js and the demo page at /.
  const widgets = createWidgetsRoute(database.prisma, {
    onError: (err) => requestLogger(logger).error({ err }, 'widgets route failed'),
    createWorkspaceCommand,
  });

  let closing = false;
  // The embedded database's backup, for `pulso db backup` while this server holds the folder.
  const backup = createBackupRoute(database, resolveCaller, () => requestLogger(logger), chargeAttempt);

  // Every request gets an id (X-Request-Id back), a logger carrying it, and one access-log line
  // (http/request-log.ts); probes log theirs at debug only.
  const serveMetrics = createMetricsRoute({
    metrics,
    token: metricsToken,
    onError: (err) => requestLogger(logger).error({ err }, 'metrics could not be collected'),
  });
  const http = createHttpServer((req: IncomingMessage, res: ServerResponse) =>
    serveLogged(logger, req, res, () => measured(req, res), { quietPaths: PROBE_PATHS }),
  );
  // Idle keep-alive connections stay open 65 s instead of Node's 5 s. A client or proxy that
  // reuses a connection at the moment the server closes it as idle loses the request it sent
  // ("other side closed", a 502 from a load balancer); clients time their side out from the
  // `Keep-Alive: timeout` the server announces, minus a margin a busy client can overrun (the
  // overload test's client did, under the full suite's load). Load balancers idle-time
  // connections at 60 s: the server must hold them longer than that. The headers' timeout stays
  // above the keep-alive one, as Node requires.
  http.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  http.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  // A request Node's parser refuses (a URL beyond the header limit…) is answered so the client
  // reads its status instead of a reset connection (http/client-errors.ts).
  http.on('clientError', answerClientError);
  http.on('upgrade', (req, socket, head) => {
    if (closing || !webSockets.handleUpgrade(req, socket, head)) socket.destroy();
  });
  // Every request is timed into pulso_http_request_duration_seconds (and, with tracing, is the
  // parent span of everything it causes: tracing/request-span.ts).
  function measured(req: IncomingMessage, res: ServerResponse) {
    const path = req.url?.split('?')[0] ?? '';
    const done = metrics.httpRequestStarted();
    res.once('close', () => done(routeOf(path), req.method ?? 'GET', res.headersSent ? res.statusCode : null));
    if (tracing) traceRequest(req, res, path, () => route(req, res, path));
    else route(req, res, path);
  }
  function route(req: IncomingMessage, res: ServerResponse, path: string) {
    if (closing) res.setHeader('connection', 'close');
    if (path === '/favicon.ico') {
      // Browsers ask for it on every page; an empty answer keeps their consoles free of 404s.
      res.writeHead(204, { 'cache-control': 'public, max-age=86400' }).end();
      return;
    }
    if (path && probes.handle(path, req.method, res)) return;
    // Before shedding too: an overloaded server is when its metrics matter most.
    if (path === METRICS_PATH) return serveMetrics(req, res);
    // Beyond capacity, refused here: before the body is read or any GraphQL is parsed.
    if (shedder && !shedder.admit(req, res)) return;
    if (path === BACKUP_PATH) {
      backup(req, res).catch((err: unknown) => {
        requestLogger(logger).error({ err }, 'backup route failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    if (path && widgets.handle(req, res, path)) return;
    if (graphiql && serveGraphiQLAsset(req, res, path)) return;
    // GraphiQL's page (what yoga answers a browser at /graphql) under its policy; a header yoga's
    // answer keeps, since it writes its own headers over those already set.
    if (graphiql && path === '/graphql' && req.method === 'GET' && req.headers.accept?.includes('text/html'))
      res.setHeader('content-security-policy', GRAPHIQL_CSP);
    void yoga.requestListener(req, res);
  }

  // PULSO_METRICS_PORT's listener: /metrics and nothing else.
  const serveMetricsOpenly = createMetricsRoute({
    metrics,
    token: metricsToken,
    open: true,
    onError: (err) => logger.error({ err }, 'metrics could not be collected'),
  });
  const metricsHttp = createHttpServer((req, res) => {
    if (req.url?.split('?')[0] === METRICS_PATH) serveMetricsOpenly(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not Found\n');
  });

  return {
    yoga,
    http,
    live,
    rescoreRunner,
    metrics,
    listenMetrics: (port, host) =>
      new Promise((resolve, reject) => {
        metricsHttp.once('error', reject);
        metricsHttp.listen(port, host, () => {
          metricsHttp.off('error', reject);
          const { port: actual } = metricsHttp.address() as AddressInfo;
          resolve(`http://${host.includes(':') ? `[${host}]` : host}:${actual}`);
        });
      }),
    listen: async (port, host) => {
      // Shared budgets are counted in Redis from the first request (in memory if it is not there).
      await rateLimits?.connected();
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          const { port: actual } = http.address() as AddressInfo;
          resolve(`http://${host.includes(':') ? `[${host}]` : host}:${actual}`);
        });
      });
    },
    close: async (timeoutMs = 10_000, drainMs = 0) => {
      closing = true;
      if (drainMs > 0) {
        logger.info({ drainMs }, 'draining: /readyz says 503 while requests are still served');
        await new Promise((resolve) => setTimeout(resolve, drainMs));
      }
      // Live streams end with their protocol's last words; their clients reconnect elsewhere.
      shutdown.abort();
      // Open sockets are told the server is going (1001), so their clients reconnect elsewhere.
      const socketsClosed = webSockets.close();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      if (metricsHttp.listening) metricsHttp.close();
      metricsHttp.closeAllConnections();
      // Keep-alive connections with no request in flight would hold close() open: end them now,
      // and again as the requests in flight finish.
      http.closeIdleConnections();
      const sweep = setInterval(() => http.closeIdleConnections(), 25);
      const deadline = setTimeout(() => http.closeAllConnections(), timeoutMs);
      try {
        await Promise.all([closed, socketsClosed]);
      } finally {
        clearInterval(sweep);
        clearTimeout(deadline);
      }
      stopHearingRescores();
      // The chunk in progress commits; the run resumes at the next start.
      if (!givenRescoreRunner) await rescoreRunner.stop();
      await yoga.dispose();
      if (!givenLive) await live.close();
      await rateLimits?.close();
      await persistedQueries.close();
      shedder?.close();
    },
  };
}

// The migrations this code ships with, read once per process on first use.
let shippedMigrations: Promise<string[]> | undefined;
function appliedMigrationNames(): Promise<string[]> {
  shippedMigrations ??= readMigrations().then((list) => list.migrationDirectories.map((d) => d.path));
  return shippedMigrations;
}

const PROBE_PATHS: ReadonlySet<string> = new Set(['/livez', '/readyz', '/healthz']);

/** The `route` label of a request: a fixed set, whatever path a scanner tries. */
function routeOf(path: string): string {
  if (path === '/graphql') return 'graphql';
  if (PROBE_PATHS.has(path)) return path.slice(1);
  if (path === '/') return 'demo';
  if (path.startsWith('/widgets/')) return 'widgets';
  if (path.startsWith(GRAPHIQL_ASSETS_PATH)) return 'graphiql';
  if (path === BACKUP_PATH) return 'backup';
  if (path === METRICS_PATH) return 'metrics';
  return 'other';
}

function definedOnly<T extends object>(values: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** How long an idle keep-alive connection is kept (the `Keep-Alive: timeout` announced). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** How long browsers may keep a CORS preflight's answer (Access-Control-Max-Age; Chromium caps it at 2 h). */
export const PREFLIGHT_MAX_AGE_SECONDS = 7_200;

export const DEFAULT_QUERY = `# Send your key in the Headers tab: { "Authorization": "Bearer pulso_sk_..." }
# More ready queries: docs/api/ in the repository.
query FirstCustomers {
  workspace { name customerCount }
  customers(first: 10, orderBy: { field: SCORE, direction: ASC }) {
    totalCount
    edges {
      node {
        externalId
        name
        segment
        health {
          value
          band
          colour
          trend { change30d direction }
          categories { key subScore contribution }
          flags { message }
        }
        interactions(first: 3) {
          edges { node { occurredAt type { key } sentiment value comment } }
        }
      }
    }
  }
}
`;
