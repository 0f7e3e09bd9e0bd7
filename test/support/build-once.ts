// Vitest global setup of the cross-process tests: builds the server and the `pulso` command once
// (scripts/build.mjs, about two seconds), so every server the tests start runs the production
// build — the code operators run — without tsx compiling the sources again in each process.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export default function buildOnce() {
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
}
