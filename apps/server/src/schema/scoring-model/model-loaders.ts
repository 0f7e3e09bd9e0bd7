// An interaction's type and a type's category, by id, batched per request: what `Interaction.type`
// and `InteractionType.category` read when their parent was not loaded with them (the interaction
// page loads both beside each row). Plain fields rather than Pothos relations: a relation finds
// what its parent's query loaded through the executor's path objects, which the compiled executor
// (plugins/compiled-execution.ts) builds anew for each call, so every row would load again.
import { createContextCache } from '@pothos/core';
import type { Category, InteractionType } from '@pulso/database';
import DataLoader from 'dataloader';
import { callerOf, type Context } from '../../context.ts';

function loaderById<T extends { id: string }>(
  what: string,
  load: (ctx: Context, workspaceId: string, ids: string[]) => Promise<T[]>,
): (ctx: Context) => DataLoader<string, T> {
  return createContextCache(
    (ctx: Context) =>
      new DataLoader<string, T>(async (ids) => {
        const rows = await load(ctx, callerOf(ctx).workspaceId, [...ids]);
        const found = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => found.get(id) ?? new Error(`${what} ${id} is not in the caller's workspace`));
      }),
  );
}

export const interactionTypeLoader = loaderById<InteractionType>('interaction type', (ctx, workspaceId, ids) =>
  ctx.prisma.interactionType.findMany({ where: { workspaceId, id: { in: ids } } }),
);

export const categoryLoader = loaderById<Category>('category', (ctx, workspaceId, ids) =>
  ctx.prisma.category.findMany({ where: { workspaceId, id: { in: ids } } }),
);
