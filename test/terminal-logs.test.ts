// The server's logs as its operator sees them, from real processes: in a terminal during
// development, one readable line each (time, level, message, fields); in production, piped, or when
// PULSO_LOG_FORMAT=json, one JSON object a line. The terminal is a pseudo-terminal made by
// util-linux's `script`, so the server's stdout is a TTY exactly as under `npm start`. Each run is
// stopped with SIGINT and its shutdown lines must be there: pretty lines are written synchronously,
// none is lost at exit. The start banner (URLs, keys, first-workspace command) comes after the
// start's logs, between its two rules.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openMigratedPGliteFolder } from '@pulso/database/testing';
import { freePort, NODE_FLAGS, repoRoot, SERVER_ENTRY, startServer } from './support/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulso-terminal-logs-'));
const dataDir = join(dir, 'data');
beforeAll(async () => {
  await (await openMigratedPGliteFolder(dataDir)).close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE_ENV = { PULSO_DATA_DIR: dataDir, PULSO_SEED_DEMO: 'false', LOG_LEVEL: 'info' };
const PRETTY_LINE = /^\[\d\d:\d\d:\d\d\.\d{3}\] (INFO|WARN|ERROR|DEBUG): (.+)$/;
const RULE = '─'.repeat(72);

/**
 * Runs the compiled server until it serves, then stops it with SIGINT: under a pseudo-terminal, or
 * with its stdout redirected to a file (as `npm start > pulso.log` does; the file is read).
 */
async function run(
  env: Record<string, string>,
  to: 'terminal' | 'file' = 'terminal',
): Promise<{ code: number | null; lines: string[] }> {
  const server = [process.execPath, ...NODE_FLAGS, SERVER_ENTRY];
  const file = join(dir, 'stdout.log');
  const out = to === 'file' ? openSync(file, 'w') : 'pipe';
  const child = spawn(
    to === 'terminal' ? 'script' : server[0]!,
    to === 'terminal' ? ['-qfec', server.map((part) => `'${part}'`).join(' '), '/dev/null'] : server.slice(1),
    {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        TERM: 'xterm-256color',
        PORT: String(await freePort()),
        ...BASE_ENV,
        ...env,
      },
      stdio: ['pipe', out, 'pipe'],
    },
  );
  let piped = '';
  child.stdout?.on('data', (chunk) => (piped += chunk));
  child.stderr?.on('data', (chunk) => (piped += chunk));
  const output = () => (to === 'file' ? readFileSync(file, 'utf8') + piped : piped);
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const deadline = Date.now() + 60_000;
  while (!/GraphQL:/.test(output()) && child.exitCode === null) {
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`no start in a minute:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // The server (not `script`) is stopped, as Ctrl-C would: its pid is in the data folder's lock.
  const { pid } = JSON.parse(readFileSync(`${dataDir}.lock`, 'utf8')) as { pid: number };
  process.kill(pid, 'SIGINT');
  const code = await closed;
  if (typeof out === 'number') closeSync(out);
  return { code, lines: stripVTControlCharacters(output()).split(/\r?\n/).filter(Boolean) };
}

/** The banner's lines, and the log lines before and after it. */
function split(lines: string[]) {
  const open = lines.indexOf(RULE);
  const close = lines.indexOf(RULE, open + 1);
  expect(
    [open, close].every((i) => i >= 0),
    lines.join('\n'),
  ).toBe(true);
  return { before: lines.slice(0, open), banner: lines.slice(open + 1, close), after: lines.slice(close + 1) };
}

it('writes readable lines in a terminal during development, the banner after the start logs', async () => {
  const { code, lines } = await run({ NODE_ENV: 'development' });
  expect(code).toBe(0);
  const { before, banner, after } = split(lines);
  expect(
    before.find((l) => l.includes('listening')),
    lines.join('\n'),
  ).toMatch(PRETTY_LINE);
  expect(before.at(-1)).toMatch(/^\[[\d:.]+\] INFO: listening \{"url":"http:\/\/127\.0\.0\.1:\d+",/);
  expect(banner[0]).toMatch(/^Pulso is running on PGlite /);
  expect(banner).toContain("No workspace yet. Create your company's workspace and its keys with:");
  // Shut down by SIGINT: its lines are there, readable, and nothing is JSON.
  expect(after.map((l) => PRETTY_LINE.exec(l)?.[2])).toEqual(['shutting down {"signal":"SIGINT"}', 'stopped']);
  expect(lines.filter((l) => l.startsWith('{'))).toEqual([]);
});

it('writes JSON lines in a terminal under NODE_ENV=production', async () => {
  const { code, lines } = await run({ NODE_ENV: 'production' });
  expect(code).toBe(0);
  const { before, after } = split(lines);
  const logs = [...before, ...after].map((l) => JSON.parse(l) as { level: number; msg: string; service: string });
  expect(logs.map((l) => l.msg)).toEqual(['listening', 'shutting down', 'stopped']);
  expect(logs.every((l) => l.service === 'pulso')).toBe(true);
  // The banner comes after the start's logs, though JSON lines are written asynchronously.
  expect(before).toHaveLength(1);
});

it('writes JSON lines when piped, and readable ones without colour when PULSO_LOG_FORMAT=pretty', async () => {
  for (const format of ['', 'pretty'] as const) {
    const server = await startServer({
      ...BASE_ENV,
      NODE_ENV: 'development',
      PORT: String(await freePort()),
      ...(format ? { PULSO_LOG_FORMAT: format } : {}),
    });
    expect(await server.stop('SIGINT')).toBe(0);
    const lines = server.output().split('\n').filter(Boolean);
    const { before, after } = split(lines);
    const logs = [...before, ...after];
    expect(before.at(-1), format).toContain('listening');
    if (format === 'pretty') {
      expect(logs.map((l) => PRETTY_LINE.exec(l)?.[2]?.split(' ')[0])).toEqual(['listening', 'shutting', 'stopped']);
      expect(server.output()).not.toContain('\u001b[');
    } else {
      expect(logs.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
        'listening',
        'shutting down',
        'stopped',
      ]);
    }
  }
});

it('writes JSON lines into a file stdout is redirected to, the banner after them', async () => {
  const { code, lines } = await run({ NODE_ENV: 'development' }, 'file');
  expect(code).toBe(0);
  const { before, after } = split(lines);
  expect(before.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['listening']);
  expect(after.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['shutting down', 'stopped']);
});
