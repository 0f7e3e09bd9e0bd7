// Which customer each write is for: Pulso ids checked to be of the workspace, external ids looked
// up, and missing customers named with a name created (one statement, safe under concurrency).
// Writes naming no customer of the workspace are refused together, each naming its field.
import { insertMissingCustomers } from '../customers/upsert-customer.ts';
import type { Tx } from '../transaction.ts';
import type { InteractionWrite } from './interaction-write.ts';
import { InteractionValidationError, type FieldProblem } from './recording-errors.ts';
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
  } else {
    const { ids: byId, externalIds } = namedCustomers(writes);
    found = new Set(
      byId.length
        ? (await tx.customer.findMany({ where: { workspaceId, id: { in: byId } }, select: { id: true } })).map(
            (c) => c.id,
          )
        : [],
    );
    byExternal = await customerIdsByExternalId(tx, workspaceId, externalIds);
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
  const problems: FieldProblem[] = [];
  const ids = writes.map((w, i) => {
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
  if (problems.length) throw new InteractionValidationError(problems);
  return ids;
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
