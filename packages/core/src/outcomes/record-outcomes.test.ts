// Outcomes are recorded once per key, settle each customer's churn state from its latest churn or
// reactivation whatever order they arrive in, and a new churn becomes a webhook event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { IdempotencyConflictError, InteractionValidationError } from '../recording/recording-errors.ts';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { recordOutcomes } from './record-outcomes.ts';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);

describe.each(['pglite', 'postgres'] as const)('outcomes on %s', (kind) => {
  let test: TestDatabase;
  let database: Database;
  let workspaceId: string;
  beforeAll(async () => {
    test = await openTestDatabase(kind, 'outcomes');
    database = test.database;
    ({ workspaceId } = await createWorkspace(database.prisma, { slug: 'outcomes', name: 'Outcomes' }));
  });
  afterAll(() => test?.close());

  const churnedAt = async (externalId: string) =>
    (await database.prisma.customer.findFirstOrThrow({ where: { workspaceId, externalId } })).churnedAt;

  it('records a churn once per key, creates a named customer, and marks it churned', async () => {
    const write = {
      customer: { externalId: 'acme', name: 'Acme' },
      kind: 'CHURNED' as const,
      occurredAt: day(40),
      reason: 'Moved to a competitor',
      voluntary: true,
      idempotencyKey: 'churn-acme',
    };
    const first = await recordOutcomes(database.prisma, workspaceId, [write], { now: day(41) });
    expect(first.results[0]!.replayed).toBe(false);
    expect(first.churned).toEqual([first.results[0]!.customerId]);
    expect(await churnedAt('acme')).toEqual(day(40));

    const retry = await recordOutcomes(database.prisma, workspaceId, [write], { now: day(42) });
    expect(retry.results[0]).toEqual({ ...first.results[0], replayed: true });
    expect(retry.churned).toEqual([]);
    expect(await database.prisma.customerOutcome.count({ where: { workspaceId } })).toBe(1);

    const reused = recordOutcomes(database.prisma, workspaceId, [{ ...write, reason: 'Price' }], { now: day(42) });
    await expect(reused).rejects.toBeInstanceOf(IdempotencyConflictError);
    await expect(reused).rejects.toThrow(/already used for a different outcome/);
  });

  it('follows the latest churn or reactivation by when it happened, not by arrival', async () => {
    const customer = { externalId: 'globex', name: 'Globex' };
    await recordOutcomes(database.prisma, workspaceId, [
      { customer, kind: 'CHURNED', occurredAt: day(10), idempotencyKey: 'g1' },
    ]);
    expect(await churnedAt('globex')).toEqual(day(10));
    const back = await recordOutcomes(database.prisma, workspaceId, [
      { customer: { externalId: 'globex' }, kind: 'REACTIVATED', occurredAt: day(20), idempotencyKey: 'g2' },
    ]);
    expect(back.reactivated).toHaveLength(1);
    expect(await churnedAt('globex')).toBeNull();
    // A churn that arrives late but happened before the reactivation does not churn the customer again.
    const late = await recordOutcomes(database.prisma, workspaceId, [
      { customer: { externalId: 'globex' }, kind: 'CHURNED', occurredAt: day(15), idempotencyKey: 'g3' },
    ]);
    expect(late.churned).toEqual([]);
    expect(await churnedAt('globex')).toBeNull();
    // Renewals and other contract events leave the churn state alone.
    await recordOutcomes(database.prisma, workspaceId, [
      { customer: { externalId: 'globex' }, kind: 'RENEWED', occurredAt: day(30), idempotencyKey: 'g4' },
    ]);
    expect(await churnedAt('globex')).toBeNull();
  });

  it('keeps the date a customer churned when the churn is reported again, and starts anew after a reactivation', async () => {
    const customer = { externalId: 'vandelay', name: 'Vandelay' };
    const churn = (n: number, key: string) =>
      recordOutcomes(database.prisma, workspaceId, [
        { customer, kind: 'CHURNED', occurredAt: day(n), idempotencyKey: key },
      ]);
    await churn(50, 'v1');
    // The CRM and the billing system both report it: the customer churned on day 50.
    const again = await churn(55, 'v2');
    expect(again.churned).toEqual([]);
    expect(await churnedAt('vandelay')).toEqual(day(50));
    await recordOutcomes(database.prisma, workspaceId, [
      { customer, kind: 'REACTIVATED', occurredAt: day(60), idempotencyKey: 'v3' },
    ]);
    expect(await churnedAt('vandelay')).toBeNull();
    await churn(70, 'v4');
    expect(await churnedAt('vandelay')).toEqual(day(70));
    // A churn reported late, after the reactivation and before the last one: the churn began then.
    await churn(65, 'v5');
    expect(await churnedAt('vandelay')).toEqual(day(65));
  });

  it('refuses to reactivate a customer with no churn at or before the reactivation, naming each write', async () => {
    await recordOutcomes(database.prisma, workspaceId, [
      { customer: { externalId: 'stark', name: 'Stark' }, kind: 'RENEWED', occurredAt: day(5), idempotencyKey: 's1' },
    ]);
    const refusal = async (writes: Parameters<typeof recordOutcomes>[2]) => {
      const error = await recordOutcomes(database.prisma, workspaceId, writes, { now: day(100) }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InteractionValidationError);
      return (error as InteractionValidationError).problems;
    };
    // A customer that never churned, and a new one (created by the write's name): nothing to undo.
    expect(
      await refusal([
        { customer: { externalId: 'stark' }, kind: 'REACTIVATED', occurredAt: day(10), idempotencyKey: 's2' },
        { customer: { externalId: 'wayne', name: 'Wayne' }, kind: 'REACTIVATED', idempotencyKey: 'w1' },
      ]),
    ).toEqual([
      {
        field: 'outcomes[0].kind',
        code: 'NOT_CHURNED',
        message: `customer "stark" has not churned: no churn of it is recorded at or before ${day(10).toISOString()}, and only a churned customer can be reactivated (record the churn first)`,
      },
      {
        field: 'outcomes[1].kind',
        code: 'NOT_CHURNED',
        message: `customer "wayne" has not churned: no churn of it is recorded at or before ${day(100).toISOString()}, and only a churned customer can be reactivated (record the churn first)`,
      },
    ]);
    // Nothing stored: not the outcomes, not the customer the refused batch named.
    expect(await database.prisma.customerOutcome.count({ where: { workspaceId, idempotencyKey: 's2' } })).toBe(0);
    expect(await database.prisma.customer.count({ where: { workspaceId, externalId: 'wayne' } })).toBe(0);
    // A churn after the reactivation's date does not make it one.
    await recordOutcomes(database.prisma, workspaceId, [
      { customer: { externalId: 'stark' }, kind: 'CHURNED', occurredAt: day(20), idempotencyKey: 's3' },
    ]);
    expect(
      (
        await refusal([
          { customer: { externalId: 'stark' }, kind: 'REACTIVATED', occurredAt: day(10), idempotencyKey: 's4' },
        ])
      ).map((p) => p.code),
    ).toEqual(['NOT_CHURNED']);
    expect(await churnedAt('stark')).toEqual(day(20));
    // A churn recorded earlier in the same batch is one.
    const both = await recordOutcomes(database.prisma, workspaceId, [
      { customer: { externalId: 'wayne', name: 'Wayne' }, kind: 'CHURNED', occurredAt: day(10), idempotencyKey: 'w2' },
      { customer: { externalId: 'wayne' }, kind: 'REACTIVATED', occurredAt: day(12), idempotencyKey: 'w3' },
    ]);
    expect(both.results.map((r) => r.replayed)).toEqual([false, false]);
    expect(await churnedAt('wayne')).toBeNull();
  });

  it('refuses bad input naming every field, and stores nothing', async () => {
    const attempt = recordOutcomes(database.prisma, workspaceId, [
      { customer: { externalId: 'initech', name: 'Initech' }, kind: 'RENEWED', voluntary: false, idempotencyKey: 'i1' },
      {
        customer: { externalId: 'initech' },
        kind: 'CHURNED',
        occurredAt: new Date(Date.now() + 86_400_000),
        idempotencyKey: 'i1',
      },
      { customer: {}, kind: 'LEFT' as never, idempotencyKey: '' },
    ]);
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InteractionValidationError);
    const problems = (error as InteractionValidationError).problems.map((p) => p.field);
    expect(problems).toEqual([
      'outcomes[0].voluntary',
      'outcomes[1].idempotencyKey',
      'outcomes[1].occurredAt',
      'outcomes[2].customer',
      'outcomes[2].idempotencyKey',
      'outcomes[2].kind',
    ]);
    expect(await database.prisma.customer.count({ where: { workspaceId, externalId: 'initech' } })).toBe(0);
  });

  it('refuses an unknown customer without a name, and rolls back the whole batch', async () => {
    const attempt = recordOutcomes(database.prisma, workspaceId, [
      { customer: { externalId: 'hooli', name: 'Hooli' }, kind: 'CHURNED', idempotencyKey: 'h1' },
      { customer: { externalId: 'nobody' }, kind: 'CHURNED', idempotencyKey: 'h2' },
    ]);
    await expect(attempt).rejects.toThrow(/no customer has external id "nobody"/);
    expect(await database.prisma.customerOutcome.count({ where: { workspaceId, idempotencyKey: 'h1' } })).toBe(0);
  });

  it('writes a customer.churned event for each endpoint that asked for churns, once', async () => {
    const endpoint = await database.prisma.webhookEndpoint.create({
      data: { workspaceId, url: 'https://hooks.example.com/churn', secret: 'whsec_test', customerChurned: true },
    });
    await database.prisma.webhookEndpoint.create({
      data: { workspaceId, url: 'https://hooks.example.com/bands', secret: 'whsec_test', bandChanged: true },
    });
    const write = {
      customer: { externalId: 'umbrella', name: 'Umbrella' },
      kind: 'CHURNED' as const,
      occurredAt: day(50),
      reason: 'Budget cut',
      voluntary: false,
      idempotencyKey: 'u1',
    };
    await recordOutcomes(database.prisma, workspaceId, [write]);
    await recordOutcomes(database.prisma, workspaceId, [write]);
    const events = await database.prisma.webhookEvent.findMany({ where: { workspaceId, type: 'customer.churned' } });
    expect(events).toHaveLength(1);
    expect(events[0]!.endpointId).toBe(endpoint.id);
    expect(events[0]!.payload).toMatchObject({
      type: 'customer.churned',
      data: {
        workspaceId,
        customer: { externalId: 'umbrella', name: 'Umbrella' },
        churn: { occurredAt: day(50).toISOString(), reason: 'Budget cut', voluntary: false },
      },
    });
  });
});
