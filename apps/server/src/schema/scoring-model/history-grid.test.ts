// History at its proper instants, through the API: interactions recorded for the past backfill a
// weekly history (with category sub-scores) that reads as `healthAsOf` at the same instants, and
// `recomputeScoreHistory(from:, to:, everyDays:)` builds a grid for chosen instants as a job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '@pulso/scoring';
import { createTestServer, type TestServer } from '../../testing.ts';

const HISTORY = `query ($from: DateTime!) { customer(externalId: "imported") {
  scoreHistory(from: $from) { computedAt score band categories { key subScore } }
} }`;
const AS_OF = `query ($at: DateTime!) { customer(externalId: "imported") {
  healthAsOf(at: $at) { score: value band categories { key subScore } }
} }`;

interface Point {
  computedAt: string;
  score: number;
  band: string;
  categories: { key: string; subScore: number | null }[];
}

for (const database of ['pglite', 'postgres'] as const) {
  describe(`history grid through the API (${database})`, () => {
    let t: TestServer;
    const now = Date.now();
    const daysAgo = (n: number) => new Date(now - n * DAY_MS).toISOString();
    beforeAll(async () => {
      t = await createTestServer({ database });
      const interactions = Array.from({ length: 20 }, (_, i) => ({
        customer: { externalId: 'imported', name: 'Imported' },
        type: 'meeting',
        occurredAt: daysAgo(180 - i * 6),
        sentiment: 'LIKED',
        idempotencyKey: `import-${i}`,
      }));
      const recorded = await t.graphql(
        `mutation ($i: [RecordInteractionInput!]!) { recordInteractions(interactions: $i) { __typename } }`,
        { i: interactions },
      );
      expect(recorded.body.data.recordInteractions.__typename).toBe('RecordedInteractions');
      // The write kicked the server's runner: wait for the backfill it queued.
      await t.server.rescoreRunner.idle();
    }, 120_000);
    afterAll(() => t?.close());

    it('backfills a weekly history over the imported months that reads as healthAsOf', async () => {
      const jobs = await t.graphql(`{ rescoreJobs { nodes { reason status everyDays historyFrom progress } } }`);
      expect(jobs.body.data.rescoreJobs.nodes).toEqual([
        expect.objectContaining({ reason: 'history backfill', status: 'SUCCEEDED', everyDays: 7, progress: 1 }),
      ]);
      const history = (await t.graphql(HISTORY, { from: daysAgo(200) })).body.data.customer.scoreHistory as Point[];
      const weekly = history.filter((p) => new Date(p.computedAt).getTime() % (7 * DAY_MS) === 0);
      // Every epoch-aligned week from the first interaction (180 days ago) to now.
      const week = 7 * DAY_MS;
      expect(weekly.length).toBe(Math.floor(now / week) - Math.ceil((now - 180 * DAY_MS) / week) + 1);
      for (const point of weekly) {
        const read = await t.graphql(AS_OF, { at: point.computedAt });
        expect(read.body.errors).toBeUndefined();
        const asOf = read.body.data.customer.healthAsOf;
        expect({ score: point.score, band: point.band, categories: point.categories }).toEqual(asOf);
      }
      expect(weekly[0]!.categories.some((c) => c.subScore !== null)).toBe(true);
    });

    it('builds the grid for chosen instants with recomputeScoreHistory, and a rerun changes nothing', async () => {
      const args = { from: daysAgo(90), to: daysAgo(30), everyDays: 15 };
      const build = async () => {
        const started = await t.graphql(
          `mutation ($from: DateTime, $to: DateTime, $everyDays: Int) {
            recomputeScoreHistory(from: $from, to: $to, everyDays: $everyDays) {
              ... on RescoreJob { id reason asOf historyFrom everyDays total }
            }
          }`,
          args,
        );
        expect(started.body.data.recomputeScoreHistory).toMatchObject({
          reason: 'history grid',
          asOf: args.to,
          historyFrom: args.from,
          everyDays: 15,
          total: 1,
        });
        await t.server.rescoreRunner.idle();
        const job = await t.graphql(`query ($id: ID!) { rescoreJob(id: $id) { status progress } }`, {
          id: started.body.data.recomputeScoreHistory.id,
        });
        expect(job.body.data.rescoreJob).toEqual({ status: 'SUCCEEDED', progress: 1 });
        return (await t.graphql(HISTORY, { from: daysAgo(200) })).body.data.customer.scoreHistory as Point[];
      };
      const first = await build();
      for (const at of [90, 75, 60, 45, 30].map(daysAgo)) {
        const point = first.find((p) => p.computedAt === at);
        const asOf = (await t.graphql(AS_OF, { at })).body.data.customer.healthAsOf;
        expect(point && { score: point.score, band: point.band, categories: point.categories }).toEqual(asOf);
      }
      expect(await build()).toEqual(first);
    });

    it('refuses a grid in the future, without a start or too dense as a ValidationError naming the argument', async () => {
      const refusal = `... on ValidationError { __typename field code message }`;
      const future = await t.graphql(
        `mutation ($to: DateTime) { recomputeScoreHistory(from: "2026-01-01T00:00:00Z", to: $to) { ${refusal} } }`,
        { to: new Date(now + DAY_MS).toISOString() },
      );
      expect(future.body).toEqual({
        data: {
          recomputeScoreHistory: {
            __typename: 'ValidationError',
            field: 'to',
            code: 'FUTURE_DATE',
            message: 'to: not in the future',
          },
        },
        extensions: { cost: expect.any(Object) },
      });
      const startless = await t.graphql(`mutation { recomputeScoreHistory(everyDays: 3) { ${refusal} } }`);
      expect(startless.body.data.recomputeScoreHistory).toMatchObject({ field: 'from', code: 'MISSING_VALUE' });
      const dense = await t.graphql(
        `mutation { recomputeScoreHistory(from: "2026-01-01T00:00:00Z", everyDays: 0) { ${refusal} } }`,
      );
      expect(dense.body.data.recomputeScoreHistory).toMatchObject({ field: 'everyDays', code: 'OUT_OF_RANGE' });
    });

    it('lists every problem of a bad grid in one ValidationError, the one answered alone before first', async () => {
      const GRID = `mutation ($from: DateTime, $to: DateTime, $everyDays: Int) {
        recomputeScoreHistory(from: $from, to: $to, everyDays: $everyDays) {
          __typename ... on ValidationError { field code message problems { field code message } } } }`;
      const jobs = await t.database.prisma.rescoreRun.count({ where: { workspaceId: t.workspaceId } });
      const backwards = await t.graphql(GRID, {
        from: new Date(now + 10 * DAY_MS).toISOString(),
        to: new Date(now + DAY_MS).toISOString(),
        everyDays: 0,
      });
      expect(backwards.body.data.recomputeScoreHistory).toEqual({
        __typename: 'ValidationError',
        field: 'everyDays',
        code: 'OUT_OF_RANGE',
        message: '3 invalid fields: everyDays, to, from',
        problems: [
          { field: 'everyDays', code: 'OUT_OF_RANGE', message: '1 to 366' },
          { field: 'to', code: 'FUTURE_DATE', message: 'not in the future' },
          { field: 'from', code: 'OUT_OF_RANGE', message: 'at or before to' },
        ],
      });
      const startless = await t.graphql(GRID, { to: new Date(now + DAY_MS).toISOString(), everyDays: 400 });
      expect(startless.body.data.recomputeScoreHistory).toMatchObject({
        field: 'from',
        code: 'MISSING_VALUE',
        problems: [
          { field: 'from', code: 'MISSING_VALUE' },
          { field: 'everyDays', code: 'OUT_OF_RANGE' },
          { field: 'to', code: 'FUTURE_DATE' },
        ],
      });
      expect(await t.database.prisma.rescoreRun.count({ where: { workspaceId: t.workspaceId } })).toBe(jobs);
    });
  });
}
