// An imported past gets its history at its own instants: weekly snapshots from the earliest
// imported interaction, each the score as of that instant, not one snapshot stamped "now".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoresAsOf } from '@pulso/core';
import type { Database } from '@pulso/database';
import { DAY_MS } from '@pulso/scoring';
import { parseMapping } from './config.ts';
import { directSink } from './direct-sink.ts';
import { importCsv } from './import.ts';
import { openAcmeDatabase } from './testing.ts';

describe('history of an import', () => {
  let database: Database;
  let workspaceId: string;
  beforeAll(async () => {
    ({ database, workspaceId } = await openAcmeDatabase());
  });
  afterAll(() => database?.close());

  it('writes weekly snapshots over the imported months, equal to the scores as of those instants', async () => {
    const now = Date.now();
    const day = (n: number) => new Date(now - n * DAY_MS).toISOString().slice(0, 10);
    const csv = ['account,at', ...[90, 75, 60, 45, 30, 15].map((n) => `acme,${day(n)}`)].join('\n');
    const mapping = parseMapping({
      source: 'crm',
      customer: { externalId: 'account', name: 'account' },
      interaction: { type: { value: 'meeting' }, occurredAt: 'at' },
    });
    const summary = await importCsv({
      sink: directSink(database, { id: workspaceId, slug: 'acme' }, 'PGlite in memory'),
      mapping,
      csv,
      fileName: 'meetings.csv',
    });
    expect(summary.interactionsInserted).toBe(6);
    const customer = await database.prisma.customer.findFirstOrThrow({ where: { workspaceId, externalId: 'acme' } });
    const snapshots = await database.prisma.scoreSnapshot.findMany({
      where: { customerId: customer.id, computedAt: { lt: new Date(now - DAY_MS) } },
      orderBy: { computedAt: 'asc' },
    });
    // About one a week from the first meeting, 90 days ago.
    expect(snapshots.length).toBeGreaterThanOrEqual(11);
    expect(snapshots[0]!.computedAt.getTime()).toBeLessThan(now - 80 * DAY_MS);
    for (const snapshot of snapshots.slice(0, 4)) {
      const [then] = await scoresAsOf(database.prisma, workspaceId, {
        at: snapshot.computedAt,
        customerIds: [customer.id],
      });
      expect(snapshot.score).toBe(then!.result.score);
    }
  });
});
