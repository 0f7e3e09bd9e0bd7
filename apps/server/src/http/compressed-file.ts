// A static file served compressed: compressed once per process, with brotli (the smallest: every
// current browser accepts it) and gzip (any other client), chosen by the request's Accept-Encoding
// as Express and Fastify read it (negotiator). The widgets' scripts are served from here
// (uncompressed, pulso.js and the core it imports were 36 KB on the wire instead of 12 KB), and
// GraphiQL's assets (8.8 MB as built, 2.1 MB with brotli).
/// <reference path="./negotiator.d.ts" />
import { createHash } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import Negotiator from 'negotiator';

export type ContentCoding = 'br' | 'gzip' | 'identity';

/** One representation of the file: its bytes and its ETag (each coding its own, as HTTP asks). */
export interface Representation {
  coding: ContentCoding;
  body: Buffer;
  etag: string;
}

export type CompressedFile = Record<ContentCoding, Representation>;

const brotli = promisify(brotliCompress);
const deflate = promisify(gzip);
/** Best first, for equal preferences of the client (browsers list gzip before br). */
const CODINGS: readonly ContentCoding[] = ['br', 'gzip', 'identity'];

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

/** The file's three representations: brotli, gzip, and as is. */
export async function compressFile(
  body: Buffer,
  effort: CompressionEffort = BEST_COMPRESSION,
): Promise<CompressedFile> {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  const [br, gz] = await Promise.all([
    brotli(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: effort.brotliQuality,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    deflate(body, { level: effort.gzipLevel }),
  ]);
  return {
    br: { coding: 'br', body: br, etag: `"${hash}-br"` },
    gzip: { coding: 'gzip', body: gz, etag: `"${hash}-gz"` },
    identity: { coding: 'identity', body, etag: `"${hash}"` },
  };
}

/**
 * The representation a request accepts best. A client refusing every coding, identity included
 * (`identity;q=0, *;q=0`: no browser does), gets the file as is rather than nothing.
 */
function representationFor(file: CompressedFile, request: Pick<IncomingMessage, 'headers'>): Representation {
  const coding = new Negotiator(request).encoding(CODINGS, { preferred: CODINGS }) as ContentCoding | undefined;
  return file[coding ?? 'identity'];
}

/**
 * Answers a GET or HEAD with the representation the request accepts best: 304 when the client holds
 * it (its ETag), else the bytes with their length and coding. `headers`: the file's own (type, cache).
 */
export function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: CompressedFile,
  headers: OutgoingHttpHeaders,
): void {
  const chosen = representationFor(file, req);
  const all = {
    ...headers,
    vary: 'accept-encoding',
    etag: chosen.etag,
    ...(chosen.coding === 'identity' ? {} : { 'content-encoding': chosen.coding }),
  };
  if (req.headers['if-none-match'] === chosen.etag) {
    res.writeHead(304, all).end();
    return;
  }
  res.writeHead(200, { ...all, 'content-length': chosen.body.length });
  res.end(req.method === 'HEAD' ? undefined : chosen.body);
}
