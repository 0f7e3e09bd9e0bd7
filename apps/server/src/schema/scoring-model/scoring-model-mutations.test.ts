import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../../testing.ts';

const CHANGE = `
  __typename
  ... on ScoringModelChange { version rescoreJob { id status total } }
  ... on ScoringModelError { field code message }
`;

for (const database of ['pglite', 'postgres'] as const) {
  describe(`defining the scoring model over GraphQL (${database})`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await createTestServer({ over: 'fetch', workspace: 'demo', demoCustomers: 12, database });
    });
    afterAll(() => t?.close());

    it('refuses to make a type an answer while recorded interactions of it have no value (they could no longer be scored)', async () => {
      const before = await t.graphql(`{ workspace { scoringModelVersion } }`);
      const refused = await t.graphql(
        `mutation { updateInteractionType(key: "support_ticket", input: { sentimentHandling: FROM_VALUE, valueScale: CSAT }) { ${CHANGE} } }`,
      );
      expect(refused.body.errors).toBeUndefined();
      expect(refused.body.data.updateInteractionType).toMatchObject({
        __typename: 'ScoringModelError',
        field: 'interactionTypes.support_ticket.sentimentHandling',
        code: 'IN_USE',
      });
      expect(refused.body.data.updateInteractionType.message).toMatch(
        /recorded "support_ticket" interactions have no value/,
      );
      const after = await t.graphql(`{ workspace { scoringModelVersion } }`);
      expect(after.body.data.workspace.scoringModelVersion).toBe(before.body.data.workspace.scoringModelVersion);
      // Customers are still scored: the change wrote nothing.
      const customer = await t.graphql(`{ customers(first: 1) { edges { node { id } } } }`);
      const updated = await t.graphql(
        `mutation($id: ID!) { updateCustomer(id: $id, patch: { segment: "enterprise" }) { __typename } }`,
        { id: customer.body.data.customers.edges[0].node.id },
      );
      expect(updated.body).toEqual({
        data: { updateCustomer: { __typename: 'Customer' } },
        extensions: { cost: expect.any(Object) },
      });
    });

    it('creates, updates and deletes a category and an interaction type, one model version each', async () => {
      const created = await t.graphql(
        `mutation { createCategory(input: { key: "community", name: "Community", weight: 10 }) { ${CHANGE} } }`,
      );
      expect(created.body.errors).toBeUndefined();
      expect(created.body.data.createCategory).toMatchObject({ __typename: 'ScoringModelChange', version: 2 });
      const type = await t.graphql(
        `mutation { createInteractionType(input: { key: "forum_post", name: "Forum post", categoryKey: "community", basePoints: 4 }) { ${CHANGE} } }`,
      );
      expect(type.body.data.createInteractionType).toMatchObject({ version: 3, rescoreJob: null });
      const updated = await t.graphql(
        `mutation { updateCategory(key: "community", input: { weight: 20 }) { ${CHANGE} } }`,
      );
      // Every customer but the churned ones, who keep the score they left with.
      const active = await t.database.prisma.customer.count({ where: { workspaceId: t.workspaceId, churnedAt: null } });
      expect(updated.body.data.updateCategory).toMatchObject({ version: 4, rescoreJob: { total: active } });
      const inUse = await t.graphql(`mutation { deleteCategory(key: "community") { ${CHANGE} } }`);
      expect(inUse.body.data.deleteCategory).toMatchObject({
        __typename: 'ScoringModelError',
        field: 'categories.community.key',
        code: 'IN_USE',
      });
      expect(
        (await t.graphql(`mutation { deleteInteractionType(key: "forum_post") { ${CHANGE} } }`)).body.data
          .deleteInteractionType.version,
      ).toBe(5);
      expect(
        (await t.graphql(`mutation { deleteCategory(key: "community") { ${CHANGE} } }`)).body.data.deleteCategory
          .version,
      ).toBe(6);
      const versions = await t.graphql(
        `{ workspace { scoringModelVersion categories { key } } scoringModelVersions(first: 3) { nodes { version note definition } } }`,
      );
      expect(versions.body.data.workspace.scoringModelVersion).toBe(6);
      expect(versions.body.data.workspace.categories.map((c: any) => c.key)).not.toContain('community');
      expect(versions.body.data.scoringModelVersions.nodes.map((v: any) => v.version)).toEqual([6, 5, 4]);
      expect(
        versions.body.data.scoringModelVersions.nodes[2].definition.categories.find((c: any) => c.key === 'community')
          .weight,
      ).toBe(20);
      await t.server.rescoreRunner.idle();
    });

    it('refuses thresholds out of order, weights summing to zero and unknown categories, naming the field', async () => {
      const thresholds = await t.graphql(
        `mutation { updateScoringSettings(input: { bandAtRiskMax: 80, bandNeedsAttentionMax: 60 }) { ${CHANGE} } }`,
      );
      expect(thresholds.body.data.updateScoringSettings).toMatchObject({
        field: 'settings.bandNeedsAttentionMax',
        code: 'THRESHOLDS_OUT_OF_ORDER',
      });
      const zero = await t.graphql(`mutation { applyScoringModelChange(change: { categoryWeights: [
        { categoryKey: "engagement", weight: 0 }, { categoryKey: "product_usage", weight: 0 }, { categoryKey: "support", weight: 0 },
        { categoryKey: "commercial", weight: 0 }, { categoryKey: "satisfaction", weight: 0 } ] }) { ${CHANGE} } }`);
      expect(zero.body.data.applyScoringModelChange).toMatchObject({
        field: 'categories.weight',
        code: 'ZERO_WEIGHTS',
      });
      const unknown = await t.graphql(
        `mutation { createInteractionType(input: { key: "x", name: "X", categoryKey: "nope", basePoints: 1 }) { ${CHANGE} } }`,
      );
      expect(unknown.body.data.createInteractionType).toMatchObject({
        field: 'interactionTypes.x.categoryKey',
        code: 'UNKNOWN_KEY',
      });
      const segment = await t.graphql(
        `mutation { setSegmentWeight(segment: "smb", categoryKey: "nope", weight: 3) { ${CHANGE} } }`,
      );
      expect(segment.body.data.setSegmentWeight).toMatchObject({
        field: 'segmentWeights.smb.nope',
        code: 'UNKNOWN_KEY',
      });
      const scale = await t.graphql(
        `mutation { updateInteractionType(key: "nps", input: { sentimentHandling: SIGNED }) { ${CHANGE} } }`,
      );
      expect(scale.body.data.updateInteractionType).toMatchObject({
        field: 'interactionTypes.nps.valueScale',
        code: 'INVALID_MODEL',
      });
      const halfLife = await t.graphql(
        `mutation { updateScoringSettings(input: { decayHalfLifeDays: 0 }) { ${CHANGE} } }`,
      );
      expect(halfLife.body.data.updateScoringSettings).toMatchObject({
        field: 'settings.decayHalfLifeDays',
        code: 'OUT_OF_RANGE',
      });
      const { body } = await t.graphql(`{ workspace { scoringModelVersion bandAtRiskMax } }`);
      expect(body.data.workspace).toEqual({ scoringModelVersion: 6, bandAtRiskMax: 50 }); // nothing applied
    });

    it('reports every invalid setting in one answer, bounds the silence window, and refuses blank category names', async () => {
      const before = await t.graphql(`{ workspace { scoringModelVersion } }`);
      const refused = async (mutation: string) =>
        (
          await t.graphql(
            `mutation { ${mutation} { __typename ... on ScoringModelError { field code message problems { field code message } } } }`,
          )
        ).body.data;
      const settings = await refused(
        `updateScoringSettings(input: { silenceWindowDays: -1, upsellEngagementMin: 101 })`,
      );
      expect(settings.updateScoringSettings).toEqual({
        __typename: 'ScoringModelError',
        field: 'settings.silenceWindowDays',
        code: 'OUT_OF_RANGE',
        message:
          'settings.silenceWindowDays: must be ≥ 0, got -1; settings.upsellEngagementMin: must be between 0 and 100, got 101',
        problems: [
          {
            field: 'settings.silenceWindowDays',
            code: 'OUT_OF_RANGE',
            message: 'must be ≥ 0, got -1',
          },
          {
            field: 'settings.upsellEngagementMin',
            code: 'OUT_OF_RANGE',
            message: 'must be between 0 and 100, got 101',
          },
        ],
      });
      // A century at most, as the half-life.
      expect(
        (await refused(`updateScoringSettings(input: { silenceWindowDays: 2000000000 })`)).updateScoringSettings,
      ).toMatchObject({
        field: 'settings.silenceWindowDays',
        code: 'OUT_OF_RANGE',
        problems: [{ code: 'OUT_OF_RANGE' }],
      });
      for (const name of ['""', '"   "']) {
        expect(
          (await refused(`createCategory(input: { key: "blank", name: ${name}, weight: 1 })`)).createCategory,
        ).toMatchObject({
          field: 'categories.blank.name',
          code: 'INVALID',
          message: 'categories.blank.name: must not be empty',
        });
        expect(
          (await refused(`updateCategory(key: "support", input: { name: ${name} })`)).updateCategory,
        ).toMatchObject({ field: 'categories.support.name', code: 'INVALID' });
      }
      const after = await t.graphql(`{ workspace { scoringModelVersion silenceWindowDays categories { key name } } }`);
      expect(after.body.data.workspace.scoringModelVersion).toBe(before.body.data.workspace.scoringModelVersion);
      expect(after.body.data.workspace.categories.map((c: any) => c.key)).not.toContain('blank');
      expect(after.body.data.workspace.categories.every((c: any) => c.name.trim() !== '')).toBe(true);
    });

    it('lists the other problems of a new category or type beside a malformed key', async () => {
      const before = await t.graphql(`{ workspace { scoringModelVersion } }`);
      const refused = async (mutation: string) =>
        (
          await t.graphql(
            `mutation { ${mutation} { __typename ... on ScoringModelError { field code message problems { field code message } } } }`,
          )
        ).body.data;
      const keyProblem = 'a key is 1–63 lowercase letters, digits or _, starting with a letter';
      expect(
        (await refused(`createCategory(input: { key: "Bad Key", name: " ", weight: -1 })`)).createCategory,
      ).toEqual({
        __typename: 'ScoringModelError',
        field: 'categories.Bad Key.key',
        code: 'INVALID_MODEL',
        message: `categories.Bad Key.key: ${keyProblem}; categories.Bad Key.name: must not be empty; categories.Bad Key.weight: a weight must be a finite number ≥ 0, got -1`,
        problems: [
          { field: 'categories.Bad Key.key', code: 'INVALID_MODEL', message: keyProblem },
          { field: 'categories.Bad Key.name', code: 'INVALID', message: 'must not be empty' },
          {
            field: 'categories.Bad Key.weight',
            code: 'OUT_OF_RANGE',
            message: 'a weight must be a finite number ≥ 0, got -1',
          },
        ],
      });
      // A malformed key alone is answered as before.
      expect(
        (await refused(`createCategory(input: { key: "9lives", name: "Nine", weight: 1 })`)).createCategory,
      ).toEqual({
        __typename: 'ScoringModelError',
        field: 'categories.9lives.key',
        code: 'INVALID_MODEL',
        message: `categories.9lives.key: ${keyProblem}`,
        problems: [{ field: 'categories.9lives.key', code: 'INVALID_MODEL', message: keyProblem }],
      });
      expect(
        (
          await refused(
            `createInteractionType(input: { key: "Webinar", name: "", categoryKey: "support", basePoints: 1 })`,
          )
        ).createInteractionType.problems,
      ).toEqual([
        { field: 'interactionTypes.Webinar.key', code: 'INVALID_MODEL', message: keyProblem },
        { field: 'interactionTypes.Webinar.name', code: 'INVALID', message: 'must not be empty' },
      ]);
      const after = await t.graphql(`{ workspace { scoringModelVersion } }`);
      expect(after.body.data.workspace.scoringModelVersion).toBe(before.body.data.workspace.scoringModelVersion);
    });

    it('refuses a change giving one thing twice, naming both entries, instead of the last winning', async () => {
      const before = (await t.graphql(`{ workspace { scoringModelVersion } }`)).body.data.workspace;
      const { body } = await t.graphql(
        `mutation { applyScoringModelChange(change: {
          categoryWeights: [{ categoryKey: "support", weight: 20 }, { categoryKey: "support", weight: 30 }],
          segmentWeights: [{ segment: "smb", categoryKey: "support", weight: 5 }, { segment: "smb", categoryKey: "support", weight: 6 }]
        }) { __typename ... on ScoringModelError { problems { field code message } } } }`,
      );
      expect(body.data.applyScoringModelChange).toEqual({
        __typename: 'ScoringModelError',
        problems: [
          {
            field: 'categoryWeights[1]',
            code: 'INVALID',
            message:
              'the weight of category support is given twice in this change (categoryWeights[0] and [1]): keep one',
          },
          {
            field: 'segmentWeights[1]',
            code: 'INVALID',
            message:
              'the weight of category support for segment "smb" is given twice in this change (segmentWeights[0] and [1]): keep one',
          },
        ],
      });
      const after = (await t.graphql(`{ workspace { scoringModelVersion } }`)).body.data.workspace;
      expect(after.scoringModelVersion).toBe(before.scoringModelVersion);
    });

    it('answers the current version of a change that changes nothing, creating no version and queueing no rescoring', async () => {
      const state = async () => ({
        workspace: (await t.graphql(`{ workspace { scoringModelVersion silenceWindowDays } }`)).body.data.workspace,
        versions: await t.database.prisma.scoringModelVersion.count({ where: { workspaceId: t.workspaceId } }),
        jobs: await t.database.prisma.rescoreRun.count({ where: { workspaceId: t.workspaceId } }),
      });
      const before = await state();
      const current = before.workspace.scoringModelVersion;
      const unchanged = { __typename: 'ScoringModelChange', version: current, note: null, rescoreJob: null };
      const NOTED = `__typename ... on ScoringModelChange { version note rescoreJob { id } }`;
      for (const mutation of [
        `updateScoringSettings(input: {})`,
        `updateScoringSettings(input: { silenceWindowDays: ${before.workspace.silenceWindowDays} })`,
        `updateCategory(key: "support", input: { weight: null })`,
        `updateCategory(key: "support", input: {})`,
      ]) {
        const { body } = await t.graphql(`mutation { ${mutation} { ${NOTED} } }`);
        expect(body.errors, mutation).toBeUndefined();
        expect(Object.values(body.data)[0], mutation).toEqual(unchanged);
      }
      expect(await state()).toEqual(before);
    });

    it('rescores only the segment or customer a weight override affects', async () => {
      const { id, segment } = await t.database.prisma.customer.findFirstOrThrow({
        where: { workspaceId: t.workspaceId, segment: { not: null }, churnedAt: null },
      });
      const inSegment = await t.database.prisma.customer.count({
        where: { workspaceId: t.workspaceId, segment, churnedAt: null },
      });
      const bySegment = await t.graphql(
        `mutation ($s: String!) { setSegmentWeight(segment: $s, categoryKey: "support", weight: 60) { ${CHANGE} } }`,
        { s: segment },
      );
      expect(bySegment.body.data.setSegmentWeight.rescoreJob.total).toBe(inSegment);
      const byCustomer = await t.graphql(
        `mutation ($id: ID!) { setCustomerWeight(customerId: $id, categoryKey: "commercial", weight: 0) { ${CHANGE} } }`,
        { id },
      );
      expect(byCustomer.body.errors).toBeUndefined();
      expect(byCustomer.body.data.setCustomerWeight.rescoreJob.total).toBe(1);
      await t.server.rescoreRunner.idle();
      const customer = await t.database.prisma.customer.findFirstOrThrow({ where: { id } });
      expect(customer.scoreModelVersion).toBe(8);
      const breakdown = customer.scoreBreakdown as {
        categories: { key: string; weight: number; weightSource: string }[];
      };
      expect(breakdown.categories.find((c) => c.key === 'commercial')).toMatchObject({
        weight: 0,
        weightSource: 'customer',
      });
      expect(breakdown.categories.find((c) => c.key === 'support')).toMatchObject({
        weight: 60,
        weightSource: 'segment',
      });
    });

    // Last: it creates two versions, which the tests above count.
    it('answers the note its new version records: the one given, else the description Pulso wrote', async () => {
      const noteOf = async (version: number) =>
        (
          await t.database.prisma.scoringModelVersion.findFirstOrThrow({
            where: { workspaceId: t.workspaceId, version },
          })
        ).note;
      const NOTED = `... on ScoringModelChange { version note }`;
      const described = (
        await t.graphql(`mutation { updateScoringSettings(input: { silenceWindowDays: 41 }) { ${NOTED} } }`)
      ).body.data.updateScoringSettings;
      expect(described.note).toEqual(expect.any(String));
      expect(described.note).toBe(await noteOf(described.version));
      const given = (
        await t.graphql(
          `mutation { applyScoringModelChange(change: { settings: { silenceWindowDays: 42 }, note: "longer window" }) { ${NOTED} } }`,
        )
      ).body.data.applyScoringModelChange;
      expect(given).toEqual({ version: described.version + 1, note: 'longer window' });
      expect(await noteOf(given.version)).toBe('longer window');
      await t.server.rescoreRunner.idle();
    });

    it('is for secret keys only', async () => {
      const refused = await t.graphql(
        `mutation { updateScoringSettings(input: { silenceWindowDays: 30 }) { __typename } }`,
        {},
        t.publishableKey,
      );
      expect(refused.body.errors?.[0]?.message).toMatch(/may not use Mutation.updateScoringSettings/);
    });
  });
}

