// A mapping's `id` column: a record is keyed by its source's id (a ticket id, an event id) rather
// than by its row's content, so a later export in which a ticket's satisfaction or an event's
// comment changed records it once, kept as first imported. Keys stay apart across sources and
// kinds of record, a file naming one id twice is refused on the second line, rows without an id
// keep their content key, and rows imported before the mapping named its id are still found.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '@pulso/core';
import type { Database } from '@pulso/database';
import { loadMapping, parseMapping } from './config.ts';
import { directSink } from './direct-sink.ts';
import { importCsv } from './import.ts';
import { openAcmeDatabase } from './testing.ts';

const docs = join(import.meta.dirname, '../../../docs/import');
const zendeskJson = JSON.parse(readFileSync(join(docs, 'zendesk-tickets.json'), 'utf8'));
const zendesk = loadMapping(join(docs, 'zendesk-tickets.json'));
const billing = loadMapping(join(docs, 'billing-events.json'));
const now = new Date('2026-12-01T00:00:00Z');
const TICKETS = 'Ticket ID,Organization ID,Organization,Plan,Subject,Created at,Satisfaction';
const tickets = (...rows: string[]) => [TICKETS, ...rows].join('\n');

describe('source ids', () => {
  let database: Database;
  beforeAll(async () => {
    ({ database } = await openAcmeDatabase());
  });
  afterAll(() => database?.close());

  /** A workspace of its own for each test, and a direct sink into it. */
  async function workspace(slug: string) {
    const { workspaceId } = await createWorkspace(database.prisma, { slug, name: slug });
    const into = () => directSink(database, { id: workspaceId, slug }, 'PGlite in memory');
    const comments = async (externalId: string) =>
      (
        await database.prisma.interaction.findMany({
          where: { workspaceId, customer: { externalId } },
          orderBy: { occurredAt: 'asc' },
        })
      ).map((i) => [i.comment, i.sentiment]);
    return { workspaceId, into, comments };
  }

  it('records a ticket changed in a later export once, as first imported', async () => {
    const { into, comments } = await workspace('changed-ticket');
    const first = await importCsv({
      sink: into(),
      mapping: zendesk,
      csv: tickets('7001,z-1,Zeta Org,Team,Login broken,2026-11-20T10:00:00Z,offered'),
      fileName: 'tickets-2026-11.csv',
      now,
    });
    expect(first).toMatchObject({ interactionsInserted: 1, interactionsSkipped: 0, badCount: 0 });
    // The next export: the same ticket, rated since, and a new one.
    const later = tickets(
      '7001,z-1,Zeta Org,Team,Login broken,2026-11-20T10:00:00Z,good',
      '7002,z-1,Zeta Org,Team,Invoice address,2026-11-25T09:00:00Z,offered',
    );
    const second = await importCsv({
      sink: into(),
      mapping: zendesk,
      csv: later,
      fileName: 'tickets-2026-12.csv',
      now,
    });
    expect(second).toMatchObject({ interactionsInserted: 1, interactionsSkipped: 1, badCount: 0 });
    expect(await comments('z-1')).toEqual([
      ['Login broken', 'INDIFFERENT'],
      ['Invoice address', 'INDIFFERENT'],
    ]);
    const again = await importCsv({ sink: into(), mapping: zendesk, csv: later, fileName: 'tickets-2026-12.csv', now });
    expect(again).toMatchObject({ interactionsInserted: 0, interactionsSkipped: 2 });
  });

  it('keeps the ids of two sources apart', async () => {
    const { into, comments } = await workspace('two-sources');
    const csv = tickets('7001,z-1,Zeta Org,Team,Login broken,2026-11-20T10:00:00Z,offered');
    await importCsv({ sink: into(), mapping: zendesk, csv, fileName: 'a.csv', now });
    // Another help desk numbering its tickets alike: its 7001 is another ticket.
    const other = parseMapping({ ...zendeskJson, source: 'freshdesk' });
    const summary = await importCsv({
      sink: into(),
      mapping: other,
      csv: tickets('7001,z-1,Zeta Org,Team,Cannot export,2026-11-21T10:00:00Z,bad'),
      fileName: 'b.csv',
      now,
    });
    expect(summary).toMatchObject({ interactionsInserted: 1, interactionsSkipped: 0 });
    expect((await comments('z-1')).map(([comment]) => comment)).toEqual(['Login broken', 'Cannot export']);
  });

  it('refuses a second row with an id already in the file, and keys rows without an id by their content', async () => {
    const { into, comments } = await workspace('repeated-ids');
    const summary = await importCsv({
      sink: into(),
      mapping: zendesk,
      csv: tickets(
        '7001,z-1,Zeta Org,Team,Login broken,not a date,offered',
        // The bad row above took no id: this one is ticket 7001.
        '7001,z-1,Zeta Org,Team,Login broken,2026-11-20T10:00:00Z,offered',
        '7001,z-1,Zeta Org,Team,Login broken,2026-11-20T10:00:00Z,good',
        // No id: two identical rows are two tickets, as without an id column.
        ',z-1,Zeta Org,Team,Phone call,2026-11-22T10:00:00Z,good',
        ',z-1,Zeta Org,Team,Phone call,2026-11-22T10:00:00Z,good',
      ),
      fileName: 'repeated.csv',
      now,
    });
    expect(summary.bad).toEqual([
      { line: 2, reason: expect.stringMatching(/^Created at: /) },
      { line: 4, reason: 'Ticket ID: "7001" is also on line 3, and an id names one interaction' },
    ]);
    expect(summary).toMatchObject({ interactionsInserted: 3 });
    expect((await comments('z-1')).map(([comment]) => comment)).toEqual(['Login broken', 'Phone call', 'Phone call']);
  });

  it('finds rows imported before the mapping named its id', async () => {
    const { into, workspaceId } = await workspace('before-ids');
    const sample = { csv: readFileSync(join(docs, 'zendesk-tickets.csv'), 'utf8'), fileName: 'zendesk-tickets.csv' };
    const { id: _id, ...interaction } = zendeskJson.interaction;
    const before = await importCsv({ sink: into(), ...sample, mapping: parseMapping({ ...zendeskJson, interaction }) });
    expect(before).toMatchObject({ interactionsInserted: 4 });
    const after = await importCsv({ sink: into(), ...sample, mapping: zendesk });
    expect(after).toMatchObject({ interactionsInserted: 0, interactionsSkipped: 4 });
    expect(await database.prisma.interaction.count({ where: { workspaceId } })).toBe(4);
  });

  it('records a billing event changed in a later export once (Event ID)', async () => {
    const { into, workspaceId } = await workspace('changed-event');
    const events = (comment: string) =>
      [
        'Event ID,Customer ID,Customer Name,Event,Date,Cancellation Reason,Comment',
        `evt_9001,b-1,Beta,subscription_cancelled,2026-11-02,cancellation_requested,${comment}`,
      ].join('\n');
    const file = { sink: into(), mapping: billing, now };
    expect(await importCsv({ ...file, csv: events('Too expensive'), fileName: 'events-1.csv' })).toMatchObject({
      outcomesInserted: 1,
    });
    const later = await importCsv({ ...file, sink: into(), csv: events('Too expensive for us'), fileName: 'e-2.csv' });
    expect(later).toMatchObject({ outcomesInserted: 0, outcomesSkipped: 1, badCount: 0 });
    expect(await database.prisma.customerOutcome.findMany({ where: { workspaceId } })).toMatchObject([
      { kind: 'CHURNED', reason: 'Too expensive' },
    ]);
  });

  it('takes changed records met at write time for already imported, however many, without failing', async () => {
    const { into, comments } = await workspace('conflicts');
    const rows = (rating: string) =>
      tickets(
        ...Array.from(
          { length: 5 },
          (_, i) => `${7100 + i},z-2,Zed,Team,Ticket ${i},2026-11-1${i}T10:00:00Z,${rating}`,
        ),
      );
    await importCsv({ sink: into(), mapping: zendesk, csv: rows('offered'), fileName: 'first.csv', now });
    // A lookup answering before another run's writes: each changed ticket is refused as a conflict.
    const sink = into();
    const late = {
      ...sink,
      lookup: async (...args: Parameters<typeof sink.lookup>) => ({
        ...(await sink.lookup(...args)),
        interactions: new Set<string>(),
      }),
    };
    const summary = await importCsv({ sink: late, mapping: zendesk, csv: rows('bad'), fileName: 'second.csv', now });
    expect(summary).toMatchObject({ interactionsInserted: 0, interactionsSkipped: 5, badCount: 0 });
    expect((await comments('z-2')).every(([, sentiment]) => sentiment === 'INDIFFERENT')).toBe(true);
  });
});
