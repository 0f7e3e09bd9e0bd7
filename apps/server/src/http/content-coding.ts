// Content codings: which one a client accepts best (its Accept-Encoding, read as Express and Fastify
// read it, with negotiator) and the compression itself. Brotli first (the smallest: every current
// browser accepts it), gzip for other clients (curl, Node's fetch, most HTTP libraries). Used for
// static files (compressed-file.ts) and GraphQL's answers (plugins/response-compression.ts).
/// <reference path="./negotiator.d.ts" />
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import Negotiator from 'negotiator';

export type ContentCoding = 'br' | 'gzip' | 'identity';

/** Best first, for equal preferences of the client (browsers list gzip before br). */
const CODINGS: readonly ContentCoding[] = ['br', 'gzip', 'identity'];

/**
 * The coding an Accept-Encoding header accepts best; identity without the header. A client refusing
 * every coding, identity included (`identity;q=0, *;q=0`: no browser does), gets identity rather
 * than nothing.
 */
export function acceptedCoding(acceptEncoding: string | null | undefined): ContentCoding {
  const request = { headers: { 'accept-encoding': acceptEncoding ?? undefined } };
  return (new Negotiator(request).encoding(CODINGS, { preferred: CODINGS }) as ContentCoding | undefined) ?? 'identity';
}

/** How hard to compress: brotli's quality (0–11) and gzip's level (1–9). */
export interface CompressionEffort {
  brotliQuality: number;
  gzipLevel: number;
}

/** For small files sent to every page (the widgets): each byte counts, and they compress in milliseconds. */
export const BEST_COMPRESSION: CompressionEffort = {
  brotliQuality: constants.BROTLI_MAX_QUALITY,
  gzipLevel: constants.Z_BEST_COMPRESSION,
};

/**
 * For large files asked for now and then (GraphiQL's 8.8 MB): brotli's best quality would take
 * seconds of CPU; quality 5 takes about 0.2 s for all of them and lands within 2 % of quality 6.
 */
export const QUICK_COMPRESSION: CompressionEffort = { brotliQuality: 5, gzipLevel: 6 };

/**
 * For GraphQL's answers, compressed as each is sent (plugins/response-compression.ts): brotli 4, as
 * Express's `compression` sets it (about gzip's speed at its default level, and smaller), and gzip's
 * default 6: 1–2.5 ms for a page of 100 at-risk customers (160–214 KB) on a 2-core machine.
 */
export const ANSWER_COMPRESSION: CompressionEffort = { brotliQuality: 4, gzipLevel: 6 };

const brotli = promisify(brotliCompress);
const deflate = promisify(gzip);

/** The body in the coding (identity: as it is). On libuv's thread pool, not the event loop. */
export async function compress(body: Buffer, coding: ContentCoding, effort: CompressionEffort): Promise<Buffer> {
  if (coding === 'identity') return body;
  if (coding === 'gzip') return deflate(body, { level: effort.gzipLevel });
  return brotli(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: effort.brotliQuality,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
}
