// A category's names in other languages, as the API gives and takes them (the rules: core's
// model/category-names.ts). Shown on the category, on each category of a score (the gauge) and on
// an at-risk reason that names a category, so that a widget shown in one of those languages words
// a workspace's own category in it.
import { createContextCache } from '@pothos/core';
import { categoryNamesList, type LocalizedName, MAX_CATEGORY_NAMES } from '@pulso/core';
import DataLoader from 'dataloader';
import { builder } from '../../builder.ts';
import { callerOf, type Context } from '../../context.ts';

export const CategoryNameRef = builder.objectRef<LocalizedName>('CategoryName').implement({
  description: "A category's name in one language.",
  fields: (t) => ({
    locale: t.exposeString('locale', { description: 'The language: a BCP 47 tag, as Intl writes it (pt-BR, es).' }),
    name: t.exposeString('name', { description: 'The name in that language.' }),
  }),
});

export const CategoryNameInput = builder.inputType('CategoryNameInput', {
  description: "A category's name in one language.",
  fields: (t) => ({
    locale: t.string({
      required: true,
      description: 'A BCP 47 language tag (pt-BR, es); written back as Intl writes it.',
    }),
    name: t.string({ required: true, description: 'The name in that language; not blank.' }),
  }),
});

export const NAMES_DESCRIPTION = `The category's names in other languages, all of them (at most ${MAX_CATEGORY_NAMES}; an empty list removes them): widgets shown in one of those languages use it; any other shows \`name\`. Changes no score.`;

/** Per request: the caller's workspace's categories' names in other languages, by key. */
const categoryNamesLoader = createContextCache(
  (ctx: Context) =>
    new DataLoader<string, Map<string, LocalizedName[]>>(async (workspaceIds) =>
      Promise.all(
        workspaceIds.map(async (workspaceId) => {
          const rows = await ctx.prisma.category.findMany({
            where: { workspaceId },
            select: { key: true, names: true },
          });
          return new Map(rows.map((row) => [row.key, categoryNamesList(row.names)]));
        }),
      ),
    ),
);

/** The names in other languages of the caller's category `key`: none for one deleted since. */
export async function namesOfCategory(ctx: Context, key: string): Promise<LocalizedName[]> {
  return (await categoryNamesLoader(ctx).load(callerOf(ctx).workspaceId)).get(key) ?? [];
}
