// The widgets' scripts over HTTP on loopback (the route answers before yoga): every entry a page
// names, and every chunk they import (statically, or on demand: a language's messages, the
// rating's sender), with CORS for pages of any origin; entries revalidated after five minutes,
// hashed chunks cached for good; compressed as each client accepts. Needs the widgets built
// (`pnpm -r run generate`).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createListeningTestServer, type ListeningTestServer, rawRequest } from '../testing.ts';

const ENTRIES = ['pulso.js', 'pulso-rating.js', 'pulso-gauge.js', 'pulso-at-risk.js'];

describe('the widgets route', () => {
  let t: ListeningTestServer;
  beforeAll(async () => {
    t = await createListeningTestServer();
  });
  afterAll(() => t?.close());

  const get = (name: string, headers: Record<string, string> = {}) => fetch(`${t.url}/widgets/${name}`, { headers });

  /** The files a script imports: `from"./x.js"`, `import"./x.js"`, `import("./x.js")` (quotes of any kind). */
  const importsOf = (code: string) =>
    [...code.matchAll(/(?:from|import)\s*\(?\s*["'`]\.\/([\w.-]+\.js)["'`]/g)].map(([, name]) => name!);

  it('serves each entry for pages of any origin, revalidated after five minutes', async () => {
    for (const name of ENTRIES) {
      const response = await get(name);
      expect(response.status, name).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(response.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=86400');
      expect(importsOf(await response.text()).length, `${name} imports its chunks`).toBeGreaterThan(0);
      const again = await get(name, { 'if-none-match': response.headers.get('etag')! });
      expect(again.status, name).toBe(304);
    }
  });

  it('serves every chunk the entries import, now or later, cached for good', async () => {
    const seen = new Set<string>();
    const queue = [...ENTRIES];
    while (queue.length) {
      const name = queue.shift()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const response = await get(name);
      expect(response.status, name).toBe(200);
      expect(response.headers.get('access-control-allow-origin'), name).toBe('*');
      if (!ENTRIES.includes(name))
        expect(response.headers.get('cache-control'), name).toBe('public, max-age=31536000, immutable');
      queue.push(...importsOf(await response.text()));
    }
    const chunks = [...seen].filter((name) => !ENTRIES.includes(name));
    // Lit and the shared code, the portal widgets' code, a language's messages, the rating's sender.
    for (const kind of [
      /^pulso-core-/,
      /^pulso-portal-[\w-]{8}\.js$/,
      /^pulso-portal-messages-pt-BR-/,
      /^pulso-delivery-/,
    ])
      expect(
        chunks.some((name) => kind.test(name)),
        String(kind),
      ).toBe(true);
  });

  const raw = (name: string, method: string, headers: Record<string, string>) =>
    rawRequest(`${t.url}/widgets/${name}`, headers, method);

  it('sends each script compressed as the client accepts (brotli, else gzip, else as built), each with its own ETag', async () => {
    const dist = dirname(createRequire(import.meta.url).resolve('@pulso/widgets/custom-elements.json'));
    const built = readFileSync(join(dist, 'pulso.js'));
    const cases: [accept: string | undefined, coding: string | undefined][] = [
      ['gzip, deflate, br, zstd', 'br'], // Chromium over HTTPS: gzip listed first, brotli sent
      ['gzip, deflate', 'gzip'], // a client without brotli (many HTTP libraries)
      ['br;q=0, gzip;q=0.5', 'gzip'],
      ['*', 'br'],
      ['identity', undefined],
      [undefined, undefined], // no header: as built
      ['identity;q=0, *;q=0', undefined], // refuses everything: as built rather than nothing
    ];
    const etags = new Map<string, string>();
    for (const [accept, coding] of cases) {
      const headers: Record<string, string> = accept === undefined ? {} : { 'accept-encoding': accept };
      const response = await raw('pulso.js', 'GET', headers);
      expect(response.status, accept).toBe(200);
      expect(response.headers['content-encoding'], accept).toBe(coding);
      expect(response.headers.vary, accept).toBe('accept-encoding');
      expect(Number(response.headers['content-length']), accept).toBe(response.body.length);
      const decoded =
        coding === 'br'
          ? brotliDecompressSync(response.body)
          : coding === 'gzip'
            ? gunzipSync(response.body)
            : response.body;
      expect(decoded.equals(built), accept).toBe(true);
      const etag = response.headers.etag as string;
      expect(etags.get(coding ?? 'identity') ?? etag, 'one ETag per coding').toBe(etag);
      etags.set(coding ?? 'identity', etag);
      // Revalidated as what the client holds: the same coding's ETag answers 304, with no body.
      const again = await raw('pulso.js', 'GET', { ...headers, 'if-none-match': etag });
      expect([again.status, again.body.length, again.headers['content-encoding']], accept).toEqual([304, 0, coding]);
    }
    expect(new Set(etags.values()).size).toBe(3);
    // The brotli ETag from a client that now asks for gzip: not the gzip bytes, so a full answer.
    const switched = await raw('pulso.js', 'GET', { 'accept-encoding': 'gzip', 'if-none-match': etags.get('br')! });
    expect([switched.status, switched.headers['content-encoding']]).toEqual([200, 'gzip']);
    // Compressed well: brotli at its best quality, within a few per cent of gzip level 9's 2.7x.
    expect(
      built.length / Number((await raw('pulso.js', 'HEAD', { 'accept-encoding': 'br' })).headers['content-length']),
    ).toBeGreaterThan(3);
    const head = await raw('pulso.js', 'HEAD', { 'accept-encoding': 'gzip' });
    expect([head.status, head.body.length, head.headers['content-encoding']]).toEqual([200, 0, 'gzip']);
  });

  it('answers 404 for a script that was not built', async () => {
    const response = await get('pulso-nothing-12345678.js');
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});
