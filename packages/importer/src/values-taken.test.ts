// A value is read only on a survey answer (a type with a scale: NPS, CSAT, CES). On any other type
// the API refuses it (VALUE_NOT_TAKEN), so the importer makes such a row a bad row, in a dry run
// too: what passes here is what the API accepts.
import { describe, expect, it } from 'vitest';
import { parseMapping } from './config.ts';
import { importCsv } from './import.ts';
import { acmeImports } from './testing.ts';

const mapping = parseMapping({
  source: 'survey-tool',
  customer: { externalId: 'Account' },
  interaction: {
    type: { column: 'Kind' },
    occurredAt: 'Answered',
    value: 'Score',
  },
});
const now = new Date('2026-07-01T00:00:00Z');

describe('values on types that take none', () => {
  const { database, workspaceId, into } = acmeImports();

  it('are bad rows naming the column, and the rows around them are stored', async () => {
    const csv = [
      'Account,Kind,Answered,Score',
      'a-1,nps,2026-06-01,9',
      'a-2,email,2026-06-02,5',
      'a-3,email,2026-06-03,',
    ].join('\n');
    const summary = await importCsv({ sink: into(), mapping, csv, fileName: 'answers.csv', now });
    expect(summary.bad).toEqual([
      expect.objectContaining({ line: 3, reason: expect.stringMatching(/^Score: email is not scored by a value/) }),
    ]);
    expect(summary.interactionsInserted).toBe(2);
    const stored = await database().prisma.interaction.findMany({
      where: { workspaceId: workspaceId() },
      select: { value: true, type: { select: { key: true } } },
      orderBy: { occurredAt: 'asc' },
    });
    expect(stored).toEqual([
      { value: 9, type: { key: 'nps' } },
      { value: null, type: { key: 'email' } },
    ]);
  });
});
