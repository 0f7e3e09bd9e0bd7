import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pulsoVersion } from './index.ts';

describe('pulsoVersion', () => {
  it("is the root package.json's version, a semantic version that CHANGELOG.md has a section for", () => {
    const root = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    expect(pulsoVersion()).toBe(root.version);
    expect(pulsoVersion()).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    const changelog = readFileSync(new URL('../../../CHANGELOG.md', import.meta.url), 'utf8');
    expect(changelog).toContain(`## [${pulsoVersion()}]`);
  });
});
