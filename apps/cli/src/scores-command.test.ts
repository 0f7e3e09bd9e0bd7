// `pulso scores verify` on a fresh PostgreSQL database: tallies written by real writes agree with
// the history (exit 0); an interaction slipped into the table behind them is found (exit 1, the
// customer named), and a rescoring, which rebuilds the tallies, makes them agree again.
import { randomUUID } from 'node:crypto';
import { createMigratedTestPostgresDatabase, type TestPostgresDatabase } from '@pulso/database/testing';
import { openDatabase, type Database } from '@pulso/database';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWorkspace, recordInteractions, rescoreWorkspace } from '@pulso/core';
import { DAY_MS } from '@pulso/scoring';
import { runCaptured } from './testing.ts';

let postgres: TestPostgresDatabase;
let database: Database;
beforeAll(async () => {
  postgres = await createMigratedTestPostgresDatabase('cli_scores');
  database = await openDatabase({ kind: 'postgres', url: postgres.url });
});
afterAll(async () => {
  await database?.close();
  await postgres?.drop();
});

const pulso = (argv: string[]) => runCaptured(argv, { DATABASE_URL: postgres.url });

it('checks every stored tally against the history, and names the customers that differ', async () => {
  const prisma = database.prisma;
  const { workspaceId } = await createWorkspace(prisma, { slug: 'verify', name: 'Verify' });
  const now = Date.now();
  for (const [i, name] of ['acme', 'globex', 'initech'].entries())
    await recordInteractions(
      prisma,
      workspaceId,
      [1, 2, 3].map((n) => ({
        customer: { externalId: name, name },
        typeKey: 'meeting',
        sentiment: 'LIKED' as const,
        occurredAt: new Date(now - (20 * n + i) * DAY_MS),
        idempotencyKey: `${name}-${n}`,
      })),
    );
  const agreed = await pulso(['scores', 'verify']);
  expect(agreed.code, agreed.notes).toBe(0);
  expect(agreed.out).toContain('verify: 3 tallies checked against their history');
  expect(agreed.out).toContain('all within 0.1 point of a recomputation');

  const ticket = await prisma.interactionType.findFirstOrThrow({ where: { workspaceId, key: 'support_ticket' } });
  const globex = await prisma.customer.findFirstOrThrow({ where: { workspaceId, externalId: 'globex' } });
  await prisma.$executeRaw`
    INSERT INTO "Interaction" ("id", "workspaceId", "customerId", "typeId", "occurredAt", "intensity", "sentiment", "idempotencyKey")
    VALUES (${randomUUID()}::uuid, ${workspaceId}::uuid, ${globex.id}::uuid, ${ticket.id}::uuid,
      ${new Date(now - 5 * DAY_MS)}, 1, 'WASTED_TIME'::"Sentiment", 'behind-the-back')`;
  const differs = await pulso(['scores', 'verify', '--workspace', 'verify']);
  expect(differs.code).toBe(1);
  expect(differs.out).toMatch(/ {2}globex: [\d.]+ from the tally, [\d.]+ from the history/);
  expect(differs.out).toContain('1 differ');

  await rescoreWorkspace(prisma, workspaceId, { asOf: new Date() });
  expect((await pulso(['scores', 'verify'])).code).toBe(0);
  expect((await pulso(['scores', 'check'])).code).toBe(2);
});
