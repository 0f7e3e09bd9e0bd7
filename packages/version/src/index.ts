// Pulso's version is the root package.json's "version": one place to bump at a release
// (CHANGELOG.md says what each one holds). Found by walking up from this file to the package.json
// named "pulso", so it is read the same from the sources and from a build laid out elsewhere.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** Pulso's version, e.g. "0.2.0". */
export function pulsoVersion(): string {
  cached ??= readVersion(dirname(fileURLToPath(import.meta.url)));
  return cached;
}

function readVersion(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const { name, version } = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (name === 'pulso') {
        if (!version) throw new Error(`${file} has no "version"`);
        return version;
      }
    }
    if (dirname(dir) === dir) throw new Error(`no package.json named "pulso" above ${from}`);
  }
}
