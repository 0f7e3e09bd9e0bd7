// Benchmarks that write (ratings) work on a throw-away copy of the generated data, so the kept
// datasets stay as generated and every run starts from the same rows: on PostgreSQL a database
// created from the dataset as its template, on PGlite a copy of the data folder. Each copy gets a
// fresh publishable key (the widget's credential) and tells the workspace's token signing secret.
import { cpSync, rmSync } from 'node:fs';
import pg from 'pg';
import { issueApiKey } from '@pulso/api-keys';
import { openDatabase, type DatabaseTarget } from '@pulso/database';
import { testPostgresAdminUrl } from '@pulso/database/testing';
import type { Dataset } from './dataset.ts';
import { dataRoot, type PgliteDataset } from './pglite-dataset.ts';

export interface DatasetCopy {
  kind: 'postgres' | 'pglite';
  target: DatabaseTarget;
  /** Environment that points a Pulso server process (servers/pulso-configured.ts) at the copy. */
  env: Record<string, string>;
  workspaceId: string;
  secretKey: string;
  publishableKey: string;
  tokenSigningSecret: string;
  /** Customers' external ids (cust-0000001...), as generated. */
  externalIds: string[];
  drop(): Promise<void>;
}

async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testPostgresAdminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * CREATE DATABASE ... TEMPLATE needs the template to have no other session: another benchmark (or
 * person) reading the dataset makes it wait, so it retries for up to 10 minutes.
 */
async function createFromTemplate(c: pg.Client, name: string, template: string): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  let said = false;
  for (;;) {
    try {
      await c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || Date.now() > deadline) throw error;
      if (!said) console.log(`  waiting for other sessions to leave ${template} (a copy needs it unused)...`);
      said = true;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}

/**
 * Copies are made from a pristine clone of the dataset that only this module uses, so that a
 * benchmark reading the dataset itself (the dashboard) does not hold the copies up; the clone is
 * remade when the dataset was regenerated (another workspace id).
 */
async function pristineClone(c: pg.Client, dataset: Dataset): Promise<string> {
  const clone = `${dataset.name}_pristine`;
  const url = new URL(testPostgresAdminUrl);
  url.pathname = `/${clone}`;
  const exists = (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [clone])).rowCount! > 0;
  if (exists) {
    const probe = new pg.Client({ connectionString: url.toString() });
    await probe.connect();
    const same = await probe
      .query('SELECT 1 FROM bench_dataset WHERE "workspaceId" = $1 AND complete', [dataset.workspaceId])
      .then((r) => r.rowCount! > 0)
      .catch(() => false)
      .finally(() => probe.end());
    if (same) return clone;
    await c.query(`DROP DATABASE IF EXISTS "${clone}" WITH (FORCE)`);
  }
  await createFromTemplate(c, clone, dataset.name);
  return clone;
}

export async function copyPostgresDataset(dataset: Dataset, label: string): Promise<DatasetCopy> {
  const name = `${dataset.name}_${label}`;
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await createFromTemplate(c, name, await pristineClone(c, dataset));
  });
  const url = new URL(testPostgresAdminUrl);
  url.pathname = `/${name}`;
  // A new copy is new files, cold in the OS cache: read its tables once, as a server that has been
  // running would have them, so the first minutes of a benchmark do not measure the disk.
  const warm = new pg.Client({ connectionString: url.toString() });
  await warm.connect();
  try {
    for (const table of ['Interaction', 'Customer', 'ScoreSnapshot'])
      await warm.query(`SELECT count(*) FROM "${table}" t WHERE t::text <> ''`);
  } finally {
    await warm.end();
  }
  const target: DatabaseTarget = { kind: 'postgres', url: url.toString(), poolSize: 2 };
  return finish(
    'postgres',
    target,
    { DATABASE_URL: url.toString(), PULSO_DATA_DIR: '' },
    dataset.workspaceId,
    dataset.secretKey,
    dataset.customers,
    () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  );
}

export async function copyPgliteDataset(dataset: PgliteDataset, label: string): Promise<DatasetCopy> {
  const dataDir = `${dataRoot}copy_${label}`;
  rmSync(dataDir, { recursive: true, force: true });
  cpSync(dataset.dataDir, dataDir, { recursive: true });
  return finish(
    'pglite',
    { kind: 'pglite', dataDir },
    { PULSO_DATA_DIR: dataDir, DATABASE_URL: '' },
    dataset.workspaceId,
    dataset.secretKey,
    dataset.customers,
    async () => rmSync(dataDir, { recursive: true, force: true }),
  );
}

async function finish(
  kind: DatasetCopy['kind'],
  target: DatabaseTarget,
  env: Record<string, string>,
  workspaceId: string,
  secretKey: string,
  customers: number,
  drop: () => Promise<void>,
): Promise<DatasetCopy> {
  const database = await openDatabase(target);
  try {
    const publishable = issueApiKey('PUBLISHABLE');
    await database.prisma.apiKey.create({
      data: {
        workspaceId,
        kind: 'PUBLISHABLE',
        name: 'Benchmark widget key',
        prefix: publishable.prefix,
        hash: publishable.hash,
      },
    });
    const { tokenSigningSecret } = await database.prisma.workspace.findUniqueOrThrow({
      where: { id: workspaceId },
      select: { tokenSigningSecret: true },
    });
    const externalIds = Array.from({ length: customers }, (_, i) => `cust-${String(i + 1).padStart(7, '0')}`);
    return {
      kind,
      target,
      env,
      workspaceId,
      secretKey,
      publishableKey: publishable.key,
      tokenSigningSecret,
      externalIds,
      drop,
    };
  } finally {
    await database.close();
  }
}
