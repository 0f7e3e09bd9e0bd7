// A site that embeds the widgets, as a company runs it: its own origin, every response sent with
// the Content-Security-Policy the widgets' README recommends, its own files (a Vite build, the
// README's scripts) and its own backend routes. Plus Debian's Chromium, and what a page reports
// that a visitor would not see: console errors, uncaught exceptions and CSP violations.
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Page } from 'playwright-core';
// Debian's Chromium with the flags that keep it off the closed network: the widgets' own launcher.
export { launchChromium } from '@pulso/widgets/measure/chromium.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

export interface Site {
  /** The site's origin, e.g. http://localhost:41234 (not 127.0.0.1: another origin than Pulso's). */
  url: string;
  close(): Promise<void>;
}

export interface SiteOptions {
  /** The Content-Security-Policy header's value, sent with every response. */
  csp: string;
  /** Files by path (`/js/x.js`); `/` is `/index.html`. */
  files?: Record<string, string>;
  /** A folder served as the site's root (a Vite build's `dist`), after `files`. */
  root?: string;
  /** The site's backend: answers a request it handles and returns true. */
  backend?: (request: IncomingMessage, response: ServerResponse) => Promise<boolean> | boolean;
}

export async function serveSite({ csp, files = {}, root, backend }: SiteOptions): Promise<Site> {
  const server = createServer(async (request, response) => {
    response.setHeader('content-security-policy', csp);
    try {
      if (backend && (await backend(request, response))) return;
      const path = new URL(request.url ?? '/', 'http://site').pathname;
      const file = path === '/' ? '/index.html' : path;
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      const body = files[file] ?? (root ? await readFile(join(root, normalize(file))).catch(() => null) : null);
      if (body === null || body === undefined) {
        // Any other page of the site (where the README's navigation example leads).
        response.writeHead(200, { 'content-type': TYPES['.html']! });
        response.end('<!doctype html><title>Page of the site</title>');
        return;
      }
      response.writeHead(200, { 'content-type': type });
      response.end(body);
    } catch (error) {
      response.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * What went wrong on a page, as a list of lines: console errors (a blocked script or connection
 * shows there too), uncaught exceptions, and every `securitypolicyviolation` the page fired.
 */
export async function watch(page: Page): Promise<{ problems: string[]; logs: string[] }> {
  const problems: string[] = [];
  const logs: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    else if (message.type() === 'log') logs.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`exception: ${error.message}`));
  await page.exposeFunction('__pulsoViolation', (text: string) => problems.push(`CSP violation: ${text}`));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (event) =>
      (window as unknown as { __pulsoViolation(text: string): void }).__pulsoViolation(
        `${event.violatedDirective} blocked ${event.blockedURI || 'inline'}${event.sample ? ` (${event.sample})` : ''}`,
      ),
    ),
  );
  return { problems, logs };
}
