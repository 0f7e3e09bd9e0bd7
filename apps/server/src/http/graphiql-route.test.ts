// GraphiQL from the server itself, over HTTP on loopback (its assets are answered by the Node
// handler, before yoga): the page names no other origin, runs no inline script, and every asset
// it loads, or that the editor loads as a worker, answers 200 from this server, compressed for a
// browser.
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUERY } from '../server.ts';
import { createListeningTestServer, type ListeningTestServer, rawRequest } from '../testing.ts';

describe('GraphiQL', () => {
  let t: ListeningTestServer;
  beforeAll(async () => {
    t = await createListeningTestServer();
  });
  afterAll(() => t?.close());

  const page = () => fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });

  it('is a page with no address outside this server and no inline script, under a policy', async () => {
    const response = await page();
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<title>Pulso</title>');
    expect(html).not.toMatch(/(?:https?:)?\/\/[a-z0-9.-]+/i);
    expect(html).not.toContain('unpkg');
    // Every <script> either loads a file from this server or is a JSON data block.
    for (const [tag] of html.matchAll(/<script[^>]*>/g))
      expect(tag).toMatch(/src="\/graphiql\/[\w.]+"|type="application\/json"/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/https?:/);
  });

  it("serves the page's assets and the editor's workers itself", async () => {
    const html = await (await page()).text();
    const linked = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map(([, path]) => path);
    expect(linked).toEqual(
      expect.arrayContaining(['/graphiql/graphiql.js', '/graphiql/graphiql.css', '/graphiql/favicon.ico']),
    );
    const script = await (await fetch(`${t.url}/graphiql/graphiql.js`)).text();
    const workers = ['editor.worker.js', 'json.worker.js', 'graphql.worker.js'].map((name) => `/graphiql/${name}`);
    for (const worker of workers) expect(script).toContain(worker.split('/').at(-1));
    for (const path of [...linked, ...workers]) {
      const response = await fetch(`${t.url}${path}`);
      expect(response.status, path).toBe(200);
      expect((await response.arrayBuffer()).byteLength, path).toBeGreaterThan(0);
      const again = await fetch(`${t.url}${path}`, {
        headers: { 'if-none-match': response.headers.get('etag') ?? '' },
      });
      expect(again.status, path).toBe(304);
    }
    expect((await fetch(`${t.url}/graphiql/nothing.js`)).status).toBe(404);
  });

  it('sends its 8.8 MB of assets to a browser compressed with brotli (about a quarter of that)', async () => {
    const exchange = (path: string, acceptEncoding: string) =>
      rawRequest(`${t.url}${path}`, { 'accept-encoding': acceptEncoding });
    let sent = 0;
    let built = 0;
    for (const name of ['graphiql.js', 'graphiql.css', 'editor.worker.js', 'json.worker.js', 'graphql.worker.js']) {
      const asBuilt = await exchange(`/graphiql/${name}`, 'identity');
      const compressed = await exchange(`/graphiql/${name}`, 'gzip, deflate, br, zstd');
      expect([asBuilt.headers['content-encoding'], compressed.headers['content-encoding']], name).toEqual([
        undefined,
        'br',
      ]);
      expect(brotliDecompressSync(compressed.body).equals(asBuilt.body), name).toBe(true);
      sent += compressed.body.length;
      built += asBuilt.body.length;
    }
    expect(built).toBeGreaterThan(8_000_000);
    expect(sent / built).toBeLessThan(0.3);
  });

  it('carries its options to the page as data: its title and the default query', async () => {
    const html = await (await page()).text();
    const data = /<script type="application\/json" id="graphiql-options">(.*?)<\/script>/s.exec(html)?.[1];
    expect(JSON.parse(data ?? 'null')).toEqual({ title: 'Pulso', defaultQuery: DEFAULT_QUERY });
  });
});
