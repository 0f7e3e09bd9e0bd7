// Request ids and the access log. Each request gets an id: the caller's `X-Request-Id` when it is a
// safe, bounded string, else the trace id of its W3C `traceparent`, else a new UUID. The id goes
// back in the `X-Request-Id` response header, and into every log line written while the request
// runs: the request's child logger (pino's `child`) is kept in an AsyncLocalStorage, which Node
// carries through every await and callback the request starts, so code several calls down (yoga's
// own logging, a resolver's `ctx.logger`) finds it without it being passed along.
//
// One access-log line per request, when its response closes (finished or cut): method, path,
// GraphQL operation name and type, status, duration, caller kind and error codes. Never a header,
// a query string (a GET may carry a token or variables there), a key, a token or any variable: the
// path is read without its query, the operation name only when it is a GraphQL name.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';

/** What the access log learns about a request while it runs. */
export interface RequestRecord {
  id: string;
  /** The base logger's child carrying `requestId`. */
  logger: Logger;
  operationName?: string;
  operationType?: string;
  /** `secret`, `read_only`, `publishable`, `view`, `admin`, `anonymous`, or `refused` (a credential that was not accepted). */
  caller?: string;
  /** The `extensions.code` of the errors answered (unique, in order). */
  errorCodes?: string[];
}

const current = new AsyncLocalStorage<RequestRecord>();

/** The request being served here, if any. */
export function currentRequest(): RequestRecord | undefined {
  return current.getStore();
}

/** The logger to write with: the request's child logger inside a request, `base` outside one. */
export function requestLogger(base: Logger): Logger {
  return current.getStore()?.logger ?? base;
}

// Letters, digits and `-_.:`: what common proxies and tracers generate (UUIDs, ULIDs, Heroku's and
// AWS's ids), with nothing that could break a log line or a header.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
// W3C Trace Context: version-traceid-parentid-flags, lower-case hex; version ff and all-zero ids are invalid.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-.*)?$/;
// A GraphQL Name, bounded: anything else a client sends as operationName is not logged.
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/** The id of a request, from its headers or new. */
export function requestIdOf(headers: IncomingMessage['headers']): string {
  const given = headers['x-request-id'];
  if (typeof given === 'string' && SAFE_ID.test(given)) return given;
  const trace = TRACEPARENT.exec(typeof headers.traceparent === 'string' ? headers.traceparent.trim() : '');
  if (trace && trace[1] !== 'ff' && !/^0+$/.test(trace[2]!) && !/^0+$/.test(trace[3]!)) return trace[2]!;
  return randomUUID();
}

/** A GraphQL operation name fit to log, or undefined. */
export function loggableOperationName(name: unknown): string | undefined {
  return typeof name === 'string' && OPERATION_NAME.test(name) ? name : undefined;
}

/** Paths longer than this are cut in the log (a scanner's garbage, not a route). */
const MAX_LOGGED_PATH = 200;

export interface AccessLogOptions {
  /** Paths logged at debug rather than info: probes polled every few seconds would drown the rest. */
  quietPaths?: ReadonlySet<string>;
}

/**
 * Serves one request inside its own record: sets `X-Request-Id`, runs `handle` with the record as
 * the current request, and writes the access-log line when the response closes.
 */
export function serveLogged(
  base: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  handle: () => void,
  { quietPaths }: AccessLogOptions = {},
): void {
  const started = performance.now();
  const id = requestIdOf(req.headers);
  const record: RequestRecord = { id, logger: base.child({ requestId: id }) };
  res.setHeader('x-request-id', id);
  const path = (req.url ?? '').split('?')[0]!.slice(0, MAX_LOGGED_PATH);
  res.once('close', () => {
    const access = {
      method: req.method,
      path,
      operation: record.operationName,
      operationType: record.operationType,
      // None when the connection was cut before the answer started.
      status: res.headersSent ? res.statusCode : null,
      // A response cut before it finished (the client went away) says so.
      ...(res.writableFinished ? {} : { aborted: true }),
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      caller: record.caller ?? 'anonymous',
      errorCodes: record.errorCodes,
    };
    record.logger[quietPaths?.has(path) ? 'debug' : 'info']({ access }, 'request');
  });
  current.run(record, handle);
}
