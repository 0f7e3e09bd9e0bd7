import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueRescore } from '@pulso/core';
import { createTestServer, type TestServer } from '../../testing.ts';

const SET = `mutation ($externalId: String!, $score: Float!, $reason: String!, $expiresAt: DateTime, $replace: Boolean) {
  setManualAssessment(externalId: $externalId, score: $score, reason: $reason, expiresAt: $expiresAt, replace: $replace, author: "ana@csm.example") {
    __typename
    ... on ManualAssessment { id score weight reason author expiresAt inForce }
    ... on UserError { field code message }
  }
}`;

describe.each(['pglite', 'postgres'] as const)('manual assessments on %s', (database) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', workspace: 'demo', demoCustomers: 6, database });
  });
  afterAll(async () => {
    await t?.close();
  });

  const customer = () =>
    t.database.prisma.customer.findUniqueOrThrow({
      where: { workspaceId_externalId: { workspaceId: t.workspaceId, externalId: 'cus_0001' } },
    });

  it('counts in the score until it expires, and automation never overwrites it', async () => {
    const before = await customer();
    const expiresAt = new Date(Date.now() + 60 * 60 * 1000);
    const set = await t.graphql(SET, {
      externalId: 'cus_0001',
      score: 5,
      reason: 'champion left; renewal at risk',
      expiresAt: expiresAt.toISOString(),
    });
    expect(set.body.errors).toBeUndefined();
    expect(set.body.data.setManualAssessment).toMatchObject({
      __typename: 'ManualAssessment',
      score: 5,
      weight: 0.25,
      inForce: true,
      author: 'ana@csm.example',
    });
    const assessed = await customer();
    const breakdown = assessed.scoreBreakdown as any;
    expect(breakdown.assessment).toMatchObject({ score: 5, weight: 0.25, reason: 'champion left; renewal at risk' });
    expect(breakdown.flags.map((f: any) => f.code)).toContain('MANUAL_ASSESSMENT');
    expect(assessed.score!).toBeLessThan(before.score!);

    // A second one does not silently replace the first.
    const again = await t.graphql(SET, { externalId: 'cus_0001', score: 90, reason: 'all good' });
    expect(again.body.data.setManualAssessment).toMatchObject({
      __typename: 'ManualAssessmentError',
      field: 'replace',
      code: 'ALREADY_EXISTS',
    });
    expect(again.body.data.setManualAssessment.message).toMatch(/champion left/);

    // The scheduled / on-demand rescoring keeps it.
    await t.graphql(`mutation { rescoreAllCustomers { __typename } }`);
    await t.server.rescoreRunner.idle();
    expect(((await customer()).scoreBreakdown as any).assessment.score).toBe(5);
    const read = await t.graphql(`{ customer(externalId: "cus_0001") { manualAssessment { score reason inForce } } }`);
    expect(read.body.data.customer.manualAssessment).toEqual({
      score: 5,
      reason: 'champion left; renewal at risk',
      inForce: true,
    });

    // Rescoring as of after the expiry: the score is the automated one again; the record stays.
    const run = await enqueueRescore(t.database.prisma, {
      workspaceId: t.workspaceId,
      reason: 'test',
      asOf: new Date(expiresAt.getTime() + 1),
    });
    t.server.rescoreRunner.kick();
    await t.server.rescoreRunner.idle();
    const expired = await customer();
    expect((expired.scoreBreakdown as any).assessment).toBeUndefined();
    expect((expired.scoreBreakdown as any).flags.map((f: any) => f.code)).not.toContain('MANUAL_ASSESSMENT');
    expect(await t.database.prisma.manualAssessment.count({ where: { customerId: expired.id, endedAt: null } })).toBe(
      1,
    );
    expect(run.id).toBeTruthy();
  });

  it('replaces one in force only when asked, ends it on request, and refuses bad input', async () => {
    const replaced = await t.graphql(SET, { externalId: 'cus_0002', score: 70, reason: 'QBR went well' });
    expect(replaced.body.data.setManualAssessment.__typename).toBe('ManualAssessment');
    const second = await t.graphql(SET, { externalId: 'cus_0002', score: 40, reason: 'budget cut', replace: true });
    expect(second.body.data.setManualAssessment).toMatchObject({ score: 40, inForce: true });
    const rows = await t.database.prisma.manualAssessment.findMany({
      where: { reason: { in: ['QBR went well', 'budget cut'] } },
      orderBy: { createdAt: 'asc' },
    });
    expect(rows.map((r) => r.endedAt !== null)).toEqual([true, false]);
    const ended = await t.graphql(
      `mutation { endManualAssessment(externalId: "cus_0002") { __typename ... on ManualAssessment { reason endedAt inForce } } }`,
    );
    expect(ended.body.data.endManualAssessment).toMatchObject({ reason: 'budget cut', inForce: false });
    const c = await t.database.prisma.customer.findUniqueOrThrow({
      where: { workspaceId_externalId: { workspaceId: t.workspaceId, externalId: 'cus_0002' } },
    });
    expect((c.scoreBreakdown as any).assessment).toBeUndefined();

    const bad = await t.graphql(SET, { externalId: 'cus_0003', score: 120, reason: 'x' });
    expect(bad.body.data.setManualAssessment).toMatchObject({ field: 'score', code: 'OUT_OF_RANGE' });
    const nobody = await t.graphql(SET, { externalId: 'nobody', score: 20, reason: 'x' });
    expect(nobody.body.data.setManualAssessment).toMatchObject({ __typename: 'ScoringModelError', code: 'NOT_FOUND' });
  });
});
