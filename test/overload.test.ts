// A flood beyond capacity: a server process with a low cap of requests in flight is sent far more
// ratings and reads at once than it may take. It must shed the excess with 503 + Retry-After (never
// a 500), stay alive, answer normally again by itself once the flood is over, and store every
// rating it acknowledged exactly once — and nothing it refused. The outcome is deterministic, not
// the timing: the cap's worth of ratings is held in flight (their bodies not yet finished) for the
// whole flood, so the flood finds the server at capacity however fast the machine answers it.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@pulso/database';
import { openMigratedPGliteFolder } from '@pulso/database/testing';
import { signCustomerToken } from '@pulso/tokens';
import { createWorkspace } from '@pulso/core';
import { AT_RISK_QUERY as AT_RISK, GAUGE_QUERY as GAUGE, SUBMIT_MUTATION as RATE } from '@pulso/widgets/documents';
import { freePort, startServer, type ServerProcess } from './support/server-process.ts';

const SECRET_KEY = 'pulso_sk_overloadSecret0000000000000001';
const PUBLISHABLE_KEY = 'pulso_pk_overloadPublishable00000000001';
const CUSTOMERS = 40;
/** Concurrent connections of the flood, each sending REQUESTS_EACH requests one after another. */
const CONNECTIONS = 200;
const REQUESTS_EACH = 6;
const MAX_IN_FLIGHT = 4;

interface Outcome {
  status: number;
  retryAfter: string | null;
  code?: string | undefined;
  /** For a rating: its idempotency key, and whether a receipt came back. */
  ratingKey?: string;
  acknowledged?: boolean;
}

