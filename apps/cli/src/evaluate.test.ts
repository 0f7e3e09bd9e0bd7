// `pulso evaluate` as an operator runs it: a real process of the compiled command (dist/pulso.mjs,
// built by this project's global setup) on an embedded database folder that a previous run filled,
// printing the evaluation's tables; bad options are one line and exit 2.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorkspace, recordInteractions, recordOutcomes } from '@pulso/core';
import { openMigratedPGliteFolder } from '@pulso/database/testing';
import { DAY_MS } from '@pulso/scoring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const command = fileURLToPath(new URL('../dist/pulso.mjs', import.meta.url));

function pulso(args: string[], dataDir: string) {
  // PGlite's WebAssembly with V8's baseline compiler only, as the cross-process tests run it
  // (NODE_FLAGS in test/support/server-process.ts): a short-lived process spends less CPU.
  return spawnSync(process.execPath, ['--liftoff-only', command, ...args], {
    env: { ...process.env, PULSO_DATA_DIR: dataDir, DATABASE_URL: '' },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('pulso evaluate', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pulso-cli-'));
  const now = Date.now();
  const daysAgo = (n: number) => new Date(now - n * DAY_MS);
  beforeAll(async () => {
    // Migrated already, from the tests' template (initdb and the migrations cost seconds here).
    const database = await openMigratedPGliteFolder(dataDir);
    const { workspaceId } = await createWorkspace(database.prisma, { slug: 'acme', name: 'Acme' });
    const interactions = [];
    const outcomes = [];
    for (let c = 0; c < 8; c++) {
      const churnDay = c >= 5 ? 110 - (c - 5) * 20 : null;
      for (let day = 200; day >= 1; day -= 7) {
        if (churnDay !== null && day <= churnDay + 45) break;
        interactions.push({
          customer: { externalId: `c${c}`, name: `C${c}` },
          typeKey: 'meeting',
          occurredAt: daysAgo(day),
          idempotencyKey: `${c}-${day}`,
        });
      }
      if (churnDay !== null)
        outcomes.push({
          customer: { externalId: `c${c}` },
          kind: 'CHURNED' as const,
          occurredAt: daysAgo(churnDay),
          idempotencyKey: `churn-${c}`,
        });
    }
    await recordInteractions(database.prisma, workspaceId, interactions);
    await recordOutcomes(database.prisma, workspaceId, outcomes);
    await database.close();
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the score beside both baselines for the only workspace', () => {
    const run = pulso(['evaluate', '--step', '10', '--from', daysAgo(180).toISOString()], dataDir);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("# Evaluation of acme's scoring model (the in force model)");
    expect(run.stdout).toMatch(/\| Pulso score \| [01]\.\d{3} \|/);
    expect(run.stdout).toContain('| interactions in the last 30 days |');
    const json = JSON.parse(pulso(['evaluate', '--workspace', 'acme', '--json', '--step', '20'], dataDir).stdout);
    expect(json.customers).toBe(8);
    expect(json.rankers.model.auc).toBeGreaterThan(0.5);
  });

  it('explains bad options and unknown workspaces in one line', () => {
    const badDate = pulso(['evaluate', '--from', 'yesterday'], dataDir);
    expect(badDate.status).toBe(2);
    expect(badDate.stderr.trim()).toBe(
      'pulso evaluate: --from must be a date (2026-01-31) or an instant with its zone, got "yesterday"',
    );
    const tooLate = pulso(['evaluate', '--to', new Date(now).toISOString()], dataDir);
    expect(tooLate.status).toBe(2);
    expect(tooLate.stderr).toMatch(/is not known yet/);
    const unknown = pulso(['evaluate', '--workspace', 'globex'], dataDir);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim()).toBe('pulso evaluate: no workspace "globex"');
    const typo = pulso(['evaluate', '--form', '2026-01-01'], dataDir);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/Unknown option '--form'/);
  });
});
