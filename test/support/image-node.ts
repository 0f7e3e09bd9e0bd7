// The Node.js the production image runs (Dockerfile's `FROM node:<major>-…`), for tests that run
// the release folder on it as well as on the Node running the tests: the machines that test Pulso
// have Node 20, which reached its end of life in April 2026, while an image must run a maintained
// release. Node's official binaries are published on the npm registry as `node-<os>-<arch>`
// packages (the `node` package installs from them), so the binary comes the way every other
// dependency does: `npm pack` once into node_modules/.cache, checked by its own `--version`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './server-process.ts';

/** The release the tests run; the Dockerfile names its major. Update both together. */
export const IMAGE_NODE_VERSION = '24.22.3';

/**
 * The image is Linux (Debian's bookworm), x64 or arm64, the two the npm registry has binaries for:
 * elsewhere (a Mac) its Node cannot run, and only the tests' own Node runs the release folder.
 */
export const IMAGE_NODE_RUNS_HERE = process.platform === 'linux' && ['x64', 'arm64'].includes(process.arch);

/** The Dockerfile's Node majors, stage by stage (`FROM node:24-bookworm-slim` → 24). */
export function dockerfileNodeMajors(): number[] {
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  return [...dockerfile.matchAll(/^FROM node:(\d+)-/gm)].map((match) => Number(match[1]));
}

/** The path of the image's Node binary, fetched from the npm registry the first time. */
export function imageNode(): string {
  const folder = join(repoRoot, 'node_modules', '.cache', 'pulso-image-node', IMAGE_NODE_VERSION);
  const binary = join(folder, 'package', 'bin', 'node');
  if (!existsSync(binary)) {
    if (!IMAGE_NODE_RUNS_HERE)
      throw new Error(`the image's Node is Linux's; this is ${process.platform}-${process.arch}`);
    const name = `node-linux-${process.arch}@${IMAGE_NODE_VERSION}`;
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    try {
      const tarball = execFileSync('npm', ['pack', name, '--pack-destination', folder, '--silent'], {
        encoding: 'utf8',
        timeout: 300_000,
      }).trim();
      execFileSync('tar', ['-xzf', join(folder, tarball.split('\n').at(-1)!), '-C', folder]);
    } catch (error) {
      rmSync(folder, { recursive: true, force: true });
      throw new Error(`could not fetch Node.js ${name} from the npm registry: ${(error as Error).message}`);
    }
  }
  const version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  if (version !== `v${IMAGE_NODE_VERSION}`) throw new Error(`${binary} is ${version}, not v${IMAGE_NODE_VERSION}`);
  return binary;
}
