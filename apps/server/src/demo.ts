// The demo workspace on first start, and its keys for the start banner so a newcomer can query at
// once. Keys are stored hashed, so randomly issued ones can be shown only when they are created;
// fixed keys from PULSO_DEMO_SECRET_KEY / PULSO_DEMO_PUBLISHABLE_KEY are shown at every start.
import { issueApiKey } from '@pulso/api-keys';
import type { PrismaClient } from '@pulso/database';
import { DEMO_WORKSPACE_SLUG, discardUnfinishedDemo, seedDemoWorkspace } from '@pulso/demo-data';
import type { Config } from './config.ts';
import { pulsoCommand } from './first-workspace.ts';

type Print = (line: string) => void;

/** Makes sure a fixed demo key exists (the variables may be set after the first start). */
async function ensureFixedKey(prisma: PrismaClient, workspaceId: string, kind: 'SECRET' | 'PUBLISHABLE', key: string) {
  const issued = issueApiKey(kind, key);
  await prisma.apiKey.upsert({
    where: { hash: issued.hash },
    create: {
      workspaceId,
      kind,
      name: `Demo ${kind.toLowerCase()} key (from configuration)`,
      prefix: issued.prefix,
      hash: issued.hash,
    },
    update: { revokedAt: null },
  });
}

/**
 * Seeds the demo when the database has no workspace (printing its progress), and returns what the
 * start banner says about the demo's keys (main.ts prints it last, beside the URLs): none when
 * there is no demo.
 */
export async function ensureDemoWorkspace(prisma: PrismaClient, config: Config, print: Print): Promise<string[]> {
  const existing = await prisma.workspace.findUnique({ where: { slug: DEMO_WORKSPACE_SLUG }, select: { id: true } });
  if (!existing) {
    if (await discardUnfinishedDemo(prisma))
      print('Discarded a demo workspace left unfinished by an interrupted start.');
    if ((await prisma.workspace.count()) > 0) return []; // A real installation: no demo.
    print('Seeding the demo workspace (first start)...');
    const started = Date.now();
    const seeded = await seedDemoWorkspace(prisma, {
      now: new Date(),
      secretKey: config.demoSecretKey,
      publishableKey: config.demoPublishableKey,
      onProgress: (step) => print(`  ${step}`),
    });
    print(
      `Demo workspace ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${seeded.customers} customers, ${seeded.interactions} interactions.`,
    );
    return keyLines(seeded.secretKey, seeded.publishableKey);
  }
  if (config.demoSecretKey) await ensureFixedKey(prisma, existing.id, 'SECRET', config.demoSecretKey);
  if (config.demoPublishableKey) await ensureFixedKey(prisma, existing.id, 'PUBLISHABLE', config.demoPublishableKey);
  if (config.demoSecretKey || config.demoPublishableKey) {
    return keyLines(
      config.demoSecretKey ?? '(printed at first start)',
      config.demoPublishableKey ?? '(printed at first start)',
    );
  }
  return [
    'Demo keys: printed at first start. New ones (or set PULSO_DEMO_SECRET_KEY and PULSO_DEMO_PUBLISHABLE_KEY):',
    `  ${pulsoCommand(config.database, `key create --workspace ${DEMO_WORKSPACE_SLUG} --kind secret`)}`,
  ];
}

function keyLines(secretKey: string, publishableKey: string): string[] {
  return [
    'Demo keys (send as "Authorization: Bearer <key>"):',
    `  secret:      ${secretKey}`,
    `  publishable: ${publishableKey}`,
  ];
}
