// The HTTP server: GraphQL at /graphql (GraphiQL in a browser), a health check at /healthz.
// Shutting down stops accepting connections, lets requests in flight finish, then closes.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGraphQLError, createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Database } from '@pulso/database';
import { rescoreRunnerFor } from '@pulso/workspaces';
import { AuthenticationError, createApiKeyResolver } from './auth.ts';
import type { Context } from './context.ts';
import type { Logger } from './logger.ts';
import { createLivePubSub, type LivePubSub } from './pubsub.ts';
import { schema } from './schema/index.ts';
import { createWidgetsRoute } from './widgets-route.ts';

export interface PulsoServerOptions {
  database: Database;
  logger: Logger;
  graphiql?: boolean;
  /** Where live events go: through Redis with a redis:// URL (several instances), in memory otherwise. */
  redisUrl?: string | undefined;
  /** A live event bus to use instead of creating one (closed by its owner, not by the server). */
  live?: LivePubSub;
}

export interface PulsoServer {
  yoga: YogaServerInstance<Record<string, unknown>, Context>;
  http: Server;
  /** Starts listening; resolves with the URL of the server. */
  listen(port: number, host: string): Promise<string>;
  /** Stops accepting, waits for requests in flight (up to `timeoutMs`), then closes every connection. */
  close(timeoutMs?: number): Promise<void>;
  /** The live event bus subscriptions listen to. */
  live: LivePubSub;
}

export function createPulsoServer({ database, logger, graphiql = true, redisUrl, live: givenLive }: PulsoServerOptions): PulsoServer {
  const resolveCaller = createApiKeyResolver(database.prisma);
  const live = givenLive ?? createLivePubSub({ redisUrl, onError: (err) => logger.warn({ err }, 'redis (live events) connection error') });
  // Scores moved by background rescoring (the schedule, model changes) reach live subscribers too.
  const stopHearingRescores = rescoreRunnerFor(database.prisma).onScoreChanges((changes) => live.publishScoreChanges(changes));
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: graphiql ? { title: 'Pulso', defaultQuery: DEFAULT_QUERY } : false,
    landingPage: false,
    logging: {
      debug: (...args) => logger.debug(args.length === 1 ? args[0] : args),
      info: (...args) => logger.info(args.length === 1 ? args[0] : args),
      warn: (...args) => logger.warn(args.length === 1 ? args[0] : args),
      error: (...args) => logger.error(args.length === 1 ? args[0] : args),
    },
    context: async ({ request }) => {
      try {
        return {
          prisma: database.prisma,
          caller: await resolveCaller(request.headers.get('authorization')),
          live,
          origin: request.headers.get('origin'),
        };
      } catch (error) {
        if (error instanceof AuthenticationError) {
          throw createGraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
        }
        throw error;
      }
    },
  });

  async function health(res: ServerResponse) {
    try {
      await database.prisma.$queryRawUnsafe('SELECT 1');
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end('{"status":"ok"}');
    } catch {
      res.writeHead(503, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end('{"status":"unavailable","reason":"database"}');
    }
  }

  // The widgets bundle at /widgets/pulso.js and the demo page at /.
  const widgets = createWidgetsRoute(database.prisma);

  let closing = false;
  const http = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    if (closing) res.setHeader('connection', 'close');
    const path = req.url?.split('?')[0];
    if (path === '/favicon.ico') {
      // Browsers ask for it on every page; an empty answer keeps their consoles free of 404s.
      res.writeHead(204, { 'cache-control': 'public, max-age=86400' }).end();
      return;
    }
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      void health(res);
      return;
    }
    if (path && widgets.handle(req, res, path)) return;
    void yoga.requestListener(req, res);
  });

  return {
    yoga,
    http,
    live,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          const { port: actual } = http.address() as AddressInfo;
          resolve(`http://${host.includes(':') ? `[${host}]` : host}:${actual}`);
        });
      }),
    close: async (timeoutMs = 10_000) => {
      closing = true;
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      // Keep-alive connections with no request in flight would hold close() open: end them now,
      // and again as the requests in flight finish.
      http.closeIdleConnections();
      const sweep = setInterval(() => http.closeIdleConnections(), 25);
      const deadline = setTimeout(() => http.closeAllConnections(), timeoutMs);
      try {
        await closed;
      } finally {
        clearInterval(sweep);
        clearTimeout(deadline);
      }
      stopHearingRescores();
      await yoga.dispose();
      if (!givenLive) await live.close();
    },
  };
}

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
