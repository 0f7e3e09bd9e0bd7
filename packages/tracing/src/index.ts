// One unit of background work in a span of its own: how the rescoring runner's chunks and the
// webhook worker's attempts are traced, with their failures on the span.
import { type Attributes, type Span, SpanStatusCode, type Tracer } from '@opentelemetry/api';

/**
 * Runs `work` inside a new active span (the spans it starts, database queries among them, are its
 * children); a failure is recorded on the span and thrown on; the span ends either way.
 */
export function inSpan<T>(
  tracer: Tracer,
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
