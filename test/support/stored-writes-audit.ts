// Checks what a server left in its database against what its clients were told: every
// acknowledged write stored exactly once under its idempotency key, nothing stored that was not
// sent, and every customer's stored score equal to a fresh computation from the stored
// interactions — through the same library calls the server scores with, at the instant the
// stored score says it was computed.
//
// The scoring packages are imported by path: @pulso/test depends on them only here, and adding a
// workspace dependency would change the shared lockfile.
import type { PrismaClient } from '@pulso/database';
import { compileModel, scoreCustomer } from '@pulso/scoring';
import { interactionsAt, loadCustomerInputs, loadScoringModel, scoringInputAt } from '@pulso/core';
import type { Acknowledged, Write } from './write-stream.ts';

/** The key a write is stored under: ratings from the widget get their own namespace. */
export const storedKey = (write: Write) => (write.kind === 'rate' ? `widget:${write.key}` : write.key);

export interface AuditSummary {
  interactions: number;
  customers: number;
  problems: string[];
}

export async function auditStoredWrites(
  prisma: PrismaClient,
  workspaceId: string,
  writes: readonly Write[],
  acknowledged: readonly Acknowledged[],
): Promise<AuditSummary> {
  const problems: string[] = [];
  const stored = await prisma.interaction.findMany({
    where: { workspaceId },
    select: { id: true, idempotencyKey: true },
  });
  const byKey = new Map<string, string[]>();
  for (const row of stored)
    byKey.set(row.idempotencyKey ?? '', [...(byKey.get(row.idempotencyKey ?? '') ?? []), row.id]);

  for (const ack of acknowledged) {
    const ids = byKey.get(storedKey(ack.write)) ?? [];
    if (ids.length !== 1) problems.push(`acknowledged write ${storedKey(ack.write)} is stored ${ids.length} times`);
    else if (ids[0] !== ack.interactionId)
      problems.push(`acknowledged write ${storedKey(ack.write)} answered ${ack.interactionId} but ${ids[0]} is stored`);
  }
  const sent = new Set(writes.map(storedKey));
  for (const key of byKey.keys()) if (!sent.has(key)) problems.push(`stored interaction ${key} was never sent`);

  const model = await loadScoringModel(prisma, workspaceId);
  const compiled = compileModel(model);
  const customers = await prisma.customer.findMany({
    where: { workspaceId },
    select: { id: true, externalId: true, score: true, band: true, scoreComputedAt: true, scoreModelVersion: true },
  });
  // Read for all customers at once (a crash loop leaves thousands): each customer's inputs up to the
  // latest instant any was scored at (interactionsAt and scoringInputAt then cut them at its own),
  // its latest interaction and its latest snapshot. One query per customer each cost seconds on PGlite.
  const scored = customers.filter((c) => c.scoreComputedAt);
  const latestScoring = new Date(Math.max(0, ...scored.map((c) => c.scoreComputedAt!.getTime())));
  const inputs = new Map(
    (
      await loadCustomerInputs(
        prisma,
        workspaceId,
        scored.map((c) => c.id),
        latestScoring,
      )
    ).map((i) => [i.id, i]),
  );
  const latestInteraction = new Map(
    (await prisma.interaction.groupBy({ by: ['customerId'], where: { workspaceId }, _max: { occurredAt: true } })).map(
      (row) => [row.customerId, row._max.occurredAt],
    ),
  );
  const latestSnapshot = new Map(
    (
      await prisma.scoreSnapshot.findMany({
        where: { workspaceId },
        distinct: ['customerId'],
        orderBy: [{ customerId: 'asc' }, { computedAt: 'desc' }],
        select: { customerId: true, score: true, band: true, computedAt: true },
      })
    ).map(({ customerId, ...snapshot }) => [customerId, snapshot]),
  );
  for (const customer of customers) {
    const who = `customer ${customer.externalId}`;
    const at = customer.scoreComputedAt;
    if (!at) {
      // Never scored: fine for a customer nothing was recorded for yet (a rescoring left to resume).
      if (latestInteraction.has(customer.id)) problems.push(`${who} has interactions but no stored score`);
      continue;
    }
    if (customer.scoreModelVersion !== model.version)
      problems.push(`${who} was scored under model ${customer.scoreModelVersion}, the model is ${model.version}`);
    const own = inputs.get(customer.id)!;
    const fresh = scoreCustomer(compiled, scoringInputAt(own, at), interactionsAt(own, at), at);
    if (fresh.score !== customer.score || fresh.band.key !== customer.band) {
      problems.push(
        `${who}: stored ${customer.score} ${customer.band} as of ${at.toISOString()}, recomputed ${fresh.score} ${fresh.band.key}`,
      );
    }
    const latest = latestInteraction.get(customer.id);
    if (latest && latest > at) {
      problems.push(
        `${who}: the stored score (as of ${at.toISOString()}) leaves out an interaction of ${latest.toISOString()}`,
      );
    }
    const snapshot = latestSnapshot.get(customer.id);
    if (
      !snapshot ||
      snapshot.score !== customer.score ||
      snapshot.band !== customer.band ||
      snapshot.computedAt.getTime() !== at.getTime()
    ) {
      problems.push(
        `${who}: stored ${customer.score} ${customer.band} as of ${at.toISOString()}, latest snapshot ${JSON.stringify(snapshot)}`,
      );
    }
  }
  return { interactions: stored.length, customers: customers.length, problems };
}
