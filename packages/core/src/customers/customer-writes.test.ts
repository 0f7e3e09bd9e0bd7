// Writes on customers against a real database: fields checked before anything is stored, an
// external id in use refused as a validation problem, and a new segment rescoring a scored customer.
import type { Database } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordInteractions } from '../recording/record-interactions.ts';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { CustomerValidationError } from './customer-fields.ts';
import { createCustomer, saveCustomer, updateCustomer } from './customer-writes.ts';

async function problems(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    if (error instanceof CustomerValidationError) return error.problems.map((p) => `${p.field} ${p.code}`);
    throw error;
  }
  return [];
}

describe('customer writes', () => {
  let test: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    test = await openTestDatabase('pglite', 'customer_writes');
    database = test.database;
  });
  afterAll(() => test?.close());

  it('creates a customer once, and refuses invalid fields and a taken external id without storing', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: 'customers-create', name: 'C' });
    const { id } = await createCustomer(prisma, workspaceId, { externalId: 'acme', name: ' Acme ' }, { path: 'input' });
    expect(await prisma.customer.findFirstOrThrow({ where: { id } })).toMatchObject({
      externalId: 'acme',
      name: 'Acme',
      segment: null,
      properties: {},
    });
    expect(
      await problems(() =>
        createCustomer(prisma, workspaceId, { externalId: 'acme', name: 'Again' }, { path: 'input' }),
      ),
    ).toEqual(['input.externalId ALREADY_EXISTS']);
    expect(
      await problems(() => createCustomer(prisma, workspaceId, { externalId: '', name: 'Blank' }, { path: 'input' })),
    ).toEqual(['input.externalId INVALID']);
    expect(await prisma.customer.count({ where: { workspaceId } })).toBe(1);
  });

  it('rescores a scored customer whose segment an upsert or an update gives, and no one else', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: 'customers-segment', name: 'S' });
    const now = new Date();
    const first = await saveCustomer(prisma, workspaceId, { externalId: 'beta', name: 'Beta' }, { path: 'input', now });
    expect(first).toMatchObject({ created: true, changes: [] });
    // Not scored yet: a segment has nothing to rescore.
    const unscored = await saveCustomer(
      prisma,
      workspaceId,
      { externalId: 'beta', name: 'Beta', segment: 'smb' },
      { path: 'input', now },
    );
    expect(unscored).toMatchObject({ id: first.id, created: false, changes: [] });

    await recordInteractions(prisma, workspaceId, [
      { customer: { id: first.id }, typeKey: 'meeting', sentiment: 'LIKED', idempotencyKey: 'segment-1' },
    ]);
    const renamed = await saveCustomer(
      prisma,
      workspaceId,
      { externalId: 'beta', name: 'Beta Ltd' },
      { path: 'input' },
    );
    expect(renamed.changes).toEqual([]);
    const resegmented = await saveCustomer(
      prisma,
      workspaceId,
      { externalId: 'beta', name: 'Beta Ltd', segment: 'enterprise' },
      { path: 'input' },
    );
    expect(resegmented.changes.map((c) => c.customerId)).toEqual([first.id]);

    const updated = await updateCustomer(prisma, workspaceId, first.id, { segment: null }, { path: 'patch' });
    expect(updated.changes.map((c) => c.customerId)).toEqual([first.id]);
    expect(await updateCustomer(prisma, workspaceId, first.id, { name: 'Beta' }, { path: 'patch' })).toEqual({
      changes: [],
    });
    expect(await prisma.customer.findFirstOrThrow({ where: { id: first.id } })).toMatchObject({
      name: 'Beta',
      segment: null,
    });
  });

  it('refuses an update to an external id in use, naming the patch field', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: 'customers-update', name: 'U' });
    const a = await createCustomer(prisma, workspaceId, { externalId: 'a', name: 'A' }, { path: 'input' });
    await createCustomer(prisma, workspaceId, { externalId: 'b', name: 'B' }, { path: 'input' });
    expect(
      await problems(() => updateCustomer(prisma, workspaceId, a.id, { externalId: 'b' }, { path: 'patch' })),
    ).toEqual(['patch.externalId ALREADY_EXISTS']);
    expect(await problems(() => updateCustomer(prisma, workspaceId, a.id, { name: '' }, { path: 'patch' }))).toEqual([
      'patch.name INVALID',
    ]);
    expect((await prisma.customer.findFirstOrThrow({ where: { id: a.id } })).externalId).toBe('a');
  });
});
