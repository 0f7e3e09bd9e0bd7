// Writes a file's planned outcomes through @pulso/core's recordOutcomes, so an import settles each
// customer's churn state and raises churn webhook events exactly as the API does. Keys already
// recorded are looked up first and left out: a re-run, or an overlapping export under another file
// name (the stored source differs), records nothing twice and never trips a key conflict.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { PrismaClient } from '@pulso/database';
import { recordOutcomes } from '@pulso/core';
import type { OutcomeRowPlan } from './outcome-rows.ts';

/** recordOutcomes takes at most this many per call, each call all or nothing. */
const BATCH = 1_000;

export async function recordedOutcomeKeys(
  prisma: PrismaClient,
  workspaceId: string,
  keys: string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += BATCH) {
    for (const o of await prisma.customerOutcome.findMany({
      where: { workspaceId, idempotencyKey: { in: keys.slice(i, i + BATCH) } },
      select: { idempotencyKey: true },
    }))
      found.add(o.idempotencyKey!);
  }
  return found;
}

export interface OutcomeToRecord {
  customerId: string;
  outcome: OutcomeRowPlan;
}

/** Records the outcomes in batches; returns the customers left churned by them. */
export async function recordImportedOutcomes(
  prisma: PrismaClient,
  workspaceId: string,
  outcomes: OutcomeToRecord[],
  options: { source: string; now: Date; onBatch?: (count: number) => void; signal?: AbortSignal },
): Promise<Set<string>> {
  const churned = new Set<string>();
  for (let i = 0; i < outcomes.length; i += BATCH) {
    // A turn of the event loop first, so that a signal can be heard (import.ts says why).
    if (options.signal) {
      await nextTurn();
      if (options.signal.aborted) break;
    }
    const batch = outcomes.slice(i, i + BATCH);
    const result = await recordOutcomes(
      prisma,
      workspaceId,
      batch.map(({ customerId, outcome: o }) => ({
        customer: { id: customerId },
        kind: o.kind,
        occurredAt: o.occurredAt,
        reason: o.reason,
        voluntary: o.voluntary,
        source: options.source,
        idempotencyKey: o.idempotencyKey,
      })),
      { now: options.now },
    );
    for (const id of result.churned) churned.add(id);
    for (const id of result.reactivated) churned.delete(id);
    options.onBatch?.(batch.length);
  }
  return churned;
}
