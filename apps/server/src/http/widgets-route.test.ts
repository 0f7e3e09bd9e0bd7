// The widgets' scripts over HTTP on loopback (the route answers before yoga): every entry a page
// names, and every chunk they import (statically, or on demand: a language's messages, the
// rating's sender), with CORS for pages of any origin; entries revalidated after five minutes,
// hashed chunks cached for good. Needs the widgets built (`pnpm -r run generate`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createListeningTestServer, type ListeningTestServer } from '../testing.ts';

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

  it('answers 404 for a script that was not built', async () => {
    const response = await get('pulso-nothing-12345678.js');
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});
