import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@pulso/database';
import { createWorkspace } from '@pulso/core';
import { loadMapping, parseMapping } from './config.ts';
import { importCsv } from './import.ts';

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
    database = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    await database.migrate();
    workspaceId = (await createWorkspace(database.prisma, { slug: 'acme', name: 'Acme' })).workspaceId;
  });
  afterAll(() => database?.close());

  it('lists every bad row with its line number in a dry run, and writes nothing', async () => {
    const summary = await importCsv({ prisma: database.prisma, workspaceId, ...zendesk, dryRun: true });
    expect(summary.bad).toEqual([
      { line: 6, reason: 'Organization ID: the customer id is empty' },
      { line: 7, reason: expect.stringMatching(/^Created at: "not a date" is not a date/) },
    ]);
    expect(summary).toMatchObject({ rows: 6, customersCreated: 3, interactionsInserted: 4, dryRun: true });
    expect(await database.prisma.customer.count()).toBe(0);
    expect(await database.prisma.interaction.count()).toBe(0);
  });

  it('imports customers and interactions, rescoring them, and imports nothing twice when re-run', async () => {
    const first = await importCsv({ prisma: database.prisma, workspaceId, ...hubspot });
    expect(first).toMatchObject({
      rows: 5,
      customersCreated: 5,
      interactionsInserted: 4,
      interactionsSkipped: 0,
      customersRescored: 5,
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

    const tickets = await importCsv({ prisma: database.prisma, workspaceId, ...zendesk });
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

    const rerun = await importCsv({ prisma: database.prisma, workspaceId, ...zendesk });
    expect(rerun).toMatchObject({
      customersCreated: 0,
      customersUpdated: 0,
      interactionsInserted: 0,
      interactionsSkipped: 4,
      customersRescored: 0,
    });
    const rerunHubspot = await importCsv({ prisma: database.prisma, workspaceId, ...hubspot });
    expect(rerunHubspot).toMatchObject({ interactionsInserted: 0, interactionsSkipped: 4 });
    expect(await database.prisma.interaction.count()).toBe(8);
  });

  it('checks interactions with the scoring engine and the header against the mapping', async () => {
    const mapping = parseMapping({
      source: 'nps',
      customer: { externalId: 'id' },
      interaction: { type: { value: 'nps' }, occurredAt: 'at', value: 'score' },
    });
    const csv = 'id,at,score\nc1,2026-05-01,9\nc2,2026-05-01,11\nc3,2026-05-01,\n';
    const summary = await importCsv({
      prisma: database.prisma,
      workspaceId,
      mapping,
      csv,
      fileName: 'nps.csv',
      dryRun: true,
    });
    expect(summary.bad).toEqual([
      { line: 3, reason: expect.stringContaining('value') },
      { line: 4, reason: expect.stringContaining('value') },
    ]);
    const noColumn = await importCsv({
      prisma: database.prisma,
      workspaceId,
      mapping,
      csv: 'id,when\nc1,2026-05-01\n',
      fileName: 'x.csv',
      dryRun: true,
    });
    expect(noColumn.bad).toEqual([{ line: 1, reason: 'the header lacks the column(s) "at", "score"' }]);
    expect(() => parseMapping({ source: 'x', customer: {} })).toThrow(/customer.externalId/);
  });
});
