import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { inSpan } from './index.ts';

describe('inSpan', () => {
  const exporter = new InMemorySpanExporter();
  const tracer = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }).getTracer('test');

  it('ends the span with its attributes and what the work set, and returns what the work returned', async () => {
    const result = await inSpan(tracer, 'work', { 'pulso.n': 1 }, async (span) => {
      span.setAttribute('pulso.done', 2);
      return 'ok';
    });
    expect(result).toBe('ok');
    const [span] = exporter.getFinishedSpans().filter((s) => s.name === 'work');
    expect(span!.attributes).toEqual({ 'pulso.n': 1, 'pulso.done': 2 });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('records a failure on the span, ends it, and throws it on', async () => {
    await expect(
      inSpan(tracer, 'failing', {}, async () => {
        throw new Error('database gone');
      }),
    ).rejects.toThrow('database gone');
    const [span] = exporter.getFinishedSpans().filter((s) => s.name === 'failing');
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'database gone' });
    expect(span!.events.map((e) => e.name)).toEqual(['exception']);
  });
});
