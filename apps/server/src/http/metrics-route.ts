// GET /metrics: the Prometheus text of the server's metrics (metrics/pulso-metrics.ts), never
// open to whoever reaches the public port. Two ways to serve it, either or both:
// - PULSO_METRICS_TOKEN on the public port: /metrics answers only a request carrying
//   `Authorization: Bearer <token>` (401 without it or with another one); with no token configured
//   the public port answers /metrics with 404, like any path it does not serve.
// - PULSO_METRICS_PORT: a listener of its own (on PULSO_METRICS_HOST, loopback by default) that
//   serves /metrics alone, for a scraper on a private network or a sidecar; the token is asked
//   there too when one is configured.
// The token is compared through SHA-256 digests with timingSafeEqual: equal-length inputs, and no
// early exit that would time how much of a guess was right. The text goes compressed to a scraper
// that accepts it (Prometheus asks for gzip): tens of kilobytes every 15 s per instance otherwise.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PulsoMetrics } from '../metrics/pulso-metrics.ts';
import { ANSWER_COMPRESSION, acceptedCoding, compress } from './content-coding.ts';

export const METRICS_PATH = '/metrics';

export interface MetricsRouteOptions {
  metrics: PulsoMetrics;
  /** The bearer token scrapers send; none: the route refuses every request (404) unless `open`. */
  token?: string | undefined;
  /** Serve without a token when none is configured (the metrics port's own listener). */
  open?: boolean;
  /** Told of a failed scrape (a gauge whose read threw). */
  onError?: (error: unknown) => void;
}

/** Answers GET /metrics, or refuses it; the caller routes only METRICS_PATH here. */
export function createMetricsRoute({ metrics, token, open = false, onError }: MetricsRouteOptions) {
  const expected = token ? digest(token) : undefined;
  const refuse = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) =>
    res
      .writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers })
      .end(message);

  return function serveMetrics(req: IncomingMessage, res: ServerResponse): void {
    if (!expected && !open) return void refuse(res, 404, 'Not Found\n');
    if (expected) {
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!given || !timingSafeEqual(digest(given), expected))
        return void refuse(res, 401, 'metrics need Authorization: Bearer $PULSO_METRICS_TOKEN\n', {
          'www-authenticate': 'Bearer realm="pulso-metrics"',
        });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return void refuse(res, 405, 'GET only\n', { allow: 'GET, HEAD' });
    const coding = acceptedCoding(req.headers['accept-encoding']);
    metrics
      .text()
      .then(async (text) => {
        const body = await compress(Buffer.from(text), coding, ANSWER_COMPRESSION);
        res.writeHead(200, {
          'content-type': metrics.contentType,
          'cache-control': 'no-store',
          vary: 'Accept-Encoding',
          ...(coding === 'identity' ? {} : { 'content-encoding': coding }),
          'content-length': body.length,
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      })
      .catch((error: unknown) => {
        onError?.(error);
        if (!res.headersSent) refuse(res, 500, 'metrics could not be collected\n');
      });
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
