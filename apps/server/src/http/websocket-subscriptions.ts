// GraphQL over WebSocket at /graphql, in graphql-ws' protocol (`graphql-transport-ws`): the transport
// of graphql-ws' own client, Apollo Client's GraphQLWsLink, urql's and Relay's usual setups. Each
// operation runs through the same envelop pipeline as an HTTP request (yoga.getEnveloped): parse and
// validate limits, cost, page arguments, view-token fields, rate limits, metrics, tracing, and the
// same context (the caller from the key). What HTTP-only plugins do has its counterpart here:
//
// - the key: browsers cannot set headers on a WebSocket, so it comes in the connection_init
//   payload (`connectionParams: { authorization: 'Bearer …' }`); a client that can set headers
//   (Node's ws, a backend) may send it as the upgrade's Authorization header instead (the payload's
//   wins when both are sent); a refused key closes the socket with 4403 before any operation runs;
// - HTTP's status and headers: errors carry them in `extensions.http` for the HTTP answer; a
//   WebSocket message has neither, so they are left out of what is sent;
// - the body size limit: ws' maxPayload (a larger message closes the socket with 1009);
// - load shedding: an upgrade while the server is overloaded is answered 503 + Retry-After;
// - CSRF: nothing to prevent, Pulso's credentials are keys the page sends itself, never cookies;
//   the upgrade's Origin is the context's origin, checked against a publishable key's origins.
//
// graphql-ws and ws are the protocol's reference server and Node's most used WebSocket server; the
// pairing is the one graphql-yoga documents.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ExecutionArgs, GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { YogaServerInstance } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Context } from '../context.ts';

/** Close code for a connection whose address is over its rate-limit budget (4000 + HTTP's 429). */
export const RATE_LIMITED_CLOSE_CODE = 4429;

/** graphql-ws' close code for a connection whose credentials are refused (the protocol's 4403 Forbidden). */
export const FORBIDDEN_CLOSE_CODE = 4403;

export interface WebSocketSubscriptionsOptions {
  yoga: YogaServerInstance<Record<string, unknown>, Context>;
  /** The path the upgrade must ask for (yoga's GraphQL endpoint). */
  path: string;
  /** The largest message accepted, in bytes (the same limit as a request body). */
  maxPayloadBytes: number;
  /** Whether a key is refused: the message to close with, or null when it may connect (or is absent). */
  refusedKey: (authorization: string | null, req: IncomingMessage) => Promise<string | null>;
  /**
   * Whether the connection's address is over its budget (asked first, for every connection): the
   * message to close with (4429), or null. Unasked, nothing is limited.
   */
  rateLimited?: (req: IncomingMessage) => Promise<string | null>;
  /** Whether the server is shedding load now: an upgrade is then refused with 503. */
  overloaded?: () => boolean;
  retryAfterSeconds?: number;
  /** A client's protocol error (the socket is already closed with its code): logged by the server. */
  onClientError?: (error: Error) => void;
}

export interface WebSocketSubscriptions {
  /** Takes an upgrade to `path` (true) or leaves it to others (false). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Closes every open socket (1001 Going away) and stops accepting. */
  close(): Promise<void>;
}

/** The key in a connection_init payload: `authorization` (any case), with or without "Bearer ". */
export function authorizationOf(params: Readonly<Record<string, unknown>> | undefined): string | null {
  if (!params) return null;
  for (const [name, value] of Object.entries(params))
    if (name.toLowerCase() === 'authorization' && typeof value === 'string') return value;
  return null;
}

/** The connection's key: from its connection_init payload, else from the upgrade's Authorization header. */
function credentialOf(params: Readonly<Record<string, unknown>> | undefined, req: IncomingMessage): string | null {
  return authorizationOf(params) ?? req.headers.authorization ?? null;
}

/** An error as sent over the socket: without `extensions.http`, which only an HTTP answer uses. */
function withoutHttp(error: GraphQLError | GraphQLFormattedError): GraphQLFormattedError {
  const formatted = error instanceof GraphQLError ? error.toJSON() : error;
  if (!formatted.extensions || !('http' in formatted.extensions)) return formatted;
  const { http: _http, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}

export function createWebSocketSubscriptions({
  yoga,
  path,
  maxPayloadBytes,
  refusedKey,
  rateLimited = async () => null,
  overloaded = () => false,
  retryAfterSeconds = 1,
  onClientError = () => undefined,
}: WebSocketSubscriptionsOptions): WebSocketSubscriptions {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxPayloadBytes });
  type Operation = ExecutionArgs & {
    rootValue: { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };
  };
  const server = useServer(
    {
      execute: (args) => (args as Operation).rootValue.execute(args) as never,
      subscribe: (args) => (args as Operation).rootValue.subscribe(args) as never,
      onConnect: async (ctx) => {
        // Asked before the key, for a valid key too: otherwise a guesser over its budget would still
        // tell a valid key (acknowledged) from a guessed one (4403).
        const limited = await rateLimited(ctx.extra.request);
        if (limited) {
          ctx.extra.socket.close(RATE_LIMITED_CLOSE_CODE, limited.slice(0, 120));
          return false;
        }
        const refusal = await refusedKey(credentialOf(ctx.connectionParams, ctx.extra.request), ctx.extra.request);
        if (refusal) {
          // The reason reaches the client as the close reason (at most 123 bytes in a close frame).
          ctx.extra.socket.close(FORBIDDEN_CLOSE_CODE, refusal.slice(0, 120));
          return false;
        }
        return true;
      },
      onError: (_ctx, _id, _payload, errors) => errors.map(withoutHttp),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map(withoutHttp) } : undefined,
      onSubscribe: async (ctx, _id, params) => {
        const req = ctx.extra.request;
        const headers = new Headers();
        const authorization = credentialOf(ctx.connectionParams, req);
        if (authorization) headers.set('authorization', authorization);
        if (req.headers.origin) headers.set('origin', req.headers.origin);
        const request = new Request(`http://${req.headers.host ?? 'localhost'}${path}`, { method: 'POST', headers });
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          request,
          req,
          socket: ctx.extra.socket,
          params,
        });
        let document: ReturnType<typeof parse>;
        try {
          document = parse(params.query);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        let contextValue: Context;
        try {
          contextValue = (await contextFactory()) as unknown as Context;
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const operation: Operation = {
          schema,
          document,
          operationName: params.operationName ?? null,
          variableValues: params.variables ?? null,
          contextValue,
          rootValue: { execute, subscribe },
        };
        return operation;
      },
    },
    sockets,
  );

  return {
    handleUpgrade(req, socket, head) {
      if (req.url?.split('?')[0] !== path) return false;
      if (overloaded()) {
        socket.end(
          `HTTP/1.1 503 Service Unavailable\r\nRetry-After: ${retryAfterSeconds}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
        );
        return true;
      }
      sockets.handleUpgrade(req, socket, head, (ws) => {
        sockets.emit('connection', ws, req);
        // A socket's errors are its client's (a message over maxPayload, a malformed frame): ws
        // has already closed it with the matching code (1009, 1002). graphql-ws would print each
        // to the console as an internal error; they go to the server's log instead.
        ws.removeAllListeners('error');
        ws.on('error', (error) => onClientError(error));
      });
      return true;
    },
    close: async () => {
      await server.dispose();
    },
  };
}
