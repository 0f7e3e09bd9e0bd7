// A publishable key that accepts any origin, used from a browser: one warning in the server's log
// for that key, however many requests follow; none for a key limited to origins, for a request
// without an Origin header (a server, a script), or for other kinds of key.
import { createApiKey } from '@pulso/core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../testing.ts';

interface Line {
  level: number;
  msg: string;
  apiKeyId?: string;
  origin?: string;
}

const WARN = 40;
const SITE = 'https://shop.example.com';

describe('unrestricted publishable keys', () => {
  const lines: Line[] = [];
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({
      over: 'fetch',
      logger: pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) }),
    });
  });
  afterAll(() => t?.close());

  const warnings = () => lines.filter((l) => l.level === WARN && /accepts any origin/.test(l.msg));
  const call = (key: string, origin?: string) =>
    t.fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${key}`,
        ...(origin ? { origin } : {}),
      },
      body: JSON.stringify({ query: '{ __typename }' }),
    });

  it('warns once per key when one is used from a browser, never per request', async () => {
    const open = await createApiKey(t.database.prisma, t.workspaceId, { name: 'open widget key', kind: 'PUBLISHABLE' });
    // Without an Origin header: not a browser; nothing to say.
    expect((await call(open.key)).status).toBe(200);
    expect(warnings()).toEqual([]);

    for (let i = 0; i < 5; i++) expect((await call(open.key, SITE)).status).toBe(200);
    await call(open.key, 'https://elsewhere.example.org');
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ apiKeyId: open.id, origin: SITE });
    expect(warnings()[0]!.msg).toContain('--origin');

    // Another unrestricted key gets its own warning, once.
    const second = await createApiKey(t.database.prisma, t.workspaceId, { name: 'second', kind: 'PUBLISHABLE' });
    await call(second.key, SITE);
    await call(second.key, SITE);
    expect(warnings().map((w) => w.apiKeyId)).toEqual([open.id, second.id]);
  });

  it('says nothing for a key limited to its origins, nor for secret keys', async () => {
    const before = warnings().length;
    const limited = await createApiKey(t.database.prisma, t.workspaceId, {
      name: 'limited widget key',
      kind: 'PUBLISHABLE',
      allowedOrigins: [SITE],
    });
    await call(limited.key, SITE);
    await call(limited.key, 'https://elsewhere.example.org');
    await call(t.secretKey, SITE);
    expect(warnings()).toHaveLength(before);
  });
});