describe('what-if before applying', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', workspace: 'demo', demoCustomers: 40 });
  });
  afterAll(() => t?.close());

  it('counts band changes exactly as applying the change then does, and lists the biggest movers', async () => {
    // Scores as of one instant under the model in force, so that "before" is what is stored.
    await t.graphql(`mutation { rescoreAllCustomers { __typename } }`);
    await t.server.rescoreRunner.idle();
    // Churned customers keep the score they left with: neither the preview nor the rescoring counts them.
    const stored = await t.database.prisma.customer.findMany({
      where: { workspaceId: t.workspaceId, churnedAt: null },
      select: { id: true, band: true, score: true, scoreComputedAt: true },
    });
    // The at-risk line is drawn through the stored scores above it, so that customers cross it whatever
    // scores the demo gives today (its touches are placed relative to the clock: fixed bands such as
    // 60/75 found no customer between the old and new lines on one run).
    const aboveAtRisk = stored
      .map((c) => c.score!)
      .filter((s) => s > 50 && s < 98)
      .sort((a, b) => a - b);
    expect(aboveAtRisk.length).toBeGreaterThan(0);
    const bandAtRiskMax = Math.ceil(aboveAtRisk[Math.floor(aboveAtRisk.length / 2)]!);
    const change = {
      settings: { bandAtRiskMax, bandNeedsAttentionMax: Math.max(bandAtRiskMax + 1, 75) },
      categoryWeights: [{ categoryKey: 'support', weight: 45 }],
      basePoints: [{ interactionTypeKey: 'meeting', basePoints: 2 }],
    };
    const preview = await t.graphql(
      `query ($change: ScoringModelChangeInput!, $asOf: DateTime) { previewScoringModelChange(change: $change, movers: 5, asOf: $asOf) {
        __typename ... on ScoringModelPreview { customers bandChanged improved worsened modelVersion averageBefore averageAfter
          bandChanges { from to count } bandsBefore { atRisk needsAttention healthy } bandsAfter { atRisk needsAttention healthy }
          movers { customerId externalId scoreBefore scoreAfter change bandBefore bandAfter } } } }`,
      { change, asOf: stored[0]!.scoreComputedAt!.toISOString() },
    );
    expect(preview.body.errors).toBeUndefined();
    const p = preview.body.data.previewScoringModelChange;
    expect(p.customers).toBe(stored.length);
    expect(p.bandChanged).toBeGreaterThan(0);
    expect(p.improved + p.worsened).toBe(p.bandChanged);
    expect(p.movers).toHaveLength(5);
    const changes = p.movers.map((m: any) => Math.abs(m.change));
    expect(changes).toEqual([...changes].sort((a, b) => b - a));
    // Nothing was applied.
    expect((await t.graphql(`{ workspace { scoringModelVersion bandAtRiskMax } }`)).body.data.workspace).toEqual({
      scoringModelVersion: 1,
      bandAtRiskMax: 50,
    });

    // Apply it, as of the same instant as the stored scores, and compare.
    const runner = t.server.rescoreRunner;
    await runner.pause();
    const applied = await t.graphql(
      `mutation ($change: ScoringModelChangeInput!) { applyScoringModelChange(change: $change) { ${CHANGE} } }`,
      { change: { ...change, note: 'stricter bands' } },
    );
    expect(applied.body.data.applyScoringModelChange.version).toBe(2);
    await t.database.prisma.rescoreRun.updateMany({
      where: { id: applied.body.data.applyScoringModelChange.rescoreJob.id },
      data: { asOf: stored[0]!.scoreComputedAt! },
    });
    runner.resume();
    await runner.idle();
    const after = new Map(
      (await t.database.prisma.customer.findMany({ where: { workspaceId: t.workspaceId, churnedAt: null } })).map(
        (c) => [c.id, c],
      ),
    );
    const moved = stored.filter((c) => after.get(c.id)!.band !== c.band);
    // Failed once in a full run (13 moved against a preview's 14) and never since, alone or under
    // load or with the clock moved: should it fail again, the message shows every customer's scores.
    const scores = stored.map((c) => `${c.score} ${c.band} → ${after.get(c.id)!.score} ${after.get(c.id)!.band}`);
    expect(
      moved.length,
      `lines ${bandAtRiskMax}/${change.settings.bandNeedsAttentionMax}, preview ${JSON.stringify(p.bandChanges)}: ${scores.join('; ')}`,
    ).toBe(p.bandChanged);
    const pairs = new Map<string, number>();
    for (const c of moved)
      pairs.set(`${c.band}>${after.get(c.id)!.band}`, (pairs.get(`${c.band}>${after.get(c.id)!.band}`) ?? 0) + 1);
    expect(Object.fromEntries(pairs)).toEqual(
      Object.fromEntries(p.bandChanges.map((b: any) => [`${b.from}>${b.to}`, b.count])),
    );
    for (const m of p.movers) expect(after.get(m.customerId)!.score).toBe(m.scoreAfter);
    for (const c of after.values()) expect(c.scoreModelVersion).toBe(2);
    const snapshots = await t.database.prisma.scoreSnapshot.groupBy({
      by: ['modelVersion'],
      where: { workspaceId: t.workspaceId, computedAt: stored[0]!.scoreComputedAt! },
      _count: true,
    });
    expect(snapshots.map((s) => s.modelVersion).sort()).toEqual([1, 2]);
  });

  it('reports an invalid proposal as a typed error', async () => {
    const { body } =
      await t.graphql(`{ previewScoringModelChange(change: { categoryWeights: [{ categoryKey: "nope", weight: 1 }] }) {
      __typename ... on UserError { field code message } } }`);
    expect(body.data.previewScoringModelChange).toMatchObject({
      __typename: 'ScoringModelError',
      field: 'categories.nope.key',
      code: 'UNKNOWN_KEY',
    });
  });
});
