// The bundle budget and the promise to embedding sites: one script tag on another origin, with a
// strict Content-Security-Policy (no inline script or style) and Trusted Types enforced.
import { expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { inject } from 'vitest';

// What pulso.js weighs today (13,999 B; the pt-BR and es messages are chunks loaded on demand)
// plus a little room; issue #7's target is 12 KB (see bench/RESULTS.md, benchmark 6). It grew by
// 190 B when numbers stopped going through Intl and requests started after the first frame,
// which halved the widgets' first render. Issue #17 (dashboards left open all day) added, gzipped:
// the page's colour scheme and the theme attribute +143 B (14,206 B); reading again after a
// reconnection and the "may be out of date" line +193 B (14,399 B); asking the page for a new
// view token before expiry, and the expired state, +437 B (14,836 B); the narrow layouts (phones)
// +173 B (15,009 B); one live connection per page for all widgets (liveViews) +291 B (15,300 B),
// shared by the site's tabs (a leader tab, Web Locks and BroadcastChannel) +573 B (15,873 B);
// every word in the page's language (flags, reasons and categories worded by code from their
// figures, the page's `lang`) +735 B (16,608 B; their pt-BR and es words are in those chunks).
const BUDGET_GZIP_BYTES = 16.4 * 1024;

it('builds one ES module defining the three elements, Lit included, within 16.4 KB gzipped', async () => {
  const { bytes, gzipBytes, defines } = await commands.measureBundle();
  console.info(`widgets bundle: ${bytes} bytes, ${gzipBytes} bytes gzipped (budget ${BUDGET_GZIP_BYTES})`);
  expect(defines).toEqual(['pulso-gauge', 'pulso-rating', 'pulso-at-risk']);
  expect(gzipBytes).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
}, 60_000);

it('works on a page of another origin with a strict CSP and Trusted Types, from the script tag alone', async () => {
  const { shown, ratingText, problems } = await commands.visitPage(inject('pulso').cspPageUrl);
  expect(problems).toEqual([]);
  expect(shown['pulso-gauge']).toMatch(/\d/);
  expect(shown['pulso-rating']).toContain('Was this helpful?');
  expect(shown['pulso-at-risk']).toContain('Customers at risk');
  expect(ratingText).toContain('Thank you');
}, 60_000);
