// Vitest global setup of the tests that run the compiled server or `pulso` command as processes
// (this project's, and @pulso/cli's evaluate test): builds both once (scripts/build.mjs, about two
// seconds), so every process the tests start runs the production build — the code operators run —
// without tsx compiling the sources again in each process. Projects of one run share the main
// process, where global setups run: the first to get here builds, the others wait for that build.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = globalThis as { pulsoBuild?: Promise<unknown> };

export default async function buildOnce() {
  shared.pulsoBuild ??= promisify(execFile)(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], {
    cwd: repoRoot,
  }).then(({ stdout }) => process.stdout.write(stdout));
  await shared.pulsoBuild;
}
