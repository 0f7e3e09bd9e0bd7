// A request that fails because the database cannot be reached (down, a network cut, connections
// reset) is the server's temporary state, not a bug: it is answered 503 DATABASE_UNAVAILABLE with
// Retry-After, so that clients and load balancers retry (elsewhere, or later), instead of 500
// "Unexpected error." which says nothing a client can act on. Every other unexpected error is
// masked as graphql-yoga masks it.
import { createGraphQLError, maskError, type MaskError } from 'graphql-yoga';

export const DATABASE_UNAVAILABLE_CODE = 'DATABASE_UNAVAILABLE';
/** Seconds a client should wait before trying again: about how long /readyz takes to see the database back. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Prisma's error codes for a database it could not reach or lost: P1001 unreachable, P1002 timed
 * out, P1008 operation timed out, P1017 the server closed the connection, P2024 no connection free
 * in time. And the driver adapter's kinds behind them (pg's or PGlite's).
 */
const UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
/** Node's errors for a connection refused, reset or timed out (a query through `pg` itself). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);

/** Whether `error`, or what caused it, says the database could not be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && typeof cause === 'object' && depth < 8; depth++) {
    const found = cause as {
      code?: unknown;
      meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
      originalError?: unknown;
      cause?: unknown;
    };
    if (typeof found.code === 'string' && (UNAVAILABLE_CODES.has(found.code) || SOCKET_CODES.has(found.code)))
      return true;
    const kind = found.meta?.driverAdapterError?.cause?.kind;
    if (typeof kind === 'string' && UNAVAILABLE_KINDS.has(kind)) return true;
    cause = found.originalError ?? found.cause;
  }
  return false;
}

/** yoga's masking, but for a database that could not be reached: 503 DATABASE_UNAVAILABLE. */
export const maskDatabaseOutage: MaskError = (error, message, isDev) =>
  isDatabaseUnavailable(error)
    ? createGraphQLError('the database cannot be reached right now: try again in a few seconds', {
        extensions: {
          code: DATABASE_UNAVAILABLE_CODE,
          http: { status: 503, headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) } },
        },
      })
    : maskError(error, message, isDev);
