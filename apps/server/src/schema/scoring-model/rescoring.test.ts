import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueRescore, RescoreRunner, startRescoreSchedule } from '@pulso/core';
import { DAY_MS } from '@pulso/scoring';
import { createTestServer, type TestServer } from '../../testing.ts';

for (const database of ['pglite', 'postgres'] as const) {
  describe(`rescoring jobs (${database})`, () => {
    let t: TestServer;
    beforeAll(async () => {
      // The mechanics of rescoring, on customers that all take part: no churns in this demo.
      t = await createTestServer({
        over: 'fetch',
        workspace: 'demo',
        demoCustomers: 30,
        demoOutcomes: false,
        database,
      });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('resumes after an interruption halfway, rescoring every customer exactly once', async () => {
      const asOf = new Date();
      const run = await enqueueRescore(t.database.prisma, { workspaceId: t.workspaceId, reason: 'test', asOf });
      expect(run.total).toBe(30);
      const progress: number[] = [];
      const crashing = new RescoreRunner(t.database.prisma, {
        chunkSize: 7,
        crashAfterChunks: 2,
        onChunk: (r) => progress.push(r.done),
      });
      crashing.kick();
      await crashing.idle();
      expect(progress).toEqual([7, 14]);
      const half = await t.graphql(`query ($id: ID!) { rescoreJob(id: $id) { status done total progress } }`, {
        id: run.id,
      });
      expect(half.body.data.rescoreJob).toEqual({ status: 'RUNNING', done: 14, total: 30, progress: 14 / 30 });

      // A new process: the run's lease has expired (leaseMs 0 stands for the wait).
      const resumed = new RescoreRunner(t.database.prisma, {
        chunkSize: 7,
        leaseMs: 0,
        onChunk: (r) => progress.push(r.done),
      });
      resumed.kick();
      await resumed.idle();
      expect(progress).toEqual([7, 14, 21, 28, 30]);
      const done = await t.graphql(`query ($id: ID!) { rescoreJob(id: $id) { status done progress finishedAt } }`, {
        id: run.id,
      });
      expect(done.body.data.rescoreJob).toMatchObject({ status: 'SUCCEEDED', done: 30, progress: 1 });
      const perCustomer = await t.database.prisma.scoreSnapshot.groupBy({
        by: ['customerId'],
        where: { workspaceId: t.workspaceId, computedAt: asOf },
        _count: true,
      });
      expect(perCustomer).toHaveLength(30);
      expect(perCustomer.every((g) => g._count === 1)).toBe(true);
      const customers = await t.database.prisma.customer.findMany({
        where: { workspaceId: t.workspaceId },
        select: { scoreComputedAt: true },
      });
      expect(customers.every((c) => c.scoreComputedAt?.getTime() === asOf.getTime())).toBe(true);
    });

    it('leaves a gracefully stopped run to resume, and answers queries while it runs', async () => {
      const run = await enqueueRescore(t.database.prisma, { workspaceId: t.workspaceId, reason: 'test stop' });
      const queries: Promise<boolean>[] = [];
      const runner = new RescoreRunner(t.database.prisma, {
        chunkSize: 5,
        onChunk: () => {
          queries.push(t.graphql(`{ workspace { name } }`).then((r) => Boolean(r.body.data)));
        },
      });
      runner.kick();
      await new Promise((resolve) => setTimeout(resolve, 30));
      await runner.stop();
      const stopped = await t.database.prisma.rescoreRun.findFirstOrThrow({ where: { id: run.id } });
      if (stopped.status !== 'SUCCEEDED') expect(stopped.status).toBe('PENDING');
      const next = t.server.rescoreRunner;
      next.kick();
      await next.idle();
      expect((await t.database.prisma.rescoreRun.findFirstOrThrow({ where: { id: run.id } })).status).toBe('SUCCEEDED');
      // Queries sent between chunks, while the run was under way, were all answered.
      expect(queries.length).toBeGreaterThan(0);
      expect(await Promise.all(queries)).not.toContain(false);
    });

    it('runs on demand through GraphQL and on a schedule', async () => {
      const started = await t.graphql(
        `mutation { rescoreAllCustomers { ... on RescoreJob { id status total reason } } }`,
      );
      expect(started.body.data.rescoreAllCustomers).toMatchObject({ total: 30, reason: 'on demand' });
      await t.server.rescoreRunner.idle();
      const schedule = startRescoreSchedule(t.database.prisma, {
        intervalMs: DAY_MS,
        runner: t.server.rescoreRunner,
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await t.server.rescoreRunner.idle();
      await schedule.stop();
      const jobs = await t.graphql(`{ rescoreJobs(first: 5) { nodes { reason status done total } } }`);
      expect(jobs.body.data.rescoreJobs.nodes[0]).toEqual({
        reason: 'schedule',
        status: 'SUCCEEDED',
        done: 30,
        total: 30,
      });
      // A second start within the interval does not queue another one.
      const again = startRescoreSchedule(t.database.prisma, {
        intervalMs: DAY_MS,
        runner: t.server.rescoreRunner,
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await again.stop();
      expect(
        await t.database.prisma.rescoreRun.count({ where: { workspaceId: t.workspaceId, reason: 'schedule' } }),
      ).toBe(1);
    });

    it('recomputes history under a new model version', async () => {
      const change = await t.graphql(
        `mutation { updateCategory(key: "support", input: { weight: 80 }) { __typename ... on ScoringModelChange { version } } }`,
      );
      const version = change.body.data.updateCategory.version;
      await t.server.rescoreRunner.idle();
      const old = await t.database.prisma.scoreSnapshot.count({
        where: { workspaceId: t.workspaceId, modelVersion: { lt: version } },
      });
      expect(old).toBeGreaterThan(0);
      const job = await t.graphql(`mutation { recomputeScoreHistory { ... on RescoreJob { id recomputeHistory } } }`);
      expect(job.body.data.recomputeScoreHistory.recomputeHistory).toBe(true);
      await t.server.rescoreRunner.idle();
      expect(
        await t.database.prisma.scoreSnapshot.count({
          where: { workspaceId: t.workspaceId, modelVersion: { lt: version } },
        }),
      ).toBe(0);
      const status = await t.graphql(`query ($id: ID!) { rescoreJob(id: $id) { status } }`, {
        id: job.body.data.recomputeScoreHistory.id,
      });
      expect(status.body.data.rescoreJob.status).toBe('SUCCEEDED');
    });
  });
}
