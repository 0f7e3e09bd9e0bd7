// Expected failures of the write mutations are typed results; anything else is masked by yoga
// ("Unexpected error.") and logged, never sent to the client with its message or stack.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@pulso/database';
import { createPulsoServer, type PulsoServer } from '../../server.ts';
import { createTestServer, type TestServer } from '../../testing.ts';

describe('errors of the write mutations', () => {
  let t: TestServer;
  let broken: PulsoServer;
  const logged: string[] = [];
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', workspace: 'empty' });
    // The same database, except that every raw statement fails as a broken disk would.
    const failing = {
      ...t.database,
      prisma: t.database.prisma.$extends({
        query: {
          async $allOperations({ operation, args, query }) {
            if (operation === '$queryRaw' || operation === '$executeRaw')
              throw new Error('disk on fire at /var/lib/secret');
            return query(args);
          },
        },
      }) as unknown as Database['prisma'],
    };
    const sink = new Writable({
      write: (chunk, _encoding, done) => {
        logged.push(String(chunk));
        done();
      },
    });
    broken = createPulsoServer({ database: failing, logger: pino({ level: 'error' }, sink) });
  });
  afterAll(async () => {
    await broken?.yoga.dispose();
    await t?.close();
  });

  it('masks an unexpected failure and logs it', async () => {
    const response = await broken.yoga.fetch('http://pulso.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.secretKey}` },
      body: JSON.stringify({
        query: `mutation { recordInteraction(input: { customer: { externalId: "x", name: "X" }, type: "meeting", idempotencyKey: "k" }) { __typename } }`,
      }),
    });
    const text = await response.text();
    expect(JSON.parse(text).errors[0].message).toBe('Unexpected error.');
    expect(text).not.toContain('disk on fire');
    expect(logged.join('')).toContain('disk on fire');
  });

  it('passes typed errors through with their field, code and message', async () => {
    const { body } = await t.graphql(
      `mutation { recordInteraction(input: { customer: { externalId: "x", name: "X" }, type: "nps", value: 11, idempotencyKey: "k" }) { ... on UserError { field code message } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.recordInteraction).toEqual({
      field: 'input.value',
      code: 'OUT_OF_RANGE',
      message: 'input.value: nps answers are whole numbers from 0 to 10, got 11',
    });
  });
});
