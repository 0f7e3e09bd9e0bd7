// A customer's interactions, page by page, for a whole page of customers at once. Prisma's nested
// `take` would read every interaction of those customers and cut in memory, and its relation
// `_count` aggregates the whole Interaction table; here each customer's page is an index range
// scan (Interaction(customerId, occurredAt DESC)) under one LATERAL join, and counts group only the
// customers asked for.
import { createContextCache } from '@pothos/core';
import type { ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { Prisma, type Interaction } from '@pulso/database';
import { getDatamodel } from '@pulso/database/pothos-types';
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { callerOf, type Context } from '../../context.ts';

export interface InteractionFilterInput {
  typeKeys?: string[] | null;
  categoryKeys?: string[] | null;
  sentiments?: string[] | null;
  journeyStages?: string[] | null;
  occurredAfter?: Date | null;
  occurredBefore?: Date | null;
}

/** Newest first: the cursor is the interaction's instant and id. */
export function interactionCursor(interaction: Pick<Interaction, 'occurredAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([interaction.occurredAt.toISOString(), interaction.id])).toString('base64url');
}

function parseCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (
      typeof at === 'string' &&
      typeof id === 'string' &&
      /^[0-9a-f-]{36}$/i.test(id) &&
      !Number.isNaN(Date.parse(at))
    )
      return { at: new Date(at), id };
  } catch {
    // falls through
  }
  throw new GraphQLError('the cursor is not one this connection returned', { extensions: { code: 'BAD_USER_INPUT' } });
}

/** Joins and conditions on `i` (Interaction) for a filter. */
function filterSql(filter: InteractionFilterInput | null) {
  const joins: Prisma.Sql[] = [];
  const conditions: Prisma.Sql[] = [];
  if (filter?.typeKeys || filter?.categoryKeys)
    joins.push(Prisma.sql`JOIN "InteractionType" t ON t."workspaceId" = i."workspaceId" AND t."id" = i."typeId"`);
  if (filter?.categoryKeys)
    joins.push(Prisma.sql`JOIN "Category" cat ON cat."workspaceId" = t."workspaceId" AND cat."id" = t."categoryId"`);
  if (filter?.typeKeys) conditions.push(Prisma.sql`t."key" = ANY(${filter.typeKeys}::text[])`);
  if (filter?.categoryKeys) conditions.push(Prisma.sql`cat."key" = ANY(${filter.categoryKeys}::text[])`);
  if (filter?.sentiments) conditions.push(Prisma.sql`i."sentiment"::text = ANY(${filter.sentiments}::text[])`);
  if (filter?.journeyStages) conditions.push(Prisma.sql`i."journeyStage"::text = ANY(${filter.journeyStages}::text[])`);
  if (filter?.occurredAfter) conditions.push(Prisma.sql`i."occurredAt" >= ${filter.occurredAfter}`);
  if (filter?.occurredBefore) conditions.push(Prisma.sql`i."occurredAt" < ${filter.occurredBefore}`);
  return { joins: joins.length ? Prisma.join(joins, ' ') : Prisma.empty, conditions };
}

interface PageKey {
  customerId: string;
  filter: InteractionFilterInput | null;
  page: ResolveCursorConnectionArgs;
  /** The Prisma selection for the nodes (type, category...), from the GraphQL selection. */
  query: object;
}

type Selection = Record<string, unknown>;

/** The scalar columns of a model, from the datamodel Pothos was generated with. */
function columnsOf(model: string): { scalars: Set<string>; dates: string[] } {
  const fields = getDatamodel().datamodel.models[model]!.fields;
  return {
    scalars: new Set(fields.filter((f) => f.kind !== 'object').map((f) => f.name)),
    dates: fields.filter((f) => f.type === 'DateTime').map((f) => f.name),
  };
}
const INTERACTION = columnsOf('Interaction');
const INTERACTION_TYPE = columnsOf('InteractionType');
const CATEGORY = columnsOf('Category');

