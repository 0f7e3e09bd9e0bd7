import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@pulso/database';
import { createWorkspace } from '@pulso/core';
import { loadMapping, parseMapping } from './config.ts';
import { FileError } from './cells.ts';
import { directSink } from './direct-sink.ts';
import { importCsv } from './import.ts';
import { openAcmeDatabase } from './testing.ts';

const docs = join(import.meta.dirname, '../../../docs/import');
const zendesk = {
  mapping: loadMapping(join(docs, 'zendesk-tickets.json')),
  csv: readFileSync(join(docs, 'zendesk-tickets.csv'), 'utf8'),
  fileName: 'zendesk-tickets.csv',
};
const hubspot = {
  mapping: loadMapping(join(docs, 'hubspot-contacts.json')),
  csv: readFileSync(join(docs, 'hubspot-contacts.csv'), 'utf8'),
  fileName: 'hubspot-contacts.csv',
};

describe('CSV import', () => {
  let database: Database;
  let workspaceId: string;
  beforeAll(async () => {
    ({ database, workspaceId } = await openAcmeDatabase());
  });
  afterAll(() => database?.close());
  /** Into the workspace, straight into the database (the sink is not closed: the database is shared). */
  const into = (id = workspaceId) => directSink(database, { id, slug: 'acme' }, 'PGlite in memory');

  it('lists every bad row with its line number in a dry run, and writes nothing', async () => {
    const summary = await importCsv({ sink: into(), ...zendesk, dryRun: true });
    expect(summary.bad).toEqual([
      { line: 6, reason: 'Organization ID: the customer id is empty' },
      { line: 7, reason: expect.stringMatching(/^Created at: "not a date" is not an ISO 8601 date: write/) },
    ]);
    expect(summary).toMatchObject({ rows: 6, customersCreated: 3, interactionsInserted: 4, dryRun: true });
    expect(await database.prisma.customer.count()).toBe(0);
    expect(await database.prisma.interaction.count()).toBe(0);
  });

  it('imports customers and interactions, rescoring them, and imports nothing twice when re-run', async () => {
    const first = await importCsv({ sink: into(), ...hubspot });
    expect(first).toMatchObject({
      rows: 5,
      customersCreated: 5,
      interactionsInserted: 4,
      interactionsSkipped: 0,
      customersScored: 5,
    });
    const marta = await database.prisma.customer.findUniqueOrThrow({
      where: { workspaceId_externalId: { workspaceId, externalId: 'hs-1001' } },
    });
    expect(marta).toMatchObject({
      name: 'Acme',
      segment: 'customer',
      properties: { contactFirstName: 'Marta', email: 'marta@acme.example', owner: 'ana@pulso.example' },
    });
    expect(marta.score).not.toBeNull();

    const tickets = await importCsv({ sink: into(), ...zendesk });
    expect(tickets).toMatchObject({
      customersCreated: 0,
      customersUpdated: 3,
      interactionsInserted: 4,
      interactionsSkipped: 0,
    });
    expect(tickets.bad.map((b) => b.line)).toEqual([6, 7]);
    const interactions = await database.prisma.interaction.findMany({
      where: { source: 'import:zendesk-tickets.csv' },
      include: { type: true },
    });
    expect(interactions).toHaveLength(4);
    expect(interactions.every((i) => i.type.key === 'support_ticket' && i.journeyStage === 'SUPPORT')).toBe(true);

    const rerun = await importCsv({ sink: into(), ...zendesk });
    expect(rerun).toMatchObject({
      customersCreated: 0,
      customersUpdated: 0,
      interactionsInserted: 0,
      interactionsSkipped: 4,
      customersScored: 0,
    });
    const rerunHubspot = await importCsv({ sink: into(), ...hubspot });
    expect(rerunHubspot).toMatchObject({ interactionsInserted: 0, interactionsSkipped: 4 });
    expect(await database.prisma.interaction.count()).toBe(8);
  });

  it('checks interactions with the scoring engine and the header against the mapping', async () => {
    const mapping = parseMapping({
      source: 'nps',
      customer: { externalId: 'id' },
      interaction: { type: { value: 'nps' }, occurredAt: 'at', value: 'score' },
    });
    // Text no database can store (a NUL) is a bad row too, not a failed import.
    const csv = 'id,at,score\nc1,2026-05-01,9\nc2,2026-05-01,11\nc3,2026-05-01,\nc\u00004,2026-05-01,9\n';
    const summary = await importCsv({
      sink: into(),
      mapping,
      csv,
      fileName: 'nps.csv',
      dryRun: true,
    });
    expect(summary.bad).toEqual([
      { line: 3, reason: expect.stringContaining('value') },
      { line: 4, reason: expect.stringContaining('value') },
      { line: 5, reason: 'id: holds a NUL character, which cannot be stored' },
    ]);
    // The header is not a row: a file without the mapped columns is refused whole ("1 rows, 1 bad" before).
    const noColumn = importCsv({
      sink: into(),
      mapping,
      csv: 'id,when\nc1,2026-05-01\n',
      fileName: 'x.csv',
      dryRun: true,
    });
    await expect(noColumn).rejects.toThrow(FileError);
    await expect(noColumn).rejects.toThrow('the header (line 1) lacks the column(s) "at", "score"');
    // A mistyped or differently spelt column gets a suggestion; one far from any column, none.
    const mistyped = importCsv({
      sink: into(),
      mapping,
      csv: 'ID,At,Scroe,comment\nc1,2026-05-01,9,\n',
      fileName: 'x.csv',
      dryRun: true,
    });
    await expect(mistyped).rejects.toThrow(
      'lacks the column(s) "id" (did you mean "ID"?), "at" (did you mean "At"?), "score" (did you mean "Scroe"?)',
    );
    const far = importCsv({
      sink: into(),
      mapping,
      csv: 'id,at,rating\nc1,2026-05-01,9\n',
      fileName: 'x.csv',
      dryRun: true,
    });
    await expect(far).rejects.toThrow(/lacks the column\(s\) "score"$/);
    expect(() => parseMapping({ source: 'x', customer: {} })).toThrow(/customer.externalId/);
  });

  it('reports bad rows on their own line and counts each record once, whatever its quotes and line breaks', async () => {
    const mapping = parseMapping({
      source: 'probe',
      customer: { externalId: 'Org', name: 'Name' },
      interaction: { type: { value: 'support_ticket' }, occurredAt: 'Date', comment: 'Subject' },
    });
    const dryRun = (csv: string) => importCsv({ sink: into(), mapping, csv, fileName: 'probe.csv', dryRun: true });
    // A Windows line break inside a quoted field is one line: the orphan row is on line 4.
    const crlf = await dryRun('Org,Name,Date,Subject\r\nA,Alpha,2026-05-01,"two\r\nlines"\r\n,Orphan,2026-05-01,x\r\n');
    expect(crlf).toMatchObject({ rows: 2, bad: [{ line: 4, reason: 'Org: the customer id is empty' }] });
    // A quote inside an unquoted field is text: two rows, none bad (it was "3 rows, 2 bad").
    const quoted = await dryRun('Org,Name,Date,Subject\nq1,Q1,2026-05-01,say "hi" there\nq2,Q2,2026-05-01,fine\n');
    expect(quoted).toMatchObject({ rows: 2, bad: [], interactionsInserted: 2 });
    // A quote never closed: reported where it opened, saying what it swallowed.
    const unclosed = await dryRun(
      'Org,Name,Date,Subject\nq1,Q1,2026-05-01,"unclosed\nq2,Q2,2026-05-01,fine\nq3,Q3,2026-05-01,fine\n',
    );
    expect(unclosed.bad).toEqual([
      { line: 2, reason: expect.stringMatching(/^the quote opened on line 2 .* so lines 3-4 .* were read as part/) },
    ]);
    // Dates that are not ISO 8601 are bad rows, not instants guessed in the machine's time zone.
    const dates = await dryRun(
      'Org,Name,Date,Subject\nd1,D1,03.05.2026,x\nd2,D2,01/02/2026,x\nd3,D3,2026-02-30,x\nd4,D4,2026-05-03 14:00,x\n',
    );
    expect(dates).toMatchObject({ rows: 4, interactionsInserted: 1 });
    expect(dates.bad).toEqual([
      { line: 2, reason: 'Date: "03.05.2026" is not an ISO 8601 date: write 2026-05-03 (or 2026-05-03T14:00:00Z)' },
      {
        line: 3,
        reason: expect.stringContaining('write 2026-01-02 if it is month/day, 2026-02-01 if it is day/month'),
      },
      { line: 4, reason: 'Date: "2026-02-30" is not a real date: 2026-02 has 28 days' },
    ]);
  });

  it('reads numbers as a spreadsheet shows them: 0x0A is a bad row, not a score of 10', async () => {
    const mapping = parseMapping({
      source: 'numbers',
      customer: { externalId: 'Org', name: 'Name' },
      interaction: { type: { value: 'nps' }, occurredAt: 'Date', value: 'Score' },
    });
    const summary = await importCsv({
      sink: into(),
      mapping,
      csv: 'Org,Name,Date,Score\nn1,N1,2026-05-01,0x0A\nn2,N2,2026-05-01,9\nn3,N3,2026-05-01,8,5\n',
      fileName: 'numbers.csv',
      dryRun: true,
    });
    expect(summary.bad).toEqual([
      { line: 2, reason: expect.stringMatching(/^Score: "0x0A" is not a plain decimal number \(hexadecimal/) },
      { line: 4, reason: expect.any(String) },
    ]);
    expect(summary).toMatchObject({ rows: 3, interactionsInserted: 1 });
  });

  it('stops after the batch being written when aborted, every stored row scored, and a rerun stores the rest once', async () => {
    const { workspaceId: ws } = await createWorkspace(database.prisma, { slug: 'interrupted', name: 'Interrupted' });
    const mapping = parseMapping({
      source: 'big',
      customer: { externalId: 'id' },
      interaction: { type: { value: 'nps' }, occurredAt: 'at', value: 'score' },
    });
    // Batches of 100 (1,000 unless told), to cross several at a tenth of the cost.
    const count = 250;
    const csv = `id,at,score\n${Array.from({ length: count }, (_, i) => `c${i},2026-05-01,${i % 11}`).join('\n')}\n`;
    // "Now" the day after the rows: the history backfill stays one week long.
    const now = new Date('2026-05-02T00:00:00Z');
    const file = { mapping, csv, fileName: 'big.csv', now, batchSize: 100 };
    // Ctrl-C once the first batch is stored: the next is not written.
    const interrupt = new AbortController();
    const stopped = await importCsv({
      ...file,
      sink: into(ws),
      signal: interrupt.signal,
      onProgress: () => interrupt.abort(),
    });
    expect(stopped).toMatchObject({
      interrupted: true,
      customersCreated: 100,
      interactionsInserted: 100,
      customersScored: 100,
      history: null,
    });
    expect(await database.prisma.interaction.count({ where: { workspaceId: ws } })).toBe(100);
    // What it stored is scored already; its history is queued, not lost.
    expect(await database.prisma.customer.count({ where: { workspaceId: ws, score: null } })).toBe(0);
    expect(await database.prisma.rescoreRun.count({ where: { workspaceId: ws, status: 'PENDING' } })).toBe(1);

    const rerun = await importCsv({ ...file, sink: into(ws) });
    expect(rerun).toMatchObject({
      interrupted: false,
      customersCreated: count - 100,
      interactionsInserted: count - 100,
      interactionsSkipped: 100,
    });
    const interactions = await database.prisma.interaction.findMany({
      where: { workspaceId: ws },
      select: { idempotencyKey: true },
    });
    expect(interactions).toHaveLength(count);
    expect(new Set(interactions.map((i) => i.idempotencyKey)).size).toBe(count);
    expect(await database.prisma.customer.count({ where: { workspaceId: ws, score: null } })).toBe(0);
    // The history the first run queued was written by the rerun.
    expect(await database.prisma.rescoreRun.count({ where: { workspaceId: ws, status: { not: 'SUCCEEDED' } } })).toBe(
      0,
    );
    expect(await importCsv({ ...file, sink: into(ws) })).toMatchObject({
      interactionsInserted: 0,
      interactionsSkipped: count,
    });
  });
});
