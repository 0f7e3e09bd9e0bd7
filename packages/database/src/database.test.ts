import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFolderInUseError } from './data-folder-lock.ts';
import { openDatabase, type Database, type DatabaseTarget } from './database.ts';
import { databaseTargetFromEnv } from './target-from-env.ts';
import { createTestPostgresDatabase, type TestPostgresDatabase } from './testing.ts';

const folder = mkdtempSync(join(tmpdir(), 'pulso-db-'));
let postgres: TestPostgresDatabase;
beforeAll(async () => {
  postgres = await createTestPostgresDatabase('data_layer');
});
afterAll(async () => {
  await postgres?.drop();
  rmSync(folder, { recursive: true, force: true });
});

const targets: [string, () => DatabaseTarget][] = [
  ['PGlite', () => ({ kind: 'pglite', dataDir: join(folder, 'data') })],
  ['PostgreSQL', () => ({ kind: 'postgres', url: postgres.url })],
];

describe.each(targets)('the data layer on %s', (_name, target) => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase(target());
    await db.migrate();
  });
  afterAll(() => db?.close());

  it('stores a workspace with customers, types and interactions, and reads them back through relations', async () => {
    const ws = await db.prisma.workspace.create({ data: { slug: 'acme', name: 'Acme' } });
    expect(ws.bandAtRiskMax).toBe(50);
    expect(ws.bandNeedsAttentionMax).toBe(70);
    const category = await db.prisma.category.create({
      data: { workspaceId: ws.id, key: 'engagement', name: 'Engagement', weight: 30, isEngagement: true },
    });
    const type = await db.prisma.interactionType.create({
      data: {
        workspaceId: ws.id,
        key: 'nps',
        name: 'NPS',
        categoryId: category.id,
        basePoints: 10,
        sentimentHandling: 'FROM_VALUE',
        valueScale: 'NPS',
      },
    });
    const customer = await db.prisma.customer.create({
      data: { workspaceId: ws.id, externalId: 'c-1', name: 'Ana <b>&</b>', properties: { plan: 'pro', seats: 12 } },
    });
    await db.prisma.interaction.create({
      data: {
        workspaceId: ws.id,
        customerId: customer.id,
        typeId: type.id,
        occurredAt: new Date('2026-01-02T03:04:05.678Z'),
        value: 9,
        idempotencyKey: 'k1',
        journeyStage: 'USAGE',
        comment: 'Ótimo "suporte"',
      },
    });
    const read = await db.prisma.customer.findUniqueOrThrow({
      where: { workspaceId_externalId: { workspaceId: ws.id, externalId: 'c-1' } },
      include: { interactions: { include: { type: { include: { category: true } } } } },
    });
    expect(read.name).toBe('Ana <b>&</b>');
    expect(read.properties).toEqual({ plan: 'pro', seats: 12 });
    expect(read.interactions[0]!.occurredAt.toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(read.interactions[0]!.type.category.key).toBe('engagement');
    expect(read.interactions[0]!.comment).toBe('Ótimo "suporte"');
  });

  it('keeps external ids and idempotency keys unique per workspace', async () => {
    const ws = await db.prisma.workspace.findUniqueOrThrow({ where: { slug: 'acme' } });
    await expect(
      db.prisma.customer.create({ data: { workspaceId: ws.id, externalId: 'c-1', name: 'dup' } }),
    ).rejects.toMatchObject({ code: 'P2002' });
    const other = await db.prisma.workspace.create({ data: { slug: 'other', name: 'Other' } });
    await expect(
      db.prisma.customer.create({ data: { workspaceId: other.id, externalId: 'c-1', name: 'same id, other tenant' } }),
    ).resolves.toBeTruthy();
    const [customer, type] = await Promise.all([
      db.prisma.customer.findFirstOrThrow({ where: { workspaceId: ws.id } }),
      db.prisma.interactionType.findFirstOrThrow({ where: { workspaceId: ws.id } }),
    ]);
    await expect(
      db.prisma.interaction.create({
        data: {
          workspaceId: ws.id,
          customerId: customer.id,
          typeId: type.id,
          occurredAt: new Date(),
          idempotencyKey: 'k1',
        },
      }),
    ).rejects.toMatchObject({ code: 'P2002' });
  });

  it('commits and rolls back interactive transactions', async () => {
    const ws = await db.prisma.workspace.findUniqueOrThrow({ where: { slug: 'acme' } });
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.customer.create({ data: { workspaceId: ws.id, externalId: 'rolled-back', name: 'x' } });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await db.prisma.customer.count({ where: { externalId: 'rolled-back' } })).toBe(0);
    await db.prisma.$transaction(async (tx) => {
      await tx.customer.create({ data: { workspaceId: ws.id, externalId: 'committed', name: 'y' } });
    });
    expect(await db.prisma.customer.count({ where: { externalId: 'committed' } })).toBe(1);
  });

  it('keeps what was written after close and reopen', async () => {
    await db.close();
    db = await openDatabase(target());
    expect(await db.migrate()).toEqual([]);
    expect(await db.prisma.customer.count({ where: { externalId: { in: ['c-1', 'committed'] } } })).toBe(3);
  });
});

describe('the embedded data folder', () => {
  it('is used by one process at a time', async () => {
    const dataDir = join(folder, 'locked');
    const first = await openDatabase({ kind: 'pglite', dataDir });
    try {
      // Same process, but a second open would corrupt PGlite just the same.
      await expect(openDatabase({ kind: 'pglite', dataDir })).rejects.toBeInstanceOf(DataFolderInUseError);
    } finally {
      await first.close();
    }
    const again = await openDatabase({ kind: 'pglite', dataDir });
    await again.close();
  });

  it('is its owner alone: created so, and made so when found open to others', async () => {
    // PGlite writes its files readable and writable by everyone (0666): only the folder keeps the
    // workspaces' data and token signing secrets from the machine's other accounts.
    const created = join(folder, 'private');
    const fresh = await openDatabase({ kind: 'pglite', dataDir: created });
    await fresh.close();
    expect(statSync(created).mode & 0o777).toBe(0o700);

    const shared = join(folder, 'shared');
    mkdirSync(shared, { mode: 0o777 });
    chmodSync(shared, 0o777);
    const reopened = await openDatabase({ kind: 'pglite', dataDir: shared });
    await reopened.close();
    expect(statSync(shared).mode & 0o777).toBe(0o700);
  });
});

describe('databaseTargetFromEnv', () => {
  it('chooses PostgreSQL when DATABASE_URL is set, PGlite in .pulso/data otherwise', () => {
    expect(databaseTargetFromEnv({ DATABASE_URL: 'postgres://x@h/db' }, '/srv')).toEqual({
      kind: 'postgres',
      url: 'postgres://x@h/db',
    });
    expect(databaseTargetFromEnv({}, '/srv')).toEqual({ kind: 'pglite', dataDir: '/srv/.pulso/data' });
    expect(databaseTargetFromEnv({ PULSO_DATA_DIR: 'var/pulso' }, '/srv')).toEqual({
      kind: 'pglite',
      dataDir: '/srv/var/pulso',
    });
    expect(databaseTargetFromEnv({ PULSO_DATA_DIR: 'memory://' }, '/srv')).toEqual({
      kind: 'pglite',
      dataDir: 'memory://',
    });
  });
});
