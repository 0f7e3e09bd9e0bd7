#!/usr/bin/env node
// The entry point behind `npm start` and `npm test`. A fresh machine has only Node and npm, so this
// script bootstraps the pinned pnpm from the npm registry (corepack cannot verify signatures here),
// installs the workspace, runs every package's `generate` step, and then starts the server, runs
// the tests or the benchmarks. Only Node built-ins are used: nothing is installed yet when it starts.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inputsOfBuild, inputsOfChecks, inputsOfGenerate, inputsOfInstall } from './fingerprints.mjs';
import { whyBusy } from './start-guard.mjs';

const osSignals = constants.signals;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const npmCommand = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function run(command, args, options = {}, onChild = () => {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    onChild(child);
    // Passed on, and this process waits for the child: a signal ending this process alone (SIGHUP
    // had no listener) left the server running under init, holding its port and data folder.
    const forward = (signal) => child.kill(signal);
    for (const signal of FORWARDED) process.on(signal, forward);
    child.on('error', reject);
    // 'close', not 'exit': a child's piped output is then all read.
    child.on('close', (code, signal) => {
      for (const forwarded of FORWARDED) process.off(forwarded, forward);
      resolve(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 128 + (osSignals[signal] ?? 0)));
    });
  });
}

/** Runs one step; resolves with its exit code after saying which failed. */
async function tryStep(label, command, args, options) {
  const code = await run(command, args, options);
  if (code !== 0) console.error(`pulso: ${label} failed (exit code ${code})`);
  return code;
}

/** Runs one step; a failure ends this process with the step's exit code. */
async function step(label, command, args, options) {
  const code = await tryStep(label, command, args, options);
  if (code !== 0) process.exit(code);
}

// --no-progress: npm's spinner, drawn while it finds the pinned pnpm, is noise above pnpm's own output.
const pnpm = (args) => [
  npmCommand,
  ['exec', '--yes', '--no-progress', `--package=${packageManager}`, '--', 'pnpm', ...args],
];

/**
 * A step whose output matters only when it fails (generate: the Prisma client and the widgets'
 * build print some thirty lines of sizes and timings): one line when it succeeds, everything it
 * printed when it does not.
 */
