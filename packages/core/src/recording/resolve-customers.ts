// Which customer each write is for: Pulso ids checked to be of the workspace, external ids looked
// up, and missing customers named with a name created (one statement, safe under concurrency).
// Writes naming no customer of the workspace are refused together, each naming its field, as are
// two names given for one new customer.
import { insertMissingCustomers } from '../customers/upsert-customer.ts';
import type { Tx } from '../transaction.ts';
import type { InteractionWrite } from './interaction-write.ts';
import { InteractionValidationError, type FieldProblem } from './recording-errors.ts';
import { inWriteOrder } from './validate-writes.ts';
import { isUuid } from '@pulso/database';

/** The Pulso ids and external ids that writes name (ids that are no UUID name nobody). */
export function namedCustomers(writes: readonly Pick<InteractionWrite, 'customer'>[]): {
  ids: string[];
  externalIds: string[];
} {
  return {
    ids: [...new Set(writes.map((w) => w.customer.id).filter((id): id is string => id != null && isUuid(id)))],
    externalIds: [...new Set(writes.map((w) => w.customer.externalId).filter((e): e is string => e != null))],
  };
}

/** Customers already looked up by the caller, in this transaction. */
export interface KnownCustomers {
  customers: { id: string; externalId: string }[];
}

/**
 * Pulso ids of the named customers, in the order of the writes, creating the missing ones that come
 * with a name. `known`: the customers the caller already read (every one named that exists), so
 * that only creations cost a statement.
 */
export async function resolveCustomers(
  tx: Tx,
  workspaceId: string,
  writes: readonly Pick<InteractionWrite, 'customer'>[],
  field: (i: number) => string,
  now: Date,
  known?: KnownCustomers,
): Promise<string[]> {
  let found: Set<string>;
  let byExternal: Map<string, string>;
  if (known) {
    found = new Set(known.customers.map((c) => c.id));
    byExternal = new Map(known.customers.map((c) => [c.externalId, c.id]));
  } else ({ found, byExternal } = await lookUp(tx, workspaceId, writes));
  const conflicts = conflictingNames(writes, field, byExternal);
  if (conflicts.length) {
    // Nothing is created for a refused batch; its unknown customers are reported with the conflicts.
    const { problems: missing } = customersOfWrites(writes, field, found, withNewOnes(byExternal, writes));
    throw new InteractionValidationError(inWriteOrder(writes.length, field, conflicts, missing));
  }
  // Customers named with a name are created when missing. Looked up first: most writes are for
  // customers that exist, and then the lookup is the only statement.
  const toCreate = new Map<string, string>();
  for (const w of writes) {
    const externalId = w.customer.externalId;
    if (externalId != null && w.customer.name != null && !byExternal.has(externalId) && !toCreate.has(externalId))
      toCreate.set(externalId, w.customer.name.trim());
  }
  if (toCreate.size > 0) {
    await insertMissingCustomers(
      tx,
      workspaceId,
      [...toCreate].sort().map(([externalId, name]) => ({ externalId, name })),
      now,
    );
    // Read again rather than trusting RETURNING: a concurrent write may have created some of them.
    for (const [externalId, id] of await customerIdsByExternalId(tx, workspaceId, [...toCreate.keys()]))
      byExternal.set(externalId, id);
  }
  const { ids, problems } = customersOfWrites(writes, field, found, byExternal);
  if (problems.length) throw new InteractionValidationError(problems);
  return ids;
}

/**
 * The NOT_FOUND problems of writes whose input has other problems too, so that all are reported in
 * one answer: the customers named are looked up, none is created (nothing is written for an input
 * that is refused anyway); a missing customer that comes with a name is no problem. Writes naming
 * no customer, or naming it twice, have their shape problem already.
 */
export async function missingCustomerProblems(
  tx: Tx,
  workspaceId: string,
  writes: readonly Pick<InteractionWrite, 'customer'>[],
  field: (i: number) => string,
): Promise<FieldProblem[]> {
  const { found, byExternal } = await lookUp(tx, workspaceId, writes);
  return [
    ...customersOfWrites(writes, field, found, withNewOnes(byExternal, writes)).problems,
    ...conflictingNames(writes, field, byExternal),
  ];
}

