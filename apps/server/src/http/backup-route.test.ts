// GET /admin/backup on a server in process: the administrator key only, and what it sends is a
// gzipped tarball that PGlite loads (the round trip under write load is test/operator-cli.test.ts).
import { issueAdminKey } from '@pulso/api-keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createListeningTestServer, type ListeningTestServer } from '../testing.ts';

const ADMIN = issueAdminKey();

describe('GET /admin/backup', () => {
  let t: ListeningTestServer;
  beforeAll(async () => {
    t = await createListeningTestServer({ adminKeys: { configured: ADMIN } });
  });
  afterAll(() => t?.close());

  const get = (authorization?: string) =>
    fetch(`${t.url}/admin/backup`, { headers: authorization ? { authorization } : {} });

  it('is refused without the administrator key', async () => {
    for (const response of [await get(), await get(`Bearer ${t.secretKey}`)]) {
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: 'a backup needs the administrator key' });
    }
    expect((await get('Bearer pulso_sk_notAKeyThatExists00000000000000')).status).toBe(401);
  });

  it('sends a gzipped tarball of the database to the administrator', async () => {
    const response = await get(`Bearer ${ADMIN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/gzip');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    expect(bytes.length).toBe(Number(response.headers.get('content-length')));
  });
});
