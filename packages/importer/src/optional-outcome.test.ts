// A file of activities and events mixed, one or the other on each row (a CRM's timeline export):
// with `optional`, a row whose event cell is empty carries no outcome, as one whose activity date
// is empty carries no interaction. Without `optional`, an empty event is still a bad row.
import { describe, expect, it } from 'vitest';
import { parseMapping } from './config.ts';
import { importCsv } from './import.ts';
import { acmeImports } from './testing.ts';

const mapping = (optional: boolean) =>
  parseMapping({
    source: 'timeline',
    customer: { externalId: 'Customer ID', name: 'Name' },
    interaction: {
      type: { column: 'Type' },
      occurredAt: 'Date',
      optional: true,
      sentiment: { column: 'Sentiment', map: { good: 'LIKED', bad: 'DISLIKED' } },
    },
    outcome: { kind: { column: 'Event', map: { cancelled: 'CHURNED' } }, occurredAt: 'EventDate', optional },
  });
const csv = [
  'Customer ID,Name,Type,Date,Sentiment,Event,EventDate,Reason',
  'ch-1,Churny,meeting,2026-11-01,bad,,,',
  'ch-1,Churny,,,,cancelled,2026-11-05,',
].join('\n');
const now = new Date('2026-12-01T00:00:00Z');

describe('optional outcomes', () => {
  const { database, workspaceId, into } = acmeImports();

  it('reads a row with an empty event cell as a row without an outcome', async () => {
    const summary = await importCsv({ sink: into(), mapping: mapping(true), csv, fileName: 'timeline.csv', now });
    expect(summary).toMatchObject({ bad: [], interactionsInserted: 1, outcomesInserted: 1, customersChurned: 1 });
    expect(await database().prisma.interaction.findMany({ where: { workspaceId: workspaceId() } })).toMatchObject([
      { sentiment: 'DISLIKED', occurredAt: new Date('2026-11-01T00:00:00Z') },
    ]);
    expect(await database().prisma.customerOutcome.findMany({ where: { workspaceId: workspaceId() } })).toMatchObject([
      { kind: 'CHURNED', occurredAt: new Date('2026-11-05T00:00:00Z') },
    ]);
  });

  it('refuses an empty event cell when the outcome is not optional', async () => {
    const summary = await importCsv({
      sink: into(),
      mapping: mapping(false),
      csv,
      fileName: 'timeline.csv',
      now,
      dryRun: true,
    });
    expect(summary.bad).toEqual([{ line: 2, reason: 'Event: the outcome is empty' }]);
  });
});