/**
 * `byExternal` with the customers a write of the batch would create: named with a name (a blank
 * one is a problem of its own), so that the batch's other writes for them do not miss them.
 */
function withNewOnes(
  byExternal: ReadonlyMap<string, string>,
  writes: readonly Pick<InteractionWrite, 'customer'>[],
): Map<string, string> {
  const all = new Map(byExternal);
  for (const { customer } of writes)
    if (customer.externalId != null && customer.name != null && !all.has(customer.externalId))
      all.set(customer.externalId, 'created by the batch');
  return all;
}

/**
 * Writes giving a new customer (an external id no customer has) another name than an earlier write
 * of the batch does: which name it gets is the caller's to say, so the batch is refused rather than
 * the later name dropped. Names given for existing customers are not used, so they may differ.
 */
export function conflictingNames(
  writes: readonly Pick<InteractionWrite, 'customer'>[],
  field: (i: number) => string,
  byExternal: Map<string, string>,
): FieldProblem[] {
  const named = new Map<string, { name: string; index: number }>();
  const problems: FieldProblem[] = [];
  writes.forEach((w, i) => {
    const { externalId, name: given } = w.customer;
    // A blank name is a problem of its own (validate-writes.ts).
    if (externalId == null || given == null || given.trim() === '' || byExternal.has(externalId)) return;
    const name = given.trim();
    const first = named.get(externalId);
    if (!first) named.set(externalId, { name, index: i });
    else if (first.name !== name)
      problems.push({
        field: `${field(i)}.customer.name`,
        code: 'INVALID',
        message: `"${name}" is not the name ${field(first.index)} gives the new customer "${externalId}" ("${first.name}"): give one name`,
      });
  });
  return problems;
}

/**
 * Each write's customer id, and a NOT_FOUND problem for each write whose customer is not there. A
 * write naming no customer, or naming it twice, has that problem of its shape (validate-writes.ts).
 */
function customersOfWrites(
  writes: readonly Pick<InteractionWrite, 'customer'>[],
  field: (i: number) => string,
  found: Set<string>,
  byExternal: Map<string, string>,
): { ids: string[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const ids = writes.map((w, i) => {
    if ((w.customer.id != null) === (w.customer.externalId != null)) return '';
    if (w.customer.id != null) {
      if (found.has(w.customer.id)) return w.customer.id;
      problems.push({
        field: `${field(i)}.customer.id`,
        code: 'NOT_FOUND',
        message: `no customer has id "${w.customer.id}"`,
      });
      return '';
    }
    const id = byExternal.get(w.customer.externalId!);
    if (id) return id;
    problems.push({
      field: `${field(i)}.customer.externalId`,
      code: 'NOT_FOUND',
      message: `no customer has external id "${w.customer.externalId}"; give customer.name to create it`,
    });
    return '';
  });
  return { ids, problems };
}

/** The named customers that exist: by Pulso id, and by external id. */
async function lookUp(
  tx: Tx,
  workspaceId: string,
  writes: readonly Pick<InteractionWrite, 'customer'>[],
): Promise<{ found: Set<string>; byExternal: Map<string, string> }> {
  const { ids, externalIds } = namedCustomers(writes);
  const existing = ids.length
    ? await tx.customer.findMany({ where: { workspaceId, id: { in: ids } }, select: { id: true } })
    : [];
  return {
    found: new Set(existing.map((c) => c.id)),
    byExternal: await customerIdsByExternalId(tx, workspaceId, externalIds),
  };
}

async function customerIdsByExternalId(
  tx: Tx,
  workspaceId: string,
  externalIds: string[],
): Promise<Map<string, string>> {
  if (externalIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ id: string; externalId: string }[]>`
    SELECT "id"::text AS "id", "externalId" FROM "Customer" WHERE "workspaceId" = ${workspaceId}::uuid AND "externalId" = ANY(${externalIds}::text[])`;
  return new Map(rows.map((r) => [r.externalId, r.id]));
}
