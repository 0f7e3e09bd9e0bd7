// GraphQL's answers compressed for clients that accept it (brotli for browsers, gzip for most
// HTTP libraries: http/content-coding.ts). A page of customers with their scores' explanations
// is JSON that repeats its field names in every item, so it shrinks several times over: an
// integration reading the at-risk list, or a dashboard on a phone, waits for a fraction of the
// bytes. Pulso does it itself rather than leaving it to a proxy: one in front is optional (and
// Caddy's and nginx's defaults compress nothing of it), and Pulso knows which answers must not be
// compressed — live ones (Server-Sent Events, multipart) are left as they are, since a compressor
// holds small writes back until it has enough to compress, and a live event would wait with them.
import type { FetchAPI, Plugin } from 'graphql-yoga';
import {
  ANSWER_COMPRESSION,
  acceptedCoding,
  type CompressionEffort,
  type ContentCoding,
  compress,
} from '../http/content-coding.ts';

/** Whole answers only: JSON (GraphQL's two media types) and GraphiQL's page. */
const COMPRESSIBLE = /^\s*(application\/(graphql-response\+)?json|text\/html)\s*(;|$)/i;

/** A Buffer as a Response body, without a copy (zlib's buffers are never shared memory). */
const asBody = (buffer: Buffer) => new Uint8Array(buffer.buffer as ArrayBuffer, buffer.byteOffset, buffer.byteLength);

export interface ResponseCompressionOptions {
  /**
   * Answers smaller than this go as they are: a few hundred bytes gain little, and compressing
   * costs a step on the thread pool. 1 KB, as Express's `compression` middleware.
   */
  minBytes?: number;
  /** How hard to compress (default ANSWER_COMPRESSION: brotli 4, gzip 6; see content-coding.ts). */
  effort?: CompressionEffort;
  /** Told when an answer could not be compressed: it is then sent as it is, never lost. */
  onError?: (error: unknown) => void;
}

export function useResponseCompression({
  minBytes = 1024,
  effort = ANSWER_COMPRESSION,
  onError = () => {},
}: ResponseCompressionOptions = {}): Plugin {
  /** The answer, read whole, as it goes: compressed when it is large enough. */
  async function encoded(response: Response, coding: ContentCoding, fetchAPI: FetchAPI): Promise<Response> {
    const body = Buffer.from(await response.arrayBuffer());
    const headers = new fetchAPI.Headers(response.headers);
    const init = { status: response.status, statusText: response.statusText, headers };
    if (body.length < minBytes) return new fetchAPI.Response(asBody(body), init);
    let compressed: Buffer;
    try {
      compressed = await compress(body, coding, effort);
    } catch (error) {
      onError(error);
      return new fetchAPI.Response(asBody(body), init);
    }
    headers.set('content-encoding', coding);
    headers.delete('content-length');
    return new fetchAPI.Response(asBody(compressed), init);
  }

  return {
    // Synchronous unless it reads the answer: a stream, or an answer to a client asking for no
    // coding, leaves at once.
    onResponse({ request, response, setResponse, fetchAPI }) {
      if (!COMPRESSIBLE.test(response.headers.get('content-type') ?? '') || response.headers.has('content-encoding'))
        return;
      // A cache in between keeps one copy per coding (the answer depends on Accept-Encoding).
      response.headers.append('vary', 'Accept-Encoding');
      const coding = acceptedCoding(request.headers.get('accept-encoding'));
      if (coding === 'identity' || request.method === 'HEAD' || !response.body) return;
      return encoded(response, coding, fetchAPI).then(setResponse);
    },
  };
}
