// OpenTelemetry spans for GraphQL's phases, under the request's span (tracing/request-span.ts):
// `graphql.parse`, `graphql.validate`, and `graphql.execute` (or `graphql.subscribe`), inside
// which resolvers run, so that Prisma's query spans are its children. On only when main.ts has
// started the SDK (tracing/start-tracing.ts); with no SDK the API's spans would be no-ops anyway,
// but the plugin is not even installed then.
//
// Why not @envelop/opentelemetry: it brings its own copy of the 1.x trace SDK (its dependency on
// @opentelemetry/sdk-trace-base ^1), and spans every resolver by default — a span per field of a
// 60-object list. Pulso needs four spans a request, written against @opentelemetry/api alone.
// Recorded: the operation's name and type, never the document or its variables (a literal or a
// variable may carry a token or a personal field).
import { context, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { loggableOperationName } from '../http/request-log.ts';

const tracer = trace.getTracer('@pulso/server');

export function useTracing(): Plugin {
  return {
    onParse() {
      const span = tracer.startSpan('graphql.parse');
      return ({ result }) => {
        if (result instanceof Error) fail(span, result);
        span.end();
      };
    },
    onValidate() {
      const span = tracer.startSpan('graphql.validate');
      return ({ valid, result }) => {
        if (!valid) {
          span.setAttribute('graphql.validation.errors', result.length);
          span.setStatus({ code: SpanStatusCode.ERROR, message: result[0]?.message ?? 'invalid' });
        }
        span.end();
      };
    },
    onExecute({ args, executeFn, setExecuteFn }) {
      setExecuteFn(phase('graphql.execute', args.document, args.operationName, executeFn));
    },
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      setSubscribeFn(phase('graphql.subscribe', args.document, args.operationName, subscribeFn));
    },
  };
}

/** `run` inside a span made active, so that what it causes (resolvers, queries) nests beneath. */
function phase<A, R>(
  name: string,
  document: DocumentNode,
  operationName: string | null | undefined,
  run: (args: A) => R,
): (args: A) => R {
  return (args) => {
    const operation = getOperationAST(document, operationName);
    const span = tracer.startSpan(name, {
      attributes: {
        'graphql.operation.type': operation?.operation ?? 'unknown',
        ...(loggableOperationName(operation?.name?.value) ? { 'graphql.operation.name': operation!.name!.value } : {}),
      },
    });
    return context.with(trace.setSpan(context.active(), span), () => {
      let result: R;
      try {
        result = run(args);
      } catch (error) {
        fail(span, error);
        span.end();
        throw error;
      }
      return Promise.resolve(result).then(
        (value) => {
          const errors = (value as ExecutionResult | undefined)?.errors;
          if (errors?.length) {
            span.setAttribute('graphql.errors', errors.length);
            span.setStatus({ code: SpanStatusCode.ERROR, message: errors[0]!.message });
          }
          span.end();
          return value;
        },
        (error: unknown) => {
          fail(span, error);
          span.end();
          throw error;
        },
      ) as R;
    });
  };
}

function fail(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
