// The span of an HTTP request (kind SERVER), parent of everything the request causes: GraphQL's
// phases, the database queries, the rescoring or webhook work it starts. Made here with the
// OpenTelemetry API, not by @opentelemetry/instrumentation-http, which patches node:http as it is
// required and does not see into the production bundle. A `traceparent` header continues the
// caller's trace (W3C trace context, the propagator start-tracing.ts registers). Only the method,
// the path without its query (a GET may carry a token there), the route and the status are
// recorded: never a header or a body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { currentRequest } from '../http/request-log.ts';

const tracer = trace.getTracer('@pulso/server');

/** Runs `handle` inside the request's span, which ends when the response closes. */
export function traceRequest(req: IncomingMessage, res: ServerResponse, path: string, handle: () => void): void {
  const record = currentRequest();
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const method = req.method ?? 'GET';
  const span = tracer.startSpan(
    `${method} ${path === '/graphql' ? '/graphql' : 'request'}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': method,
        'url.path': path.slice(0, 200),
        ...(path === '/graphql' ? { 'http.route': '/graphql' } : {}),
        'pulso.request_id': record?.id ?? '',
      },
    },
    parent,
  );
  res.once('close', () => {
    if (record?.operationName) span.setAttribute('graphql.operation.name', record.operationName);
    if (res.headersSent) {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    } else {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'connection closed before an answer' });
    }
    span.end();
  });
  context.with(trace.setSpan(parent, span), handle);
}
