// `pulso import` through the server holding a PGlite folder, as processes (the compiled server and
// command, built by this project's global setup): stopped by SIGTERM it ends as Ctrl-C does (the
// batch being written finished, the counts, how to finish; exit 143) and revokes the key it issued
// itself for the run; when the server restarted meanwhile (a new administrator key beside the
// folder), the key is still revoked, with the key the server now has. Read back from the folder
// once the server has stopped.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@pulso/database';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { acmeFolder, signalOnceSeen, writeNpsMapping } from '../../../test/support/import-fixtures.ts';
import { CLI_ENTRY, NODE_FLAGS, type ServerProcess, startServer } from '../../../test/support/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulso-import-signals-'));
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const server of servers) if (server.child.exitCode === null) await server.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const DAY_MS = 86_400_000;
let dataDir: string;
let folders = 0;
beforeEach(async () => {
  dataDir = join(dir, `data-${++folders}`);
  await acmeFolder(dataDir);
});

writeNpsMapping(dir);
function npsCsv(name: string, rows: number) {
  const day = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10);
  const lines = Array.from(
    { length: rows },
    (_, i) =>
      `c${i % 500},C ${i % 500},${day}T${String(i % 24).padStart(2, '0')}:${String(Math.floor(i / 24) % 60).padStart(2, '0')}:00Z,${i % 11}`,
  );
  writeFileSync(join(dir, name), `id,name,at,score\n${lines.join('\n')}\n`);
}

function server(port: number) {
  return startServer({ PULSO_DATA_DIR: dataDir, PORT: String(port), PULSO_SEED_DEMO: 'false' }).then((s) => {
    servers.push(s);
    return s;
  });
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function pulso(args: string[], onOutput?: (stdout: string, child: ReturnType<typeof spawn>) => void): Promise<Run> {
  const child = spawn(process.execPath, [...NODE_FLAGS, CLI_ENTRY, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', INIT_CWD: dir, PULSO_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    onOutput?.(stdout, child);
  });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

async function importKeys() {
  const database = await openDatabase({ kind: 'pglite', dataDir });
  try {
    return await database.prisma.apiKey.findMany({
      where: { name: 'pulso import' },
      select: { id: true, revokedAt: true },
    });
  } finally {
    await database.close();
  }
}

describe('pulso import through the server holding the folder', () => {
  it('stops on SIGTERM as on Ctrl-C, with the counts and how to finish, and revokes its key', async () => {
    const running = await server(4851);
    npsCsv('term.csv', 6_000);
    const stop = signalOnceSeen('Importing term.csv', 'SIGTERM');
    const stopped = await pulso(['import', '--config', 'nps.json', 'term.csv'], stop.watch);
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(143);
    expect(stopped.stdout).toContain('stopped by SIGTERM');
    expect(stopped.stdout).toContain('run the same command again');
    expect(stopped.stderr).toContain('stopping after the batch being written');
    await running.stop();
    const keys = await importKeys();
    expect(keys).toHaveLength(1);
    expect(keys[0]!.revokedAt).not.toBeNull();
  });

  it('revokes its key with the administrator key of a server restarted during the import', async () => {
    let running = await server(4852);
    npsCsv('restart.csv', 6_000);
    let restarting: Promise<void> | undefined;
    const done = await pulso(['import', '--config', 'nps.json', 'restart.csv'], (out) => {
      if (!restarting && out.includes('Importing restart.csv'))
        restarting = (async () => {
          await running.stop();
          running = await server(4852);
        })();
    });
    await restarting;
    expect(done.code, done.stdout + done.stderr).toBe(0);
    expect(done.stderr).not.toContain('is left active');
    await running.stop();
    const keys = await importKeys();
    expect(keys).toHaveLength(1);
    expect(keys[0]!.revokedAt).not.toBeNull();
  });
});
