// Writes straight into the database (PostgreSQL, or a PGlite folder no server holds) through the
// @pulso/core functions the API's mutations call — saveCustomers, recordInteractions,
// recordOutcomes — so each batch is stored, scored and its history queued exactly as a server
// would do it, with the same content hashes beside the idempotency keys: a run resumed through a
// server finds every row this one stored. After the last batch the queued history is written here
// (a rescoring runner, the same table-backed job the server runs), since no server may be running.
import {
  IdempotencyConflictError,
  InteractionValidationError,
  type InteractionWrite,
  loadScoringModel,
  type OutcomeWrite,
  RescoreRunner,
  recordInteractions,
  recordOutcomes,
  saveCustomers,
  ValidationError,
} from '@pulso/core';
import type { Database } from '@pulso/database';
import type { ScoringModel } from '@pulso/scoring';
import { BatchRefused, type CustomerWrite, type ImportSink, type Lookup } from './sink.ts';

/** The writes at fault, by their position in the batch, from a refusal's field paths (`interactions[3].value`). */
export function refusalOf(error: unknown): BatchRefused | null {
  const index = (field: string) => Number(/^\w+\[(\d+)\]/.exec(field)?.[1] ?? Number.NaN);
  if (error instanceof IdempotencyConflictError)
    return new BatchRefused([{ index: index(error.field), reason: error.message, conflict: true }]);
  if (error instanceof InteractionValidationError || error instanceof ValidationError)
    return new BatchRefused(
      error.problems
        .map((p) => ({ index: index(p.field), reason: p.message, code: p.code }))
        .filter((p) => !Number.isNaN(p.index)),
    );
  return null;
}

export function directSink(
  database: Database,
  workspace: { id: string; slug: string },
  where: string,
  signal?: AbortSignal,
): ImportSink {
  const { prisma } = database;
  const workspaceId = workspace.id;
  const refused = <T>(run: () => Promise<T>) =>
    run().catch((error: unknown) => {
      throw refusalOf(error) ?? error;
    });
  return {
    where,
    workspace,
    async model(): Promise<ScoringModel> {
      const { version: _version, ...model } = await loadScoringModel(prisma, workspaceId);
      return model;
    },
    async lookup(externalIds, interactionKeys, outcomeKeys): Promise<Lookup> {
      const [customers, interactions, outcomes] = await Promise.all([
        externalIds.length
          ? prisma.customer.findMany({
              where: { workspaceId, externalId: { in: externalIds } },
              select: { externalId: true, name: true, segment: true, properties: true },
            })
          : [],
        interactionKeys.length
          ? prisma.interaction.findMany({
              where: { workspaceId, idempotencyKey: { in: interactionKeys } },
              select: { idempotencyKey: true },
            })
          : [],
        outcomeKeys.length
          ? prisma.customerOutcome.findMany({
              where: { workspaceId, idempotencyKey: { in: outcomeKeys } },
              select: { idempotencyKey: true },
            })
          : [],
      ]);
      return {
        customers: new Map(
          customers.map((c) => [
            c.externalId,
            { name: c.name, segment: c.segment, properties: (c.properties ?? {}) as Record<string, unknown> },
          ]),
        ),
        interactions: new Set(interactions.map((i) => i.idempotencyKey!)),
        outcomes: new Set(outcomes.map((o) => o.idempotencyKey!)),
      };
    },
    async saveCustomers(customers: CustomerWrite[], scoreNew: boolean) {
      const { results } = await saveCustomers(prisma, workspaceId, customers, { scoreNew });
      return new Set(results.filter((r) => r.created).map((r) => r.externalId));
    },
    recordInteractions: (writes: InteractionWrite[]) =>
      refused(async () => {
        const { results } = await recordInteractions(prisma, workspaceId, writes);
        const replayed = results.filter((r) => r.replayed).length;
        return { recorded: results.length - replayed, replayed };
      }),
    recordOutcomes: (writes: OutcomeWrite[]) =>
      refused(async () => {
        const { results } = await recordOutcomes(prisma, workspaceId, writes);
        const replayed = results.filter((r) => r.replayed).length;
        const states = await prisma.customer.findMany({
          where: { workspaceId, id: { in: [...new Set(results.filter((r) => !r.replayed).map((r) => r.customerId))] } },
          select: { externalId: true, churnedAt: true },
        });
        return {
          recorded: results.length - replayed,
          replayed,
          churned: new Map(states.map((c) => [c.externalId, c.churnedAt !== null])),
        };
      }),
    async finish(onProgress) {
      // Every pending run, this import's history and any an interrupted import left.
      const runner = new RescoreRunner(prisma, { onChunk: (run) => onProgress(run.done, run.total) });
      const stop = () => void runner.stop();
      signal?.addEventListener('abort', stop);
      try {
        runner.kick();
        await runner.idle();
      } finally {
        signal?.removeEventListener('abort', stop);
      }
      return signal?.aborted
        ? 'their history at past instants is queued: the server, or the next import, writes it'
        : 'their history at past instants is written';
    },
    close: () => database.close(),
  };
}