describe('a flood beyond capacity', () => {
  let dir: string;
  let dataDir: string;
  let workspaceId: string;
  const tokens = new Map<string, string>();
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pulso-overload-'));
    dataDir = join(dir, 'data');
    const database = await openMigratedPGliteFolder(dataDir);
    try {
      ({ workspaceId } = await createWorkspace(database.prisma, {
        slug: 'overload',
        name: 'Overload',
        secretKey: SECRET_KEY,
        publishableKey: PUBLISHABLE_KEY,
      }));
      await database.prisma.customer.createMany({
        data: Array.from({ length: CUSTOMERS }, (_, i) => ({
          workspaceId,
          externalId: `c-${i}`,
          name: `Customer ${i}`,
        })),
      });
      const { tokenSigningSecret } = await database.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
      for (let i = 0; i < CUSTOMERS; i++)
        tokens.set(`c-${i}`, await signCustomerToken({ secret: tokenSigningSecret, externalId: `c-${i}` }));
    } finally {
      await database.close();
    }
    server = await startServer({
      PULSO_DATA_DIR: dataDir,
      PORT: String(await freePort()),
      PULSO_SEED_DEMO: 'false',
      PULSO_RESCORE_INTERVAL_MINUTES: '0',
      PULSO_MAX_REQUESTS_IN_FLIGHT: String(MAX_IN_FLIGHT),
      // Rate limits would refuse the same flood with 429 and keep refusing after it: off, so what
      // is seen is load shedding, and recovery is the server's own.
      PULSO_RATE_LIMIT_PER_KEY: '0',
      PULSO_RATE_LIMIT_PER_ADDRESS: '0',
      PULSO_RATE_LIMIT_PER_CUSTOMER_TOKEN: '0',
    });
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) await server.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  async function send(n: number): Promise<Outcome> {
    const externalId = `c-${n % CUSTOMERS}`;
    const kind = n % 3;
    const ratingKey = `overload-${n}`;
    const [key, query, variables] =
      kind === 0
        ? [
            PUBLISHABLE_KEY,
            RATE,
            {
              input: {
                customerToken: tokens.get(externalId),
                customer: externalId,
                variant: 'LIKE_DISLIKE',
                rating: n % 2 ? 'LIKED' : 'DISLIKED',
                idempotencyKey: ratingKey,
              },
            },
          ]
        : kind === 1
          ? [SECRET_KEY, GAUGE, { externalId }]
          : [SECRET_KEY, AT_RISK, { first: 10 }];
    const response = await fetch(`${server!.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(60_000),
    });
    const body = (await response.json()) as {
      data?: Record<string, any>;
      errors?: { extensions?: { code?: string } }[];
    };
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      code: body.errors?.[0]?.extensions?.code,
      ...(kind === 0
        ? { ratingKey, acknowledged: body.data?.submitMicroRating?.__typename === 'MicroRatingReceipt' }
        : {}),
    };
  }

  /** Starts a rating whose last byte is held back: it stays in flight until `finish()`. */
  function holdRating(n: number): { finish(): Promise<Outcome> } {
    const externalId = `c-${n % CUSTOMERS}`;
    const ratingKey = `overload-held-${n}`;
    const body = Buffer.from(
      JSON.stringify({
        query: RATE,
        variables: {
          input: {
            customerToken: tokens.get(externalId),
            customer: externalId,
            variant: 'LIKE_DISLIKE',
            rating: 'LIKED',
            idempotencyKey: ratingKey,
          },
        },
      }),
    );
    const url = new URL(`${server!.url}/graphql`);
    const req = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': body.length,
        authorization: `Bearer ${PUBLISHABLE_KEY}`,
      },
    });
    const answered = new Promise<Outcome>((resolve, reject) => {
      req.on('error', reject);
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          const parsed = JSON.parse(text) as {
            data?: Record<string, any>;
            errors?: { extensions?: { code?: string } }[];
          };
          resolve({
            status: res.statusCode!,
            retryAfter: (res.headers['retry-after'] as string | undefined) ?? null,
            code: parsed.errors?.[0]?.extensions?.code,
            ratingKey,
            acknowledged: parsed.data?.submitMicroRating?.__typename === 'MicroRatingReceipt',
          });
        });
      });
    });
    req.write(body.subarray(0, body.length - 1));
    return {
      finish: () => {
        req.end(body.subarray(body.length - 1));
        return answered;
      },
    };
  }

  it('sheds with 503 + Retry-After, never 500, stays up, recovers by itself and keeps every acknowledged rating once', async () => {
    const outcomes: Outcome[] = [];
    const transportErrors: string[] = [];
    const held = Array.from({ length: MAX_IN_FLIGHT }, (_, i) => holdRating(i));
    // The held requests reach the server before the flood does.
    await new Promise((resolve) => setTimeout(resolve, 500));
    let next = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        for (let i = 0; i < REQUESTS_EACH; i++) {
          const n = next++;
          try {
            outcomes.push(await send(n));
          } catch (error) {
            transportErrors.push(
              `${n}: ${(error as Error).message} ${((error as Error).cause as Error | undefined)?.message ?? ''}`,
            );
          }
        }
      }),
    );

    // The held ratings were accepted before the flood: they complete, acknowledged.
    for (const h of held) outcomes.push(await h.finish());

    const byStatus = new Map<number, number>();
    for (const o of outcomes) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
    console.info(
      `overload: ${outcomes.length} answers by status ${JSON.stringify(Object.fromEntries(byStatus))}, ${transportErrors.length} transport errors`,
    );

    expect(transportErrors).toEqual([]);
    const shed = outcomes.filter((o) => o.status === 503 || o.status === 429);
    expect(shed.length).toBeGreaterThan(0);
    for (const o of shed) {
      expect(o.retryAfter).toMatch(/^\d+$/);
      expect(o.code).toBe(o.status === 503 ? 'OVER_CAPACITY' : 'RATE_LIMITED');
    }
    expect(outcomes.filter((o) => o.status >= 500 && o.status !== 503)).toEqual([]);
    // Everything not shed was answered in full, without an error.
    const served = outcomes.filter((o) => o.status === 200);
    expect(served.length).toBeGreaterThan(0);
    expect(served.length + shed.length).toBe(outcomes.length);
    expect(served.filter((o) => o.code !== undefined)).toEqual([]);
    expect(server!.child.exitCode).toBeNull();
    expect(server!.child.signalCode).toBeNull();

    // Once the flood is over the server takes work again by itself: no restart, no signal.
    const recoveredWithin = 30_000;
    const deadline = Date.now() + recoveredWithin;
    let health = 0;
    let read: Outcome | undefined;
    while (Date.now() < deadline) {
      health = (await fetch(`${server!.url}/healthz`)).status;
      read = await send(1);
      if (health === 200 && read.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(health, `healthz within ${recoveredWithin} ms`).toBe(200);
    expect(read).toMatchObject({ status: 200, code: undefined });

    // Then every rating it acknowledged is stored exactly once, and none that it refused.
    expect(await server!.stop('SIGTERM')).toBe(0);
    const ratings = outcomes.filter((o) => o.ratingKey);
    const acknowledged = ratings.filter((o) => o.acknowledged).map((o) => `widget:${o.ratingKey}`);
    expect(acknowledged.length).toBeGreaterThan(0);
    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const stored = await database.prisma.interaction.groupBy({
        by: ['idempotencyKey'],
        where: { workspaceId, idempotencyKey: { startsWith: 'widget:overload-' } },
        _count: { _all: true },
      });
      const count = new Map(stored.map((row) => [row.idempotencyKey!, row._count._all]));
      expect(acknowledged.filter((key) => count.get(key) !== 1)).toEqual([]);
      expect([...count.keys()].sort()).toEqual([...acknowledged].sort());
    } finally {
      await database.close();
    }
    console.info(
      `overload: ${ratings.length} ratings sent, ${acknowledged.length} acknowledged and stored once, ${ratings.length - acknowledged.length} shed and not stored`,
    );
  });
});
