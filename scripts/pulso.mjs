#!/usr/bin/env node
// The entry point behind `npm start` and `npm test`. A fresh machine has only Node and npm, so this
// script bootstraps the pinned pnpm from the npm registry (corepack cannot verify signatures here),
// installs the workspace, runs every package's `generate` step, and then starts the server, runs
// the tests or the benchmarks. Only Node built-ins are used: nothing is installed yet when it starts.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const npmCommand = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1));
    });
  });
}

async function step(label, command, args, options) {
  const code = await run(command, args, options);
  if (code !== 0) {
    console.error(`pulso: ${label} failed (exit code ${code})`);
    process.exit(code);
  }
}

const pnpm = (args) => [npmCommand, ['exec', '--yes', `--package=${packageManager}`, '--', 'pnpm', ...args]];

async function prepare() {
  const frozen = existsSync(join(root, 'pnpm-lock.yaml')) && process.env.CI ? ['--frozen-lockfile'] : [];
  await step('install', ...pnpm(['install', '--reporter=append-only', ...frozen]));
  await step('generate', ...pnpm(['-r', '--reporter=append-only', 'run', 'generate']));
}

const [command = 'start', ...rest] = process.argv.slice(2);
switch (command) {
  case 'start': {
    await prepare();
    // Start the server directly (not through pnpm) so that Ctrl-C and SIGTERM reach it unwrapped.
    process.exit(
      await run(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts', ...rest], {
        env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development' },
      }),
    );
  }
  case 'test': {
    await prepare();
    await step('typecheck', ...pnpm(['-r', '--reporter=append-only', 'run', 'typecheck']));
    const results = join(root, '.pulso', 'test-results.json');
    const code = await run(
      ...pnpm([
        'exec',
        'vitest',
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${results}`,
        ...rest,
      ]),
    );
    // One plain closing line that any CI can read, whatever the runner prints above it.
    if (existsSync(results)) {
      const { numPassedTests = 0, numFailedTests = 0, numPendingTests = 0 } = JSON.parse(readFileSync(results, 'utf8'));
      console.log(
        `\ntests: ${numPassedTests} passed, ${numFailedTests} failed${numPendingTests ? `, ${numPendingTests} skipped` : ''}`,
      );
    }
    process.exit(code);
  }
  case 'db': {
    // Database maintenance: migrate | create-migration NAME | diff (see packages/database/src/cli.ts).
    await prepare();
    process.exit(await run(process.execPath, ['--import', 'tsx', 'packages/database/src/cli.ts', ...rest]));
  }
  case 'bench': {
    // The benchmark suite (bench/README.md): `npm run bench -- [name...] [options]`.
    await prepare();
    process.exit(await run(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...rest]));
  }
  case 'bench:load': {
    // The load mix of issue #6 (bench/README.md): `npm run bench:load -- [options]`.
    await prepare();
    process.exit(await run(process.execPath, ['--import', 'tsx', 'bench/load/run.ts', ...rest]));
  }
  case 'pnpm': {
    process.exit(await run(...pnpm(rest)));
  }
  default:
    console.error(`usage: node scripts/pulso.mjs start|test|db|bench|bench:load|pnpm [args...]`);
    process.exit(2);
}
