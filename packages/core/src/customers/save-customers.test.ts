// The batch upsert against real databases: created, updated and unchanged told apart; a new segment
// rescoring a scored customer; scoreNew scoring the customers created; every problem of a batch
// refused at once; and, on PostgreSQL, concurrent batches naming the same customers storing one
// row each without an error.
import type { Database } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordInteractions } from '../recording/record-interactions.ts';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { CustomerValidationError } from './customer-fields.ts';
import { saveCustomers } from './save-customers.ts';

describe.each(['pglite', 'postgres'] as const)('saveCustomers on %s', (kind) => {
  let test: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    test = await openTestDatabase(kind, 'save_customers', { poolSize: 8 });
    database = test.database;
  }, 60_000);
  afterAll(() => test?.close());

  it('creates, updates only what differs, and rescores a scored customer whose segment moved', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: 'batch', name: 'B' });
    const first = await saveCustomers(prisma, workspaceId, [
      { externalId: 'a', name: 'A', segment: 'smb', properties: { plan: 'gold' } },
      { externalId: 'b', name: 'B' },
    ]);
    expect(first.results.map(({ externalId, created, updated }) => [externalId, created, updated])).toEqual([
      ['a', true, false],
      ['b', true, false],
    ]);
    expect(first.changes).toEqual([]);
    await recordInteractions(prisma, workspaceId, [
      { customer: { externalId: 'a' }, typeKey: 'meeting', sentiment: 'LIKED', idempotencyKey: 'a-1' },
    ]);

    const again = await saveCustomers(prisma, workspaceId, [
      // The same fields: left alone.
      { externalId: 'a', name: 'A', segment: 'smb', properties: { plan: 'gold' } },
      // A new name; segment and properties not given: kept.
      { externalId: 'b', name: 'Bee' },
      { externalId: 'c', name: 'C' },
    ]);
    expect(again.results.map(({ created, updated }) => [created, updated])).toEqual([
      [false, false],
      [false, true],
      [true, false],
    ]);
    expect(again.results[0]!.id).toBe(first.results[0]!.id);
    expect(again.changes).toEqual([]);

    const moved = await saveCustomers(prisma, workspaceId, [
      { externalId: 'a', name: 'A', segment: 'enterprise' },
      { externalId: 'b', name: 'Bee', segment: 'enterprise' },
    ]);
    // Only a is scored: b has no score for a segment to change.
    expect(moved.changes.map((c) => c.customerId)).toEqual([first.results[0]!.id]);
    expect(await prisma.customer.findFirstOrThrow({ where: { id: first.results[0]!.id } })).toMatchObject({
      segment: 'enterprise',
      properties: { plan: 'gold' },
    });
  });

  it('scores the customers it creates with scoreNew, and no one else', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: 'score-new', name: 'S' });
    await saveCustomers(prisma, workspaceId, [{ externalId: 'old', name: 'Old' }]);
    const saved = await saveCustomers(
      prisma,
      workspaceId,
      [
        { externalId: 'old', name: 'Old' },
        { externalId: 'new', name: 'New' },
      ],
      { scoreNew: true },
    );
    expect(saved.changes.map((c) => c.customerId)).toEqual([saved.results[1]!.id]);
    const scores = await prisma.customer.findMany({ where: { workspaceId }, orderBy: { externalId: 'asc' } });
    expect(scores.map((c) => [c.externalId, c.score !== null])).toEqual([
      ['new', true],
      ['old', false],
    ]);
  });

  it('refuses a batch with any bad customer, naming every problem, and stores none of it', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: 'refused', name: 'R' });
    const refusal = await saveCustomers(prisma, workspaceId, [
      { externalId: 'ok', name: 'Fine' },
      { externalId: 'x', name: '' },
      { externalId: 'ok', name: 'Twice' },
    ]).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(CustomerValidationError);
    expect((refusal as CustomerValidationError).problems.map((p) => `${p.field} ${p.code}`)).toEqual([
      'customers[1].name INVALID',
      'customers[2].externalId DUPLICATE',
    ]);
    expect(await prisma.customer.count({ where: { workspaceId } })).toBe(0);
  });

  // Concurrent batches need several connections: PGlite has one, which serializes them anyway.
  if (kind === 'postgres')
    it('stores one row per customer when batches naming them run at once', async () => {
      const prisma = database.prisma;
      const { workspaceId } = await createWorkspace(prisma, { slug: 'concurrent', name: 'C' });
      const batch = (n: number) =>
        Array.from({ length: 200 }, (_, i) => ({ externalId: `c${(i * 7 + n) % 200}`, name: `Name ${n}` }));
      const results = await Promise.all([0, 1, 2, 3].map((n) => saveCustomers(prisma, workspaceId, batch(n))));
      expect(await prisma.customer.count({ where: { workspaceId } })).toBe(200);
      expect(results.flatMap((r) => r.results).filter((r) => r.created)).toHaveLength(200);
    });
});
