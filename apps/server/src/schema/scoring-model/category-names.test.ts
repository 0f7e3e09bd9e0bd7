// A category's names in other languages: given with the category, checked, written back as Intl
// writes their tags, and shown wherever a widget words a category (the gauge's categories, the
// at-risk reason naming a weak one). A model change that rescores nobody.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../../testing.ts';

const CHANGE = `
  __typename
  ... on ScoringModelChange { version rescoreJob { id } }
  ... on ScoringModelError { field code message problems { field code message } }
`;

for (const database of ['pglite', 'postgres'] as const) {
  describe(`category names in other languages (${database})`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await createTestServer({ over: 'fetch', workspace: 'demo', demoCustomers: 12, database });
    });
    afterAll(() => t?.close());

    const namesOf = async (key: string) => {
      const { body } = await t.graphql(`{ scoringModel { categories { key names { locale name } } } }`);
      return body.data.scoringModel.categories.find((c: { key: string }) => c.key === key).names;
    };

    it('takes them with a new category and a changed one, written back by tag, without a rescoring', async () => {
      const created = await t.graphql(
        `mutation { createCategory(input: { key: "community", name: "Community", weight: 10,
          names: [{ locale: "pt-br", name: "Comunidade" }, { locale: "es", name: "Comunidad" }] }) { ${CHANGE} } }`,
      );
      expect(created.body.errors).toBeUndefined();
      expect(created.body.data.createCategory.__typename).toBe('ScoringModelChange');
      expect(await namesOf('community')).toEqual([
        { locale: 'es', name: 'Comunidad' },
        { locale: 'pt-BR', name: 'Comunidade' },
      ]);

      const updated = await t.graphql(
        `mutation { updateCategory(key: "support", input: { names: [{ locale: "pt-BR", name: "Atendimento" }] }) { ${CHANGE} } }`,
      );
      const version = updated.body.data.updateCategory.version;
      expect(updated.body.data.updateCategory).toMatchObject({ __typename: 'ScoringModelChange', rescoreJob: null });
      expect(await namesOf('support')).toEqual([{ locale: 'pt-BR', name: 'Atendimento' }]);
      // The same names again change nothing: no new version.
      const again = await t.graphql(
        `mutation { updateCategory(key: "support", input: { names: [{ locale: "pt-BR", name: "Atendimento" }] }) { ${CHANGE} } }`,
      );
      expect(again.body.data.updateCategory).toMatchObject({ version, rescoreJob: null });
      // Another change leaves them; an empty list removes them.
      await t.graphql(`mutation { updateCategory(key: "support", input: { description: "Tickets" }) { ${CHANGE} } }`);
      expect(await namesOf('support')).toEqual([{ locale: 'pt-BR', name: 'Atendimento' }]);
      await t.graphql(`mutation { updateCategory(key: "support", input: { names: [] }) { ${CHANGE} } }`);
      expect(await namesOf('support')).toEqual([]);
    });

    it('refuses a tag that is none, a language named twice and a blank name, all at once, writing nothing', async () => {
      const before = await t.graphql(`{ workspace { scoringModelVersion } }`);
      const refused = await t.graphql(
        `mutation { updateCategory(key: "engagement", input: { names: [
          { locale: "not a tag", name: "x" }, { locale: "es", name: "Compromiso" }, { locale: "ES", name: "Otro" },
          { locale: "pt-BR", name: "  " }] }) { ${CHANGE} } }`,
      );
      expect(refused.body.errors).toBeUndefined();
      const error = refused.body.data.updateCategory;
      expect(error.__typename).toBe('ScoringModelError');
      expect(error.problems).toEqual([
        {
          field: 'categories.engagement.names[0].locale',
          code: 'INVALID',
          message: expect.stringContaining('"not a tag"'),
        },
        { field: 'categories.engagement.names[2].locale', code: 'INVALID', message: 'es is named twice' },
        { field: 'categories.engagement.names[3].name', code: 'INVALID', message: expect.stringContaining('empty') },
      ]);
      const after = await t.graphql(`{ workspace { scoringModelVersion } }`);
      expect(after.body.data.workspace.scoringModelVersion).toBe(before.body.data.workspace.scoringModelVersion);
      expect(await namesOf('engagement')).toEqual([]);
    });

    it("shows them on a score's categories and on an at-risk reason naming a weak category", async () => {
      type Reason = { code: string; params: { name: string; text: string | null }[]; categoryNames: unknown[] };
      const reasons = async (): Promise<Reason[]> => {
        const { body } = await t.graphql(
          `{ atRiskCustomers(first: 100) { reasons { code params { name text } categoryNames { locale name } } } }`,
        );
        return body.data.atRiskCustomers.flatMap((c: { reasons: Reason[] }) => c.reasons);
      };
      const categoryOf = (reason: Reason) => reason.params.find((p) => p.name === 'category')?.text;
      // Named in Spanish: a category an at-risk reason names as weak.
      const weak = categoryOf((await reasons()).find((r) => r.code === 'WEAK_CATEGORY')!)!;
      expect(weak).toBeTruthy();
      await t.graphql(
        `mutation($key: String!) { updateCategory(key: $key, input: { names: [{ locale: "es", name: "Nombre propio" }] }) { ${CHANGE} } }`,
        { key: weak },
      );
      // As the model has them now (the first test's community too, once its rescoring reached a customer).
      const expected: Record<string, unknown[]> = {
        [weak]: [{ locale: 'es', name: 'Nombre propio' }],
        community: [
          { locale: 'es', name: 'Comunidad' },
          { locale: 'pt-BR', name: 'Comunidade' },
        ],
      };
      const { body } = await t.graphql(
        `{ customers(first: 20) { edges { node { health { categories { key names { locale name } } } } } } }`,
      );
      const categories = body.data.customers.edges.flatMap(
        (e: { node: { health: { categories: unknown[] } | null } }) => e.node.health?.categories ?? [],
      ) as { key: string; names: unknown[] }[];
      expect(categories.some((c) => c.key === weak)).toBe(true);
      for (const category of categories) expect(category.names).toEqual(expected[category.key] ?? []);
      const after = await reasons();
      expect(after.some((r) => r.code === 'WEAK_CATEGORY' && categoryOf(r) === weak)).toBe(true);
      for (const reason of after)
        expect(reason.categoryNames).toEqual(
          reason.code === 'WEAK_CATEGORY' ? (expected[categoryOf(reason)!] ?? []) : [],
        );
    });
  });
}