async function quietStep(label, command, args) {
  const started = Date.now();
  const output = [];
  let child;
  let code = await run(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }, (spawned) => {
    child = spawned;
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
  });
  // Stopped by Ctrl-C, generate did not finish: run() calls that 0, which must not stamp it as done.
  if (child.signalCode !== null) code = 1;
  if (code !== 0) {
    process.stderr.write(Buffer.concat(output));
    console.error(`pulso: ${label} failed (exit code ${code})`);
    process.exit(code);
  }
  console.log(`pulso: ${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// Install and generate run again only when what they read changed (a warm restart skips both: a
// few seconds instead of ~10, and nothing rewritten under a server already running on the clone).
// What each step read is fingerprinted by content into .pulso/prepared.json after it succeeds;
// PULSO_FORCE_PREPARE=1 runs both anyway.
const stampFile = join(root, '.pulso', 'prepared.json');
/** What generate writes: when one is missing (a clean, a fresh clone), it runs whatever the stamp says. */
const GENERATED = ['packages/database/generated/prisma/client.ts', 'packages/widgets/dist/pulso.js'];

function readStamp() {
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return {};
  }
}

function writeStamp(stamp) {
  mkdirSync(dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, `${JSON.stringify(stamp, null, 2)}\n`);
}

async function prepare() {
  const force = process.env.PULSO_FORCE_PREPARE === '1' || process.env.CI;
  const stamp = force ? {} : readStamp();
  const install = inputsOfInstall(root);
  if (stamp.install !== install || !existsSync(join(root, 'node_modules', '.modules.yaml'))) {
    const frozen = existsSync(join(root, 'pnpm-lock.yaml')) && process.env.CI ? ['--frozen-lockfile'] : [];
    await step('install', ...pnpm(['install', '--reporter=append-only', ...frozen]));
    writeStamp({ ...readStamp(), install, generate: undefined });
  }
  const generate = inputsOfGenerate(root);
  if (stamp.generate !== generate || stamp.install !== install || GENERATED.some((f) => !existsSync(join(root, f)))) {
    await quietStep(
      'generate (database client, widgets)',
      ...pnpm(['-r', '--reporter=append-only', 'run', 'generate']),
    );
    writeStamp({ ...readStamp(), install, generate });
  }
}

/**
 * The compiled server and command (scripts/build.mjs), rebuilt only when a source changed: a
 * start then runs compiled JavaScript (about a second to listen) instead of compiling the
 * TypeScript in process through tsx (several). Source maps keep stack traces on the sources.
 */
async function ensureBuilt() {
  const sources = inputsOfBuild(root);
  const force = process.env.PULSO_FORCE_PREPARE === '1' || process.env.CI;
  const stamp = force ? {} : readStamp();
  const outputs = ['apps/server/dist/main.mjs', 'apps/cli/dist/pulso.mjs'];
  if (stamp.build === sources && outputs.every((f) => existsSync(join(root, f)))) return;
  await step('build', process.execPath, ['scripts/build.mjs']);
  writeStamp({ ...readStamp(), build: sources });
}

/**
 * Format, lint and type checks, skipped when no file changed since they last passed (the
 * fingerprint of every file, kept beside the others; CI and PULSO_FORCE_PREPARE=1 run them anyway).
 * The workspace is type-checked as one program (tsconfig.typecheck.json: each file once, where
 * `pnpm -r run typecheck` checked what a package imports again in every importer), the widgets,
 * whose options differ (DOM types), with their own config.
 */
async function checks() {
  const force = process.env.PULSO_FORCE_PREPARE === '1' || process.env.CI;
  const inputs = inputsOfChecks(root);
  if (!force && readStamp().checks === inputs) {
    console.log('pulso: format, lint and types unchanged since they last passed (checks skipped)');
    return;
  }
  // The three at once, each straight from its package (a `pnpm exec` costs a second of its own):
  // about 5 s where one after the other took 11 on 2 cores. Each failure is reported; all must pass.
  const failed = (
    await Promise.all([
      tryStep('format and lint', ...bin('@biomejs/biome', 'biome', ['ci', '.'])),
      tryStep('typecheck', ...bin('typescript', 'tsc', ['-p', 'tsconfig.typecheck.json'])),
      tryStep('typecheck (widgets)', ...bin('typescript', 'tsc', ['-p', 'packages/widgets/tsconfig.json'])),
    ])
  ).find((code) => code !== 0);
  if (failed !== undefined) process.exit(failed);
  writeStamp({ ...readStamp(), checks: inputs });
}

/** A tool installed in the workspace, run by Node from its package's `bin` entry (any platform). */
function bin(packageName, name, args) {
  const folder = join(root, 'node_modules', packageName);
  const { bin: entries } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  return [process.execPath, [join(folder, typeof entries === 'string' ? entries : entries[name]), ...args]];
}

const compiled = (entry, rest, options) => run(process.execPath, ['--enable-source-maps', entry, ...rest], options);

const tsx = (entry, rest, options) => run(process.execPath, ['--import', 'tsx', entry, ...rest], options);

/** Each command resolves to the exit code of this process. */
const commands = {
  async start(rest) {
    // Refused before anything is installed, generated or built under a server already running.
    const busy = await whyBusy(process.env, root);
    if (busy) {
      console.error(`pulso: ${busy}`);
      return 1;
    }
    await prepare();
    await ensureBuilt();
    // Start the server directly (not through pnpm) so that Ctrl-C and SIGTERM reach it unwrapped.
    return compiled('apps/server/dist/main.mjs', rest, {
      env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development' },
    });
  },
  async test(rest) {
    await prepare();
    await checks();
    const results = join(root, '.pulso', 'test-results.json');
    const code = await run(
      ...bin('vitest', 'vitest', [
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${results}`,
        ...rest,
      ]),
      // As under `pnpm exec`, which ran it before: the workspace's tools on the PATH.
      { env: { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}` } },
    );
    // One plain closing line that any CI can read, whatever the runner prints above it.
    if (existsSync(results)) {
      const { numPassedTests = 0, numFailedTests = 0, numPendingTests = 0 } = JSON.parse(readFileSync(results, 'utf8'));
      const skipped = numPendingTests ? `, ${numPendingTests} skipped` : '';
      console.log(`\ntests: ${numPassedTests} passed, ${numFailedTests} failed${skipped}`);
    }
    return code;
  },
  // The production build (scripts/build.mjs): `npm run serve` then starts the compiled server alone.
  async build() {
    await prepare();
    return run(process.execPath, ['scripts/build.mjs']);
  },
  // Database maintenance: migrate | create-migration NAME | diff (see packages/database/src/cli.ts).
  async db(rest) {
    await prepare();
    return tsx('packages/database/src/cli.ts', rest);
  },
  // The benchmark suite (bench/README.md): `npm run bench -- [name...] [options]`.
  async bench(rest) {
    await prepare();
    return tsx('bench/run.ts', rest);
  },
  // Operator commands (apps/cli): `npm run pulso -- <command> [options]`.
  async pulso(rest) {
    await prepare();
    await ensureBuilt();
    return compiled('apps/cli/dist/pulso.mjs', rest);
  },
  // The load mix (bench/README.md): `npm run bench:load -- [options]`.
  async 'bench:load'(rest) {
    await prepare();
    return tsx('bench/load/run.ts', rest);
  },
  pnpm: (rest) => run(...pnpm(rest)),
};

const [command = 'start', ...rest] = process.argv.slice(2);
if (!Object.hasOwn(commands, command)) {
  console.error(`usage: node scripts/pulso.mjs ${Object.keys(commands).join('|')} [args...]`);
  process.exit(2);
}
process.exit(await commands[command](rest));
