// The build for backends outside the repository: plain JavaScript that Node runs without a
// TypeScript loader, with declarations, and tokens it signs verify here.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { verifyCustomerToken } from './index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(root, '.build-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

it('builds to JavaScript that signs tokens Pulso accepts', async () => {
  execFileSync(join(root, '../../node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', out], {
    cwd: root,
  });
  expect(existsSync(join(out, 'index.d.ts'))).toBe(true);
  const script = `import('${join(out, 'index.js')}').then(async (m) => process.stdout.write(await m.signCustomerToken({ secret: '${'s'.repeat(40)}', externalId: 'cus_1' })))`;
  const token = execFileSync(process.execPath, ['-e', script], { cwd: tmpdir(), encoding: 'utf8' });
  expect((await verifyCustomerToken(token, 's'.repeat(40))).externalId).toBe('cus_1');
}, 30_000);
