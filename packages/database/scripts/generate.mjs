// `prisma generate` never runs the schema engine, but the CLI insists on finding its native binary
// first and tries to download it (unreachable offline). Pointing PRISMA_SCHEMA_ENGINE_BINARY at any
// existing file satisfies that check; see shared/docs/environment.md.
import { spawnSync } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const placeholder = join(pkg, 'prisma', 'schema.prisma');
const bin = join(pkg, 'node_modules', '.bin');
const result = spawnSync(join(bin, 'prisma'), ['generate'], {
  cwd: pkg,
  stdio: 'inherit',
  shell: process.platform === 'win32',
  env: {
    ...process.env,
    // The generators (prisma-pothos-types) are looked up on PATH.
    PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? placeholder,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
if (result.error) console.error(`prisma generate could not start: ${result.error.message}`);
process.exit(result.status ?? 1);
