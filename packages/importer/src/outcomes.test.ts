// Outcomes through the importer, on PGlite and PostgreSQL: a billing export imported beside a CRM
// export, re-runs that record nothing twice, strict value maps, churn-only fields refused on other
// kinds, and the customer's churn state settled by @pulso/core as the API would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { createWorkspace } from '@pulso/core';
import { loadMapping, parseMapping } from './config.ts';
import { directSink } from './direct-sink.ts';
import { importCsv } from './import.ts';

const docs = join(import.meta.dirname, '../../../docs/import');
const billing = {
  mapping: loadMapping(join(docs, 'billing-events.json')),
  csv: readFileSync(join(docs, 'billing-events.csv'), 'utf8'),
  fileName: 'billing-events.csv',
};
const hubspot = {
  mapping: loadMapping(join(docs, 'hubspot-contacts.json')),
  csv: readFileSync(join(docs, 'hubspot-contacts.csv'), 'utf8'),
  fileName: 'hubspot-contacts.csv',
};
const now = new Date('2026-07-01T00:00:00Z');

describe.each(['pglite', 'postgres'] as const)('importing outcomes on %s', (kind) => {
  let test: TestDatabase;
  let database: Database;
  let workspaceId: string;
  beforeAll(async () => {
    test = await openTestDatabase(kind, 'import_outcomes');
    database = test.database;
    ({ workspaceId } = await createWorkspace(database.prisma, { slug: 'acme', name: 'Acme' }));
  });
  afterAll(() => test?.close());
  const into = () => directSink(database, { id: workspaceId, slug: 'acme' }, kind);

  const customer = (externalId: string) =>
    database.prisma.customer.findUniqueOrThrow({ where: { workspaceId_externalId: { workspaceId, externalId } } });

  it('lists bad outcome rows in a dry run, naming the column, and writes nothing', async () => {
    const summary = await importCsv({ sink: into(), ...billing, now, dryRun: true });
    expect(summary.bad).toEqual([
      { line: 9, reason: expect.stringMatching(/^Event: "subscription_paused" is not in the outcome map/) },
      { line: 10, reason: 'Cancellation Reason: applies to CHURNED outcomes only' },
    ]);
    // invoice_paid is mapped to null: its row names a customer but carries no outcome.
    expect(summary).toMatchObject({ rows: 9, customersCreated: 5, outcomesInserted: 6, outcomesSkipped: 0 });
    expect(await database.prisma.customer.count({ where: { workspaceId } })).toBe(0);
    expect(await database.prisma.customerOutcome.count({ where: { workspaceId } })).toBe(0);
  });

  it('imports a billing export beside a CRM export, settles churn, and records nothing twice', async () => {
    await importCsv({ sink: into(), ...hubspot, now });
    const interactions = await database.prisma.interaction.count({ where: { workspaceId } });

    const first = await importCsv({ sink: into(), ...billing, now });
    expect(first).toMatchObject({
      customersCreated: 0,
      interactionsInserted: 0,
      outcomesInserted: 6,
      outcomesSkipped: 0,
      // Initech churned and came back in the same file; Umbrella left.
      customersChurned: 1,
    });
    expect((await customer('hs-1004')).churnedAt).toEqual(new Date('2026-06-02T09:00:00Z'));
    expect((await customer('hs-1003')).churnedAt).toBeNull();
    const umbrella = await database.prisma.customerOutcome.findMany({
      where: { workspaceId, customer: { externalId: 'hs-1004' } },
    });
    expect(umbrella).toMatchObject([
      { kind: 'CHURNED', voluntary: true, reason: 'Moved to a competitor', source: 'import:billing-events.csv' },
    ]);
    const initech = await database.prisma.customerOutcome.findMany({
      where: { workspaceId, customer: { externalId: 'hs-1003' } },
      orderBy: { occurredAt: 'asc' },
    });
    expect(initech.map((o) => [o.kind, o.voluntary, o.occurredAt.toISOString()])).toEqual([
      ['CHURNED', false, '2026-04-18T00:00:00.000Z'],
      ['REACTIVATED', null, '2026-05-03T00:00:00.000Z'],
    ]);
    expect(await database.prisma.interaction.count({ where: { workspaceId } })).toBe(interactions);

    const rerun = await importCsv({ sink: into(), ...billing, now });
    expect(rerun).toMatchObject({ outcomesInserted: 0, outcomesSkipped: 6, customersChurned: 0 });
    // An overlapping export under another name: the keys come from the content, not the file.
    const later = await importCsv({
      sink: into(),
      ...billing,
      fileName: 'billing-2026-07.csv',
      now,
    });
    expect(later).toMatchObject({ outcomesInserted: 0, outcomesSkipped: 6 });
    expect(await database.prisma.customerOutcome.count({ where: { workspaceId } })).toBe(6);
  });

  it('reads outcomes beside interactions on one row, checking every cell', async () => {
    const mapping = parseMapping({
      source: 'crm',
      customer: { externalId: 'id' },
      interaction: { type: { value: 'meeting' }, occurredAt: 'met' },
      outcome: {
        kind: { column: 'status' },
        occurredAt: 'since',
        optional: true,
        reason: 'why',
        voluntary: { column: 'chose' },
      },
    });
    const csv = [
      'id,met,status,since,why,chose',
      'crm-1,2026-06-01,Churned,2026-06-20,Budget cut,yes',
      'crm-2,2026-06-02,renewed,,,',
      'crm-3,2026-06-03,lost,2026-06-20,,',
      'crm-4,2026-06-04,churned,2026-06-20,,maybe',
      'crm-5,2026-06-05,churned,2026-08-01,,',
      `crm-6,2026-06-06,churned,2026-06-20,${'x'.repeat(2_001)},`,
      'crm-7,2026-06-07,renewed,2026-06-21,,no',
    ].join('\n');
    const summary = await importCsv({ sink: into(), mapping, csv, fileName: 'crm.csv', now });
    expect(summary.bad).toEqual([
      {
        line: 4,
        reason:
          'status: "lost" is not one of CHURNED, RENEWED, DOWNGRADED, EXPANDED, REACTIVATED (map it in the config)',
      },
      { line: 5, reason: 'chose: "maybe" is neither yes nor no (map it in the config)' },
      { line: 6, reason: 'since: 2026-08-01T00:00:00.000Z is in the future' },
      { line: 7, reason: 'why: must be 1 to 2000 characters' },
      { line: 8, reason: 'chose: applies to CHURNED outcomes only' },
    ]);
    // crm-2 has no date: optional, so its row is an interaction without an outcome.
    expect(summary).toMatchObject({ interactionsInserted: 2, outcomesInserted: 1, customersChurned: 1 });
    expect(await customer('crm-1')).toMatchObject({ churnedAt: new Date('2026-06-20T00:00:00Z') });
    expect(
      await database.prisma.customerOutcome.findFirst({ where: { workspaceId, source: 'import:crm.csv' } }),
    ).toMatchObject({ kind: 'CHURNED', reason: 'Budget cut', voluntary: true });
  });

  it('records a reactivation listed before its churn (newest first, other batches), and refuses one without a churn', async () => {
    const mapping = parseMapping({
      source: 'billing',
      customer: { externalId: 'id' },
      outcome: { kind: { column: 'event' }, occurredAt: 'at' },
    });
    const csv = [
      'id,event,at',
      'nf-1,reactivated,2026-06-10',
      'nf-2,renewed,2026-06-09',
      'nf-3,reactivated,2026-06-08',
      'nf-1,churned,2026-05-01',
    ].join('\n');
    // One row a batch: the churn of nf-1 is recorded two batches after its reactivation was refused.
    const summary = await importCsv({ sink: into(), mapping, csv, fileName: 'newest-first.csv', now, batchSize: 1 });
    expect(summary.bad).toEqual([{ line: 4, reason: expect.stringMatching(/"nf-3" has not churned/) }]);
    expect(summary).toMatchObject({ outcomesInserted: 3, customersChurned: 0 });
    expect(await customer('nf-1')).toMatchObject({ churnedAt: null });
    const kinds = await database.prisma.customerOutcome.findMany({
      where: { workspaceId, source: 'import:newest-first.csv' },
      select: { kind: true },
      orderBy: { occurredAt: 'asc' },
    });
    expect(kinds.map((o) => o.kind)).toEqual(['CHURNED', 'RENEWED', 'REACTIVATED']);
  });

  it('refuses a fixed voluntary flag on a non-churn, and kinds outside the list in the mapping', async () => {
    const mapping = parseMapping({
      source: 'renewals',
      customer: { externalId: 'id' },
      outcome: { kind: { value: 'RENEWED' }, occurredAt: 'at', voluntary: { value: false } },
    });
    const summary = await importCsv({
      sink: into(),
      mapping,
      csv: 'id,at\nr-1,2026-06-01\n',
      fileName: 'renewals.csv',
      now,
      dryRun: true,
    });
    expect(summary.bad).toEqual([{ line: 2, reason: 'voluntary: applies to CHURNED outcomes only' }]);
    expect(() =>
      parseMapping({
        source: 'x',
        customer: { externalId: 'id' },
        outcome: { kind: { column: 'e', map: { cancelled: 'CANCELLED' } }, occurredAt: 'at' },
      }),
    ).toThrow(/outcome\.kind/);
  });
});
