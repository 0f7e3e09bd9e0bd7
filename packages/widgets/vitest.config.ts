// Widget tests run in Debian's Chromium (never a browser download) against a real Pulso server
// that test/global-setup.ts starts in Node on the demo workspace.
import { createRequire } from 'node:module';
import { playwright } from '@vitest/browser-playwright';
import { defineProject } from 'vitest/config';
import { commands } from './test/commands.ts';

const require = createRequire(import.meta.url);

export default defineProject({
  // As in apps/server: the server (loaded by the global setup) must use the CommonJS graphql that
  // graphql-yoga uses, or yoga's error masking sees two GraphQLError classes.
  resolve: {
    alias: [
      { find: /^graphql$/, replacement: require.resolve('graphql', { paths: [require.resolve('@pulso/server')] }) },
    ],
  },
  test: {
    name: '@pulso/widgets',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['./test/global-setup.ts'],
    setupFiles: ['./test/fixture.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: process.env.PULSO_CHROMIUM ?? '/usr/bin/chromium',
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--no-first-run',
            '--disable-sync',
          ],
        },
      }),
      instances: [{ browser: 'chromium' }],
      commands,
    },
  },
});
