// What each preparation step reads, fingerprinted by content (scripts/pulso.mjs keeps the last
// fingerprints in .pulso/prepared.json and skips a step whose inputs did not change). Content, not
// modification times: a checkout or a copy touches every file without changing any.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'generated', '.pulso', '.git']);

function workspaceDirs(root) {
  const dirs = ['.', 'test', 'bench'];
  for (const parent of ['packages', 'apps'])
    if (existsSync(join(root, parent)))
      for (const entry of readdirSync(join(root, parent), { withFileTypes: true }))
        if (entry.isDirectory()) dirs.push(join(parent, entry.name));
  return dirs.filter((dir) => existsSync(join(root, dir, 'package.json')));
}

function filesUnder(root, dir) {
  const files = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    if (SKIPPED_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(root, path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

function fingerprint(root, files) {
  const hash = createHash('sha256');
  for (const file of [...files].sort())
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(root, file)))
      .update('\0');
  return hash.digest('hex');
}

/** Install reads the lockfile, the workspace file and every package.json. */
export function inputsOfInstall(root) {
  const files = ['pnpm-lock.yaml', 'pnpm-workspace.yaml'].filter((file) => existsSync(join(root, file)));
  return fingerprint(root, [...files, ...workspaceDirs(root).map((dir) => join(dir, 'package.json'))]);
}

/** Generate reads the packages that have a generate step, whole: sources, schema, configs, scripts. */
export function inputsOfGenerate(root) {
  const generating = workspaceDirs(root).filter(
    (dir) => dir !== '.' && JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).scripts?.generate,
  );
  return fingerprint(
    root,
    generating.flatMap((dir) => filesUnder(root, dir)),
  );
}

/** The build reads every package's and app's files (the Prisma schema among them) and its own script. */
export function inputsOfBuild(root) {
  const dirs = ['packages', 'apps'].filter((dir) => existsSync(join(root, dir)));
  return fingerprint(root, [...dirs.flatMap((dir) => filesUnder(root, dir)), 'scripts/build.mjs']);
}

/**
 * The format, lint and type checks read every file of the checkout (sources, configurations, the
 * lockfile that pins the tools and the types); outputs and installed dependencies follow from those.
 */
export function inputsOfChecks(root) {
  return fingerprint(root, filesUnder(root, '.'));
}
