// Debian's Chromium through playwright-core, never a downloaded browser, with the flags that keep
// it off the closed network (see docs/environment.md). The same flags as vitest.config.ts.
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.PULSO_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }).catch((error: unknown) => {
    throw new Error(
      `could not start Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set PULSO_CHROMIUM): ${(error as Error).message}`,
    );
  });
}

export type { Browser, BrowserContext, Page } from 'playwright-core';