/**
 * Whether a node selection asks for nothing but the interaction's own columns: the one-statement
 * read serves it (with the type and category beside each row). Anything else (the customer, a
 * count...) is loaded by Prisma from the selection.
 */
function selectsScalarsOnly(query: object): boolean {
  const { select, include, ...rest } = query as { select?: Selection; include?: Selection };
  if (Object.keys(rest).length > 0) return false;
  return Object.entries(select ?? include ?? {}).every(
    ([field, wanted]) => wanted === false || (INTERACTION.scalars.has(field) && wanted === true),
  );
}

/** A row of a JSON column as Prisma would return it: its DateTime fields as Dates. */
function withDates<T extends Record<string, unknown>>(row: T, dates: string[]): T {
  for (const field of dates)
    if (typeof row[field] === 'string') (row as Record<string, unknown>)[field] = new Date(row[field] as string);
  return row;
}

interface InteractionRow extends Interaction {
  _type: Record<string, unknown> | null;
  _category: Record<string, unknown> | null;
}

/** Pages of interactions, batched over every customer asking with the same arguments and selection. */
export const interactionPageLoader = createContextCache(
  (ctx: Context) =>
    new DataLoader<PageKey, Interaction[], string>(
      async (keys) => {
        const groups = new Map<string, PageKey[]>();
        for (const key of keys) {
          const shape = pageShape(key);
          groups.set(shape, [...(groups.get(shape) ?? []), key]);
        }
        const byCustomer = new Map<string, Interaction[]>();
        for (const [shape, group] of groups) {
          const { filter, page, query } = group[0]!;
          const { joins, conditions } = filterSql(filter);
          const bounds = [...conditions];
          // Newest first going forwards: "after" is older, "before" is newer.
          if (page.after) {
            const c = parseCursor(page.after);
            bounds.push(Prisma.sql`(i."occurredAt", i."id") < (${c.at}, ${c.id}::uuid)`);
          }
          if (page.before) {
            const c = parseCursor(page.before);
            bounds.push(Prisma.sql`(i."occurredAt", i."id") > (${c.at}, ${c.id}::uuid)`);
          }
          const order = page.inverted
            ? Prisma.sql`i."occurredAt" ASC, i."id" ASC`
            : Prisma.sql`i."occurredAt" DESC, i."id" DESC`;
          const outerOrder = page.inverted
            ? Prisma.sql`x."occurredAt" ASC, x."id" ASC`
            : Prisma.sql`x."occurredAt" DESC, x."id" DESC`;
          const where = bounds.length ? Prisma.sql`AND ${Prisma.join(bounds, ' AND ')}` : Prisma.empty;
          const customerIds = [...new Set(group.map((k) => k.customerId))];
          const add = (interaction: Interaction) => {
            const key = `${interaction.customerId}|${shape}`;
            const list = byCustomer.get(key);
            if (list) list.push(interaction);
            else byCustomer.set(key, [interaction]);
          };
          if (selectsScalarsOnly(query)) {
            // One statement: the rows, ordered per customer, each type with its category as JSON on
            // the first row of that type only (a page of 100 customers has ~500 rows and ~20 types:
            // decoding each type once took a quarter off the page's CPU in an alternated run).
            // Interaction.type and InteractionType.category read them where they are.
            const rows = await ctx.prisma.$queryRaw<InteractionRow[]>`
              SELECT x.*,
                     CASE WHEN row_number() OVER types = 1 THEN to_jsonb(it) END AS "_type",
                     CASE WHEN row_number() OVER types = 1 THEN to_jsonb(ic) END AS "_category"
              FROM unnest(${customerIds}::uuid[]) AS c("id")
              CROSS JOIN LATERAL (
                SELECT i.* FROM "Interaction" i ${joins}
                WHERE i."customerId" = c."id" ${where}
                ORDER BY ${order} LIMIT ${page.limit}) x
              JOIN "InteractionType" it ON it."workspaceId" = x."workspaceId" AND it."id" = x."typeId"
              JOIN "Category" ic ON ic."workspaceId" = it."workspaceId" AND ic."id" = it."categoryId"
              WINDOW types AS (PARTITION BY x."typeId")
              ORDER BY x."customerId", ${outerOrder}`;
            const types = new Map<string, Record<string, unknown>>();
            for (const { typeId, _type, _category } of rows) {
              if (!_type) continue;
              const type = withDates(_type, INTERACTION_TYPE.dates);
              if (_category) type.category = withDates(_category, CATEGORY.dates);
              types.set(typeId, type);
            }
            for (const { _type, _category, ...row } of rows) {
              const interaction = withDates(row as Interaction & Record<string, unknown>, INTERACTION.dates);
              (interaction as Record<string, unknown>).type = types.get(interaction.typeId);
              add(interaction);
            }
            continue;
          }
          const rows = await ctx.prisma.$queryRaw<{ id: string }[]>`
            SELECT x."id"::text AS "id"
            FROM unnest(${customerIds}::uuid[]) AS c("id")
            CROSS JOIN LATERAL (
              SELECT i."id" FROM "Interaction" i ${joins}
              WHERE i."customerId" = c."id" ${where}
              ORDER BY ${order} LIMIT ${page.limit}) x`;
          if (rows.length === 0) continue;
          const loaded = (await ctx.prisma.interaction.findMany({
            ...query,
            // The caller's workspace leads the key: the interactions' customers are its own.
            where: { workspaceId: callerOf(ctx).workspaceId, id: { in: rows.map((r) => r.id) } },
            orderBy: page.inverted ? [{ occurredAt: 'asc' }, { id: 'asc' }] : [{ occurredAt: 'desc' }, { id: 'desc' }],
          })) as Interaction[];
          for (const interaction of loaded) add(interaction);
        }
        return keys.map((k) => byCustomer.get(`${k.customerId}|${pageShape(k)}`) ?? []);
      },
      { cacheKeyFn: (k) => `${k.customerId}|${pageShape(k)}` },
    ),
);

