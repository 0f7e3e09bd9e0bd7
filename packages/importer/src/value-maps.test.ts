// Value maps read as config.ts reads them: a cell finds its entry whatever its case and surrounding
// spaces, for interactions as for outcomes; a mapping with two keys equal but for case is refused;
// and only a map's own entries count, so a cell such as `constructor` is an unmapped value (a bad
// row with its reason), not what every JavaScript object inherits.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMapping, parseMapping } from './config.ts';
import { importCsv } from './import.ts';
import { acmeImports } from './testing.ts';

const docs = join(import.meta.dirname, '../../../docs/import');
const hubspot = loadMapping(join(docs, 'hubspot-contacts.json'));
const HEADER = readFileSync(join(docs, 'hubspot-contacts.csv'), 'utf8').split('\n')[0]!;
const contact = (id: string, type: string, outcome: string) =>
  `${id},Ann,Lee,ann@x.example,Co ${id},customer,joe@x.example,${type},2026-05-12,${outcome},`;
const now = new Date('2026-07-01T00:00:00Z');

describe('value maps', () => {
  const { database, workspaceId, into } = acmeImports();

  it('matches interaction cells to the map ignoring case and spaces, as outcome cells', async () => {
    const csv = [
      HEADER,
      contact('c-1', 'meeting', 'no show'),
      contact('c-2', 'CALL', 'positive'),
      contact('c-3', ' Email ', ' NEGATIVE '),
    ].join('\n');
    const summary = await importCsv({ sink: into(), mapping: hubspot, csv, fileName: 'contacts.csv', now });
    expect(summary).toMatchObject({ bad: [], interactionsInserted: 3 });
    const stored = await database().prisma.interaction.findMany({
      where: { workspaceId: workspaceId() },
      include: { customer: true, type: true },
      orderBy: { customer: { externalId: 'asc' } },
    });
    expect(stored.map((i) => [i.customer.externalId, i.type.key, i.sentiment])).toEqual([
      ['c-1', 'meeting', 'WASTED_TIME'],
      ['c-2', 'meeting', 'LIKED'],
      ['c-3', 'email', 'DISLIKED'],
    ]);
  });

  it('refuses a map with two keys equal but for case or spaces', () => {
    const customer = { externalId: 'id' };
    expect(() =>
      parseMapping({
        source: 'x',
        customer,
        interaction: {
          type: { value: 'nps' },
          occurredAt: 'at',
          sentiment: { column: 's', map: { Good: 'LIKED', 'good ': 'DISLIKED' } },
        },
      }),
    ).toThrow(
      /interaction\.sentiment\.map: "Good" and "good " differ only in case or spaces, and a cell matches either: keep one/,
    );
    expect(() =>
      parseMapping({
        source: 'x',
        customer,
        outcome: { kind: { column: 'e', map: { Cancelled: 'CHURNED', CANCELLED: null } }, occurredAt: 'at' },
      }),
    ).toThrow(/outcome\.kind\.map: "Cancelled" and "CANCELLED" differ only in case/);
  });

  it("takes a cell naming an object's inherited property for an unmapped value: a bad row, the import goes on", async () => {
    const mapping = parseMapping({
      source: 'crm',
      customer: { externalId: 'id' },
      interaction: {
        type: { column: 'type', map: { Call: 'meeting' } },
        occurredAt: 'at',
        optional: true,
        sentiment: { column: 'outcome', map: { Positive: 'LIKED' } },
      },
      outcome: { kind: { column: 'event', map: { cancelled: 'CHURNED' } }, occurredAt: 'at', optional: true },
    });
    const csv = [
      'id,type,at,outcome,event',
      'p-1,call,2026-06-01,positive,',
      'p-2,call,2026-06-01,constructor,',
      'p-3,toString,2026-06-01,positive,',
      'p-4,call,2026-06-01,__proto__,',
      'p-5,call,2026-06-01,,hasOwnProperty',
      'p-6,call,2026-06-01,positive,CANCELLED',
    ].join('\n');
    // Batches of one: what was written before a bad row stays written, and so does what follows.
    const summary = await importCsv({ sink: into(), mapping, csv, fileName: 'p.csv', now, batchSize: 1 });
    expect(summary.bad).toEqual([
      { line: 3, reason: expect.stringMatching(/^sentiment: "CONSTRUCTOR" is not one of .*\(map it in the config\)$/) },
      { line: 4, reason: expect.stringContaining('toString') },
      { line: 5, reason: expect.stringMatching(/^sentiment: "__PROTO__" is not one of/) },
      { line: 6, reason: expect.stringMatching(/^event: "hasOwnProperty" is not in the outcome map/) },
    ]);
    expect(summary).toMatchObject({ interactionsInserted: 2, outcomesInserted: 1 });
  });
});
