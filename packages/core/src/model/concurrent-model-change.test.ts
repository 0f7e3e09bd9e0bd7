// A model change while other writes hold customers, on PostgreSQL (PGlite runs one transaction at a
// time): neither deadlocks. Found in a full run of the suite: `setSegmentWeight`, then at once
// `setCustomerWeight` for a customer of that segment, failed with an internal error after a second.
// The segment's rescoring chunk held the customer's row and inserted its score snapshot, which
// references the workspace; the change held the workspace's row and wrote the customer's weight,
// which references the customer. With the workspace locked FOR UPDATE, the snapshot's reference to
// it waited for the change, the change's reference to the customer waited for the chunk, and
// PostgreSQL's detector failed one of them. Any write of a customer (an interaction, a rating) met
// a change of that customer's weights the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, PrismaClient } from '@pulso/database';
import { openTestDatabase, type TestDatabase, waitForLockWaits } from '@pulso/database/testing';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { applyModelChange } from './apply-model-change.ts';

describe('a model change beside writes that hold its customer, on postgres', () => {
  let test: TestDatabase;
  let database: Database;
  let prisma: PrismaClient;
  beforeAll(async () => {
    test = await openTestDatabase('postgres', 'concurrent_model_change');
    database = test.database;
    prisma = database.prisma;
  }, 60_000);
  afterAll(() => test?.close());

  it("sets a customer's weight while a write holding that customer adds a row of the workspace", async () => {
    const { workspaceId } = await createWorkspace(prisma, { slug: 'change-race', name: 'Race' });
    const customer = await prisma.customer.create({ data: { workspaceId, externalId: 'held', name: 'Held' } });
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // As a rescoring chunk does: the customer's row locked, then a row referencing the workspace.
    const write = prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT 1 FROM "Customer" WHERE "workspaceId" = ${workspaceId}::uuid AND "id" = ${customer.id}::uuid FOR UPDATE`;
        holding();
        await released;
        await tx.$executeRaw`INSERT INTO "Customer" ("id", "workspaceId", "externalId", "name", "updatedAt")
          VALUES (gen_random_uuid(), ${workspaceId}::uuid, 'added', 'Added', now())`;
      },
      { timeout: 30_000 },
    );
    await held;
    // The change locks the workspace, then waits for the customer's row.
    const change = prisma.$transaction(
      (tx) =>
        applyModelChange(tx, workspaceId, [
          { kind: 'setCustomerWeight', customerId: customer.id, categoryKey: 'commercial', weight: 0 },
        ]),
      { timeout: 30_000 },
    );
    await waitForLockWaits(prisma, 1, "the change, on the customer's row,");
    release();
    const outcomes = await Promise.allSettled([write, change]);
    expect(
      outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason)),
    ).toEqual([]);
    expect(await prisma.customerWeight.count({ where: { workspaceId, customerId: customer.id } })).toBe(1);
    expect(await prisma.customer.count({ where: { workspaceId } })).toBe(2);
  }, 60_000);
});
