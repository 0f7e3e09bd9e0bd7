// A GraphQL answer as it crosses the socket, by what the client accepts: its bytes and the time to
// its last byte, one request at a time. Load generators (autocannon) ask for no coding, so the
// throughput figures are those of uncompressed answers; this is the other side: what a browser
// (brotli) or a client like Node's fetch (gzip) downloads, and what compressing adds per answer.
import { ANSWER_COMPRESSION, compress, rawRequest } from '@pulso/server/testing';
import type { Workload } from './load.ts';
import { fixed, median } from './stats.ts';

/** The Accept-Encoding each kind of client sends. */
const CLIENTS = {
  'as is': undefined,
  gzip: 'gzip, deflate', // Node's fetch, most HTTP libraries
  brotli: 'gzip, deflate, br, zstd', // Chromium
} as const;

export interface AnswerAsSent {
  /** Bytes on the wire, by client. */
  bytes: Record<keyof typeof CLIENTS, number>;
  /** Median time to the last byte in milliseconds, by client. */
  medianMs: Record<keyof typeof CLIENTS, number>;
  /** Median time to compress the answer as the server does, in this process (no HTTP), by coding. */
  compressMs: { gzip: number; brotli: number };
}

/** `runs` requests per kind of client, alternated so that drift falls on all alike. */
export async function measureAnswerAsSent(url: string, workload: Workload, runs = 20): Promise<AnswerAsSent> {
  const names = Object.keys(CLIENTS) as (keyof typeof CLIENTS)[];
  const bytes = {} as AnswerAsSent['bytes'];
  let plain: Buffer = Buffer.alloc(0);
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
    keyof typeof CLIENTS,
    number[]
  >;
  for (let round = 0; round < runs; round++) {
    for (const name of names) {
      const coding = CLIENTS[name];
      const started = performance.now();
      const answer = await rawRequest(
        new URL(workload.path, url).toString(),
        {
          'content-type': 'application/json',
          ...workload.headers,
          ...(coding ? { 'accept-encoding': coding } : {}),
        },
        'POST',
        JSON.stringify(workload.body),
      );
      times[name].push(performance.now() - started);
      if (answer.status !== 200) throw new Error(`answer as sent (${name}): status ${answer.status}`);
      bytes[name] = answer.body.length;
      if (name === 'as is') plain = answer.body;
    }
  }
  const medianMs = Object.fromEntries(names.map((name) => [name, median(times[name])])) as AnswerAsSent['medianMs'];
  // The compression alone, with the server's settings: what each answer costs its thread pool.
  const timed = async (coding: 'br' | 'gzip') => {
    const spent: number[] = [];
    for (let round = 0; round < runs; round++) {
      const started = performance.now();
      await compress(plain, coding, ANSWER_COMPRESSION);
      spent.push(performance.now() - started);
    }
    return median(spent);
  };
  return { bytes, medianMs, compressMs: { gzip: await timed('gzip'), brotli: await timed('br') } };
}

/** One line for the report. */
export function describeAnswerAsSent(label: string, { bytes, medianMs, compressMs }: AnswerAsSent, runs = 20): string {
  const ratio = (n: number) => `${fixed(bytes['as is'] / n, 1)}× smaller`;
  return (
    `${label} as sent: ${bytes['as is'].toLocaleString('en')} B as is, ${bytes.gzip.toLocaleString('en')} B gzip (${ratio(bytes.gzip)}), ` +
    `${bytes.brotli.toLocaleString('en')} B brotli (${ratio(bytes.brotli)}); median time to the last byte over loopback, one ` +
    `request at a time (${runs} each, alternated): ${fixed(medianMs['as is'], 1)} ms as is, ${fixed(medianMs.gzip, 1)} ms gzip, ` +
    `${fixed(medianMs.brotli, 1)} ms brotli; compressing it alone (the server's settings, in the harness's process): ` +
    `${fixed(compressMs.gzip, 2)} ms gzip, ${fixed(compressMs.brotli, 2)} ms brotli.`
  );
}
