// OpenTelemetry tracing, started by main.ts only when OTEL_EXPORTER_OTLP_ENDPOINT (or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, through a dynamic import of this module: a default
// start loads none of the SDK (the production build keeps these packages outside its bundle for
// the same reason: scripts/build.mjs).
//
// OpenTelemetry's official SDK, assembled from its parts rather than through @opentelemetry/sdk-node:
// Pulso needs a tracer provider, the AsyncLocalStorage context manager, W3C trace-context
// propagation and the OTLP/HTTP exporter, and none of sdk-node's automatic instrumentations, which
// patch modules as they are required and so do not see into an esbuild bundle. Spans come instead
// from Pulso's own code through @opentelemetry/api (the HTTP request: request-span.ts; GraphQL
// parse, validate and execute: plugins/tracing.ts; rescoring chunks in @pulso/core, webhook
// deliveries in @pulso/webhooks) and from Prisma's own tracing (@prisma/instrumentation, which
// hands Prisma a global helper rather than patching anything): one span per query, under the
// span that caused it.
//
// The exporter reads the standard variables itself: OTEL_EXPORTER_OTLP_ENDPOINT (`/v1/traces` is
// added) or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used as is), OTEL_EXPORTER_OTLP_HEADERS,
// OTEL_EXPORTER_OTLP_TIMEOUT. It sends OTLP/HTTP with JSON bodies, which every OpenTelemetry
// Collector and most tracing back ends accept. OTEL_SERVICE_NAME names the service (default
// pulso); OTEL_TRACES_SAMPLER_ARG, a ratio from 0 to 1, samples that share of new traces (default
// 1, all), and a request arriving with a `traceparent` follows its caller's decision.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { PrismaInstrumentation } from '@prisma/instrumentation';

export interface Tracing {
  /** Sends the spans still buffered, then stops tracing. */
  shutdown(): Promise<void>;
}

/** True when the environment asks for traces (an OTLP endpoint is set). */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

export function startTracing({
  serviceVersion,
  env = process.env,
}: {
  serviceVersion: string;
  env?: NodeJS.ProcessEnv;
}): Tracing {
  const ratio = Number(env.OTEL_TRACES_SAMPLER_ARG ?? '1');
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': env.OTEL_SERVICE_NAME?.trim() || 'pulso',
      'service.version': serviceVersion,
    }),
    sampler: new ParentBasedSampler({
      root: new TraceIdRatioBasedSampler(Number.isFinite(ratio) ? Math.min(1, Math.max(0, ratio)) : 1),
    }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  // Enabled once it knows the provider: enabling installs the helper Prisma calls for every query.
  const prisma = new PrismaInstrumentation({ enabled: false });
  prisma.setTracerProvider(provider);
  prisma.enable();
  return {
    async shutdown() {
      prisma.disable();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
