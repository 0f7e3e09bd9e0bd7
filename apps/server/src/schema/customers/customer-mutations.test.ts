import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '@pulso/core';
import { createTestServer, type TestServer } from '../../testing.ts';

const CREATE = `mutation ($input: CustomerInput!) {
  createCustomer(input: $input) { __typename ... on Customer { id externalId name segment properties score } ... on ValidationError { field code message problems { field code } } }
}`;
const UPSERT = `mutation ($input: CustomerInput!) {
  upsertCustomer(input: $input) { __typename ... on UpsertedCustomer { created customer { id externalId name segment properties } } ... on UserError { field code message } }
}`;
const UPDATE = `mutation ($id: ID, $externalId: String, $patch: CustomerPatch!) {
  updateCustomer(id: $id, externalId: $externalId, patch: $patch) { __typename ... on Customer { id externalId name segment score } ... on UserError { field code message } }
}`;
const DELETE = `mutation ($id: ID, $externalId: String) {
  deleteCustomer(id: $id, externalId: $externalId) { __typename ... on DeletedCustomer { deletedId externalId } ... on UserError { field code message } }
}`;

describe.each(['pglite', 'postgres'] as const)('customer mutations on %s', (database) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', database, workspace: 'empty' });
  }, 60_000);
  afterAll(() => t?.close());

  const customers = (externalId: string) =>
    t.database.prisma.customer.count({ where: { workspaceId: t.workspaceId, externalId } });

  it('creates a customer, and refuses a second one with the same external id', async () => {
    const { body } = await t.graphql(CREATE, {
      input: { externalId: 'acme', name: 'Acme', segment: 'enterprise', properties: { plan: 'gold' } },
    });
    expect(body.data.createCustomer).toMatchObject({
      __typename: 'Customer',
      externalId: 'acme',
      name: 'Acme',
      segment: 'enterprise',
      properties: { plan: 'gold' },
      score: null,
    });
    const again = await t.graphql(CREATE, { input: { externalId: 'acme', name: 'Acme again' } });
    expect(again.body.data.createCustomer).toMatchObject({
      __typename: 'ValidationError',
      field: 'input.externalId',
      code: 'ALREADY_EXISTS',
    });
    // A taken external id beside bad fields: every problem in one answer, the fields first.
    const takenAndBad = await t.graphql(CREATE, { input: { externalId: 'acme', name: '', properties: [1] } });
    expect(takenAndBad.body.data.createCustomer.problems).toEqual([
      { field: 'input.name', code: 'INVALID' },
      { field: 'input.properties', code: 'INVALID' },
      { field: 'input.externalId', code: 'ALREADY_EXISTS' },
    ]);
    const bad = await t.graphql(CREATE, { input: { externalId: ' ', name: '', properties: [1] } });
    expect(bad.body.data.createCustomer.problems.map((p: { field: string }) => p.field)).toEqual([
      'input.externalId',
      'input.name',
      'input.properties',
    ]);
  });

  it('upserts by external id: 100 concurrent first-time upserts store one customer, without errors', async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => t.graphql(UPSERT, { input: { externalId: 'race', name: `Race ${i}` } })),
    );
    for (const r of results) {
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.upsertCustomer.__typename).toBe('UpsertedCustomer');
    }
    expect(results.filter((r) => r.body.data.upsertCustomer.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.data.upsertCustomer.customer.id)).size).toBe(1);
    expect(await customers('race')).toBe(1);
  }, 60_000);

  it('upsert updates the given fields and keeps the omitted ones', async () => {
    await t.graphql(UPSERT, { input: { externalId: 'keep', name: 'Keep', segment: 'smb', properties: { a: 1 } } });
    const { body } = await t.graphql(UPSERT, { input: { externalId: 'keep', name: 'Keep Ltd' } });
    expect(body.data.upsertCustomer).toMatchObject({
      created: false,
      customer: { name: 'Keep Ltd', segment: 'smb', properties: { a: 1 } },
    });
    const cleared = await t.graphql(UPSERT, { input: { externalId: 'keep', name: 'Keep Ltd', segment: null } });
    expect(cleared.body.data.upsertCustomer.customer.segment).toBeNull();
  });

  it('updates and deletes by id or external id', async () => {
    const created = (await t.graphql(CREATE, { input: { externalId: 'temp', name: 'Temp' } })).body.data.createCustomer;
    const renamed = await t.graphql(UPDATE, {
      id: created.id,
      patch: { name: 'Temporary', externalId: 'temp-2', segment: 'smb' },
    });
    expect(renamed.body.data.updateCustomer).toMatchObject({
      __typename: 'Customer',
      id: created.id,
      externalId: 'temp-2',
      name: 'Temporary',
      segment: 'smb',
    });
    const clash = await t.graphql(UPDATE, { externalId: 'temp-2', patch: { externalId: 'acme' } });
    expect(clash.body.data.updateCustomer).toMatchObject({
      __typename: 'ValidationError',
      field: 'patch.externalId',
      code: 'ALREADY_EXISTS',
    });
    const missing = await t.graphql(UPDATE, { externalId: 'nobody', patch: { name: 'X' } });
    expect(missing.body.data.updateCustomer).toMatchObject({ field: 'externalId', code: 'NOT_FOUND' });
    const deleted = await t.graphql(DELETE, { externalId: 'temp-2' });
    expect(deleted.body.data.deleteCustomer).toEqual({
      __typename: 'DeletedCustomer',
      deletedId: created.id,
      externalId: 'temp-2',
    });
    expect(await customers('temp-2')).toBe(0);
    const twice = await t.graphql(DELETE, { id: created.id });
    expect(twice.body.data.deleteCustomer).toMatchObject({ field: 'id', code: 'NOT_FOUND' });
  });

  it('lists every problem of an update in one answer: its fields, the customer it names, a taken external id', async () => {
    const UPDATE_PROBLEMS = `mutation ($id: ID, $externalId: String, $patch: CustomerPatch!) {
      updateCustomer(id: $id, externalId: $externalId, patch: $patch) {
        __typename ... on ValidationError { field code message problems { field code } } } }`;
    const refused = async (variables: Record<string, unknown>) =>
      (await t.graphql(UPDATE_PROBLEMS, variables)).body.data.updateCustomer;
    // Bad fields and an unknown customer: the fields first, as when they were the only answer.
    expect(await refused({ externalId: 'nobody', patch: { name: '', properties: [1] } })).toEqual({
      __typename: 'ValidationError',
      field: 'patch.name',
      code: 'INVALID',
      message: '3 invalid fields: patch.name, patch.properties, externalId',
      problems: [
        { field: 'patch.name', code: 'INVALID' },
        { field: 'patch.properties', code: 'INVALID' },
        { field: 'externalId', code: 'NOT_FOUND' },
      ],
    });
    // Both id and external id given, and a bad segment.
    const acme = (await t.graphql(`{ customer(externalId: "acme") { id } }`)).body.data.customer.id;
    expect(await refused({ id: acme, externalId: 'acme', patch: { segment: ' ' } })).toMatchObject({
      field: 'patch.segment',
      problems: [
        { field: 'patch.segment', code: 'INVALID' },
        { field: 'id', code: 'INVALID' },
      ],
    });
    // An external id another customer has, beside a blank name.
    await t.graphql(CREATE, { input: { externalId: 'other', name: 'Other' } });
    expect(await refused({ externalId: 'other', patch: { externalId: 'acme', name: ' ' } })).toMatchObject({
      field: 'patch.name',
      problems: [
        { field: 'patch.name', code: 'INVALID' },
        { field: 'patch.externalId', code: 'ALREADY_EXISTS' },
      ],
    });
    // Its own external id is no clash; nothing was changed by the refusals.
    const kept = await t.graphql(UPDATE, { externalId: 'other', patch: { externalId: 'other', name: 'Other' } });
    expect(kept.body.data.updateCustomer).toMatchObject({ __typename: 'Customer', externalId: 'other', name: 'Other' });
    expect((await t.graphql(`{ customer(externalId: "acme") { name segment } }`)).body.data.customer).toEqual({
      name: 'Acme',
      segment: 'enterprise',
    });
  });

  it('refuses an external id with whitespace around it wherever one is stored, and looks ids up exactly as given', async () => {
    for (const externalId of [' acme', 'acme ', '\tacme', 'acme\n']) {
      const message = `must not begin or end with whitespace: external ids are matched exactly, so ${JSON.stringify(externalId)} would be another customer than "acme"`;
      const created = await t.graphql(CREATE, { input: { externalId, name: 'Acme' } });
      expect(created.body.data.createCustomer).toEqual({
        __typename: 'ValidationError',
        field: 'input.externalId',
        code: 'INVALID',
        message: `input.externalId: ${message}`,
        problems: [{ field: 'input.externalId', code: 'INVALID' }],
      });
      const upserted = await t.graphql(UPSERT, { input: { externalId, name: 'Acme' } });
      expect(upserted.body.data.upsertCustomer).toMatchObject({ field: 'input.externalId', code: 'INVALID' });
      const renamed = await t.graphql(UPDATE, { externalId: 'acme', patch: { externalId } });
      expect(renamed.body.data.updateCustomer).toMatchObject({ field: 'patch.externalId', code: 'INVALID' });
    }
    const batch = await t.graphql(
      `mutation ($c: [CustomerInput!]!) { upsertCustomers(customers: $c) {
        __typename ... on ValidationError { problems { field code } } } }`,
      {
        c: [
          { externalId: 'zeta', name: 'Zeta' },
          { externalId: 'zeta ', name: 'Zeta' },
        ],
      },
    );
    expect(batch.body.data.upsertCustomers).toEqual({
      __typename: 'ValidationError',
      problems: [{ field: 'customers[1].externalId', code: 'INVALID' }],
    });
    // Looked up as given, never trimmed: " acme" is no customer, and "acme" is still the only one.
    expect((await t.graphql(`{ customer(externalId: " acme") { id } }`)).body.data.customer).toBeNull();
    const missing = await t.graphql(UPDATE, { externalId: ' acme', patch: { name: 'X' } });
    expect(missing.body.data.updateCustomer).toMatchObject({ field: 'externalId', code: 'NOT_FOUND' });
    expect(
      await t.database.prisma.customer.count({
        where: { workspaceId: t.workspaceId, externalId: { contains: 'acme' } },
      }),
    ).toBe(1);
    expect(await customers('zeta')).toBe(0);
  });

  it('rescores a scored customer whose segment changes, in the same transaction', async () => {
    await t.graphql(CREATE, { input: { externalId: 'seg', name: 'Seg', segment: 'smb' } });
    // A detractor answer: its cost counts at once (a promoter's would wait for engagement to back it).
    await t.graphql(
      `mutation { recordInteraction(input: { customer: { externalId: "seg" }, type: "nps", value: 2, idempotencyKey: "seg-1" }) { __typename } }`,
    );
    // Through the API: a model change bumps the model version, which writes rely on (current-model.ts).
    const weighted = await t.graphql(
      `mutation { setSegmentWeight(segment: "vip", categoryKey: "satisfaction", weight: 0) { __typename } }`,
    );
    expect(weighted.body.errors).toBeUndefined();
    const before = await t.database.prisma.customer.findFirstOrThrow({
      where: { workspaceId: t.workspaceId, externalId: 'seg' },
    });
    expect(before.score).toBeLessThan(50);
    const { body } = await t.graphql(UPDATE, { externalId: 'seg', patch: { segment: 'vip' } });
    expect(body.data.updateCustomer.score).not.toBe(before.score);
    expect(body.data.updateCustomer.score).toBe(50);
  });

  it('never touches another workspace', async () => {
    const other = await createWorkspace(t.database.prisma, { slug: `cm-other-${database}`, name: 'Other' });
    const theirs = await t.database.prisma.customer.create({
      data: { workspaceId: other.workspaceId, externalId: 'acme', name: 'Their Acme' },
    });
    const ours = (await t.graphql(`{ customer(externalId: "acme") { id } }`)).body.data.customer.id;
    // Their key, our customer's id: as if it did not exist.
    expect(
      (await t.graphql(UPDATE, { id: ours, patch: { name: 'Hijacked' } }, other.secretKey.key)).body.data.updateCustomer
        .code,
    ).toBe('NOT_FOUND');
    expect((await t.graphql(DELETE, { id: ours }, other.secretKey.key)).body.data.deleteCustomer.code).toBe(
      'NOT_FOUND',
    );
    // Their key and the same external id: their own customer.
    const upserted = await t.graphql(
      UPSERT,
      { input: { externalId: 'acme', name: 'Their Acme Inc' } },
      other.secretKey.key,
    );
    expect(upserted.body.data.upsertCustomer.created).toBe(false);
    expect((await t.database.prisma.customer.findFirstOrThrow({ where: { id: theirs.id } })).name).toBe(
      'Their Acme Inc',
    );
    expect(
      (await t.database.prisma.customer.findFirstOrThrow({ where: { workspaceId: t.workspaceId, externalId: 'acme' } }))
        .name,
    ).toBe('Acme');
  });
});
