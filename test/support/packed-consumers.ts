// Projects of a company that installs the packed packages: `pnpm pack` makes the tarballs a
// publish would upload, and a pnpm workspace in a temporary folder installs them by file path
// beside React, Vue, Vite and TypeScript, offline.
//
// Offline needs a lockfile: without one pnpm asks the registry for every version. The consumers'
// lockfile is this repository's, with importers of their own: their dependencies (exact versions,
// as this repository's test package pins them through the catalog) resolve to the very entries
// this repository installed, and the tarballs get entries of their own (integrity computed here,
// dependencies as their packed package.json names them). So the install reads only pnpm's store.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './server-process.ts';

const run = promisify(execFile);

/** The pinned pnpm (package.json's packageManager), run the way scripts/pulso.mjs runs it. */
export async function pnpm(args: string[], cwd: string): Promise<string> {
  const { packageManager } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    packageManager: string;
  };
  const { stdout, stderr } = await run('npm', ['exec', '--yes', `--package=${packageManager}`, '--', 'pnpm', ...args], {
    cwd,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout + stderr;
}

export interface Tarball {
  name: string;
  /** Path relative to the consumers' folder. */
  path: string;
  manifest: { version: string; dependencies?: Record<string, string>; [key: string]: unknown };
  /** Every file in it, without the leading `package/`. */
  files: string[];
}

/** Packs the packages into `<dir>/tarballs` (their prepack scripts run, as on publish). */
export async function packPackages(dir: string, names: string[]): Promise<Tarball[]> {
  const out = join(dir, 'tarballs');
  mkdirSync(out, { recursive: true });
  await pnpm([...names.flatMap((name) => ['--filter', name]), 'pack', '--pack-destination', out], repoRoot);
  return Promise.all(
    names.map(async (name) => {
      const file = readdirSync(out).find((f) => f.startsWith(`${name.replace('@', '').replace('/', '-')}-`))!;
      const path = join(out, file);
      const { stdout: listing } = await run('tar', ['-tzf', path]);
      const { stdout: manifest } = await run('tar', ['-xzOf', path, 'package/package.json']);
      return {
        name,
        path: `tarballs/${file}`,
        manifest: JSON.parse(manifest),
        files: listing
          .split('\n')
          .filter(Boolean)
          .map((f) => f.replace(/^package\//, '')),
      };
    }),
  );
}

export interface Consumer {
  /** Folder name under the consumers' folder. */
  name: string;
  /** Packages of this repository's test package (their locked versions), and tarballs by name. */
  dependencies: string[];
  devDependencies: string[];
  tarballs: string[];
  /** Files by path relative to the project. */
  files: Record<string, string>;
}

/** The `importers.test` block of this repository's lockfile: name -> locked version (with peers). */
function lockedVersions(lockfile: string): Map<string, string> {
  const start = lockfile.indexOf('\n  test:\n');
  const block = lockfile.slice(start, lockfile.indexOf('\n\n', start + 1));
  const versions = new Map<string, string>();
  for (const m of block.matchAll(/\n {6}'?([^':\n]+)'?:\n {8}specifier: [^\n]+\n {8}version: ([^\n]+)/g))
    versions.set(m[1]!, m[2]!);
  return versions;
}

/** Writes the consumer projects, their workspace and lockfile, and installs them offline. */
export async function installConsumers(dir: string, consumers: Consumer[], tarballs: Tarball[]): Promise<void> {
  const lockfile = readFileSync(join(repoRoot, 'pnpm-lock.yaml'), 'utf8');
  const locked = lockedVersions(lockfile);
  const version = (name: string) => {
    const v = locked.get(name);
    if (!v) throw new Error(`${name} is not a dependency of the test package (test/package.json): add it there`);
    return v;
  };
  const byName = new Map(tarballs.map((t) => [t.name, t]));
  const importers: string[] = [];
  for (const consumer of consumers) {
    const deps = Object.fromEntries([
      ...consumer.tarballs.map((name) => [name, `file:../${byName.get(name)!.path}`]),
      ...consumer.dependencies.map((name) => [name, version(name).split('(')[0]!]),
    ]);
    const devDeps = Object.fromEntries(consumer.devDependencies.map((name) => [name, version(name).split('(')[0]!]));
    writeFile(
      join(dir, consumer.name, 'package.json'),
      JSON.stringify({
        name: consumer.name,
        private: true,
        type: 'module',
        dependencies: deps,
        devDependencies: devDeps,
      }),
    );
    for (const [path, text] of Object.entries(consumer.files)) writeFile(join(dir, consumer.name, path), text);
    const entry = (name: string, specifier: string, resolved: string) =>
      `      '${name}':\n        specifier: ${specifier}\n        version: ${resolved}\n`;
    importers.push(
      `  ${consumer.name}:\n` +
        `    dependencies:\n` +
        consumer.tarballs.map((n) => entry(n, deps[n]!, `file:${byName.get(n)!.path}`)).join('') +
        consumer.dependencies.map((n) => entry(n, deps[n]!, version(n))).join('') +
        (consumer.devDependencies.length
          ? `    devDependencies:\n${consumer.devDependencies.map((n) => entry(n, devDeps[n]!, version(n))).join('')}`
          : ''),
    );
  }
  const packages = tarballs.map((t) => {
    const integrity = `sha512-${createHash('sha512')
      .update(readFileSync(join(dir, t.path)))
      .digest('base64')}`;
    return `  '${t.name}@file:${t.path}':\n    resolution: {integrity: ${integrity}, tarball: file:${t.path}}\n    version: ${t.manifest.version}\n`;
  });
  for (const t of tarballs)
    for (const [name, v] of Object.entries(t.manifest.dependencies ?? {}))
      if (!lockfile.includes(`\n  ${name}@${v}:\n`) && !lockfile.includes(`\n  '${name}@${v}':\n`))
        throw new Error(`${t.name} depends on ${name}@${v}, which this repository's lockfile does not hold`);
  const snapshots = tarballs.map(
    (t) =>
      `  '${t.name}@file:${t.path}':\n` +
      (t.manifest.dependencies
        ? `    dependencies:\n${Object.entries(t.manifest.dependencies)
            .map(([name, v]) => `      ${name}: ${v}\n`)
            .join('')}`
        : ''),
  );
  const head = lockfile.slice(0, lockfile.indexOf('\ncatalogs:'));
  const rest = lockfile.slice(lockfile.indexOf('\npackages:\n'));
  writeFile(
    join(dir, 'pnpm-lock.yaml'),
    `${head}\nimporters:\n\n${importers.join('\n')}${rest
      .replace('\npackages:\n', `\npackages:\n\n${packages.join('\n')}`)
      .replace('\nsnapshots:\n', `\nsnapshots:\n\n${snapshots.join('\n')}`)}`,
  );
  writeFile(
    join(dir, 'pnpm-workspace.yaml'),
    // esbuild is an optional peer of Vite that Vite 8 does not build with: its install script is not needed.
    `packages:\n${consumers.map((c) => `  - ${c.name}\n`).join('')}ignoredBuiltDependencies:\n  - esbuild\n`,
  );
  await pnpm(['install', '--offline', '--frozen-lockfile', '--reporter=append-only'], dir);
}

function writeFile(path: string, text: string) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Runs a tool a consumer installed (`tsc`, `vite`) in its folder; rejects with its output when it fails. */
export async function runTool(projectDir: string, tool: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(join(projectDir, 'node_modules', '.bin', tool), args, {
      cwd: projectDir,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout + stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${tool} ${args.join(' ')} failed in ${projectDir}:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}
