// Writes on a customer's own fields: create, upsert by external id, and update. Each checks the
// fields first (customer-fields.ts), and an external id already in use is a validation problem,
// not a crash. A segment given for a customer already scored rescores it in the same transaction
// (segment weights may differ); the score changes are returned for the caller to publish once
// committed. The upsert is one INSERT ... ON CONFLICT (upsertCustomer), so concurrent first-time
// upserts store one row and none fails.
import type { Prisma, PrismaClient } from '@pulso/database';
import { workspaceKey } from '@pulso/database';
import type { ScoreChange } from '../scores/score-change.ts';
import { rescoreCustomersInTransaction } from '../scores/score-customers.ts';
import type { Tx } from '../transaction.ts';
import { upsertCustomer } from './upsert-customer.ts';
import type { FieldProblem } from '../validation/validation-error.ts';
import {
  checkCustomerFields,
  customerFieldProblems,
  CustomerValidationError,
  type CustomerFields,
} from './customer-fields.ts';

/** A rescoring may take a while on a big workspace: wait for it rather than fail the write. */
const TRANSACTION = { maxWait: 60_000, timeout: 60_000 };

export interface NewCustomer {
  externalId: string;
  name: string;
  /** Undefined keeps an existing customer's segment (upsert); null clears it. */
  segment?: string | null;
  /** Undefined keeps an existing customer's properties (upsert). */
  properties?: unknown;
}

export type CustomerPatch = CustomerFields;

export interface CustomerWriteOptions {
  /** Prefix of the problems' field paths (`input`, `patch`). */
  path: string;
  now?: Date;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002';
}

function takenProblem(path: string, externalId: string | null | undefined): FieldProblem {
  return {
    field: `${path}.externalId`,
    code: 'ALREADY_EXISTS',
    message: `a customer with external id "${externalId}" already exists`,
  };
}

function externalIdTaken(path: string, externalId: string | null | undefined): CustomerValidationError {
  return new CustomerValidationError([takenProblem(path, externalId)]);
}

/**
 * The ALREADY_EXISTS problem of an external id another customer of the workspace has (`except`: the
 * customer being changed, whose own id is no clash), or null. Read before the write so that it is
 * listed with the write's other problems; the unique index still decides under a race.
 */
export async function externalIdTakenProblem(
  db: Tx | PrismaClient,
  workspaceId: string,
  externalId: string,
  { path, except }: { path: string; except?: string | null },
): Promise<FieldProblem | null> {
  const holder = await db.customer.findFirst({
    where: { workspaceId, externalId, ...(except ? { id: { not: except } } : {}) },
    select: { id: true },
  });
  return holder ? takenProblem(path, externalId) : null;
}

/** Of these customers, those that already have a score (the others have nothing to rescore yet). */
async function scoredOnly(tx: Tx, workspaceId: string, ids: string[]): Promise<string[]> {
  const rows = await tx.customer.findMany({
    where: { workspaceId, id: { in: ids }, score: { not: null } },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** Creates a customer; an external id already in use is refused (ALREADY_EXISTS). */
export async function createCustomer(
  prisma: PrismaClient,
  workspaceId: string,
  input: NewCustomer,
  { path }: CustomerWriteOptions,
): Promise<{ id: string }> {
  // Every problem at once: the fields', and an external id another customer has (read first, so
  // it is listed beside them; the unique index still decides under a race).
  const problems = customerFieldProblems(input, { path, partial: false });
  if (!problems.some((p) => p.field === `${path}.externalId`)) {
    const taken = await externalIdTakenProblem(prisma, workspaceId, input.externalId, { path });
    if (taken) problems.push(taken);
  }
  if (problems.length) throw new CustomerValidationError(problems);
  try {
    return await prisma.customer.create({
      data: {
        workspaceId,
        externalId: input.externalId,
        name: input.name.trim(),
        segment: input.segment ?? null,
        properties: (input.properties ?? {}) as Prisma.InputJsonValue,
      },
      select: { id: true },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw externalIdTaken(path, input.externalId);
    throw error;
  }
}

/** Creates the customer with this external id, or updates it; rescores it for a new segment. */
export async function saveCustomer(
  prisma: PrismaClient,
  workspaceId: string,
  input: NewCustomer,
  { path, now = new Date() }: CustomerWriteOptions,
): Promise<{ id: string; created: boolean; changes: ScoreChange[] }> {
  checkCustomerFields(input, { path, partial: false });
  return prisma.$transaction(async (tx: Tx) => {
    const row = await upsertCustomer(
      tx,
      workspaceId,
      {
        externalId: input.externalId,
        name: input.name.trim(),
        segment: input.segment,
        properties: input.properties ?? undefined,
      },
      now,
    );
    const rescore = !row.created && input.segment !== undefined ? await scoredOnly(tx, workspaceId, [row.id]) : [];
    const changes = await rescoreCustomersInTransaction(tx, workspaceId, rescore, now);
    return { ...row, changes };
  }, TRANSACTION);
}

/**
 * Changes the fields given of a customer of the workspace; rescores it for a new segment. Refused
 * with every problem of the patch at once: its fields', and an external id another customer has.
 */
export async function updateCustomer(
  prisma: PrismaClient,
  workspaceId: string,
  customerId: string,
  patch: CustomerPatch,
  { path, now = new Date() }: CustomerWriteOptions,
): Promise<{ changes: ScoreChange[] }> {
  const problems = customerFieldProblems(patch, { path, partial: true });
  if (patch.externalId != null && !problems.some((p) => p.field === `${path}.externalId`)) {
    const taken = await externalIdTakenProblem(prisma, workspaceId, patch.externalId, { path, except: customerId });
    if (taken) problems.push(taken);
  }
  if (problems.length) throw new CustomerValidationError(problems);
  return prisma.$transaction(async (tx: Tx) => {
    try {
      await tx.customer.update({
        where: workspaceKey(workspaceId, customerId),
        data: {
          ...(patch.externalId != null ? { externalId: patch.externalId } : {}),
          ...(patch.name != null ? { name: patch.name.trim() } : {}),
          ...(patch.segment !== undefined ? { segment: patch.segment } : {}),
          ...(patch.properties != null ? { properties: patch.properties as Prisma.InputJsonValue } : {}),
        },
        select: { id: true },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw externalIdTaken(path, patch.externalId);
      throw error;
    }
    const rescore = patch.segment !== undefined ? await scoredOnly(tx, workspaceId, [customerId]) : [];
    return { changes: await rescoreCustomersInTransaction(tx, workspaceId, rescore, now) };
  }, TRANSACTION);
}