/** What a page depends on besides the customer; computed once per key. */
const shapes = new WeakMap<PageKey, string>();
function pageShape(key: PageKey): string {
  let shape = shapes.get(key);
  if (shape === undefined) shapes.set(key, (shape = JSON.stringify([key.filter, key.page, key.query])));
  return shape;
}

interface CountKey {
  customerId: string;
  filter: InteractionFilterInput | null;
}

/** How many interactions match a filter, per customer, batched like the pages. */
export const interactionCountLoader = createContextCache(
  (ctx: Context) =>
    new DataLoader<CountKey, number, string>(
      async (keys) => {
        const groups = new Map<string, CountKey[]>();
        for (const key of keys) {
          const shape = JSON.stringify(key.filter);
          groups.set(shape, [...(groups.get(shape) ?? []), key]);
        }
        const counts = new Map<string, number>();
        for (const [shape, group] of groups) {
          const { joins, conditions } = filterSql(group[0]!.filter);
          const where = conditions.length ? Prisma.sql`AND ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
          const rows = await ctx.prisma.$queryRaw<{ customerId: string; count: number }[]>`
            SELECT i."customerId"::text AS "customerId", count(*)::int AS "count"
            FROM "Interaction" i ${joins}
            WHERE i."customerId" = ANY(${[...new Set(group.map((k) => k.customerId))]}::uuid[]) ${where}
            GROUP BY i."customerId"`;
          for (const row of rows) counts.set(`${row.customerId}|${shape}`, row.count);
        }
        return keys.map((k) => counts.get(`${k.customerId}|${JSON.stringify(k.filter)}`) ?? 0);
      },
      { cacheKeyFn: (k) => `${k.customerId}|${JSON.stringify(k.filter)}` },
    ),
);
