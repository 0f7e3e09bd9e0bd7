// A static file served compressed: compressed once per process, with brotli (the smallest: every
// current browser accepts it) and gzip (any other client), chosen by the request's Accept-Encoding
// (content-coding.ts). The widgets' scripts are served from here
// (uncompressed, pulso.js and the core it imports were 36 KB on the wire instead of 12 KB), and
// GraphiQL's assets (8.8 MB as built, 2.1 MB with brotli).
import { createHash } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import {
  acceptedCoding,
  BEST_COMPRESSION,
  type CompressionEffort,
  type ContentCoding,
  compress,
} from './content-coding.ts';

/** One representation of the file: its bytes and its ETag (each coding its own, as HTTP asks). */
export interface Representation {
  coding: ContentCoding;
  body: Buffer;
  etag: string;
}

export type CompressedFile = Record<ContentCoding, Representation>;

/** The file's three representations: brotli, gzip, and as is. */
export async function compressFile(
  body: Buffer,
  effort: CompressionEffort = BEST_COMPRESSION,
): Promise<CompressedFile> {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  const [br, gz] = await Promise.all([compress(body, 'br', effort), compress(body, 'gzip', effort)]);
  return {
    br: { coding: 'br', body: br, etag: `"${hash}-br"` },
    gzip: { coding: 'gzip', body: gz, etag: `"${hash}-gz"` },
    identity: { coding: 'identity', body, etag: `"${hash}"` },
  };
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
  const chosen = file[acceptedCoding(req.headers['accept-encoding'])];
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
