// The live widgets across a Pulso restart: a second server over the same database is stopped
// mid-test (every connection dropped, live streams included) and started again on its port.
import { describe, expect, it, onTestFinished } from 'vitest';
import { commands } from 'vitest/browser';
import '../index.ts';
import {
  element,
  expectNoAxeViolations,
  fixture,
  portalCredential,
  recordNps,
  scoreValueOf,
  until,
} from '../../test/helpers.ts';
import { STALE_AFTER_MS } from './live-connection.ts';

const staleLine = (el: HTMLElement) => el.shadowRoot!.querySelector('[part=stale]');
const nps = (externalId: string, value: number) =>
  recordNps(externalId, value, { name: 'Restarted', idempotencyKey: `${externalId}-${value}` });

describe('live widgets across a server restart', () => {
  it('say their data may be out of date while the stream is down, and read it again once it is back', async () => {
    const origin = await commands.spareServer('start', 'restart');
    onTestFinished(() => void commands.spareServer('stop', 'restart'));
    const externalId = `restart-${crypto.randomUUID().slice(0, 8)}`;
    await nps(externalId, 9);
    const [gaugeToken, listToken] = await Promise.all([
      portalCredential({ kind: 'customer', externalId }),
      portalCredential({ kind: 'at_risk' }),
    ]);
    // Every request the widgets start (each still goes through).
    const sent: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      sent.push(String(init?.body ?? ''));
      return realFetch(input, init);
    };
    onTestFinished(() => void (window.fetch = realFetch));
    const gauge = await fixture(() =>
      element('pulso-gauge', { endpoint: origin, customer: externalId, token: gaugeToken, locale: 'en' }),
    );
    const list = await fixture(() =>
      element('pulso-at-risk', { endpoint: origin, token: listToken, locale: 'en', 'page-size': '2' }),
    );
    await until(() => gauge.score && list.customers.length > 0);
    // Let both streams connect: their code is a chunk fetched after the first paint (imported here
    // too, one copy per page: this resolves once theirs is in), then a round trip.
    await import('./live-tabs.ts');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = gauge.score!.value;
    for (const el of [gauge, list]) {
      expect(staleLine(el)!.getAttribute('role')).toBe('status');
      expect(staleLine(el)!.textContent).toBe('');
    }

    await commands.spareServer('stop', 'restart');
    // While it is down, the customer answers a survey through another instance (same database).
    await nps(externalId, 0);
    const after = await scoreValueOf(externalId);
    expect(after).not.toBe(before);
    // A short outage shows nothing...
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(staleLine(gauge)!.textContent).toBe('');
    // ...a longer one says so, on screen and in a status region, in each live widget.
    for (const el of [gauge, list]) {
      await until(() => /out of date/.test(staleLine(el)!.textContent!), STALE_AFTER_MS + 2_000);
      const line = staleLine(el)!;
      expect(line.getBoundingClientRect().height).toBeGreaterThan(0);
      expect(getComputedStyle(line).visibility).toBe('visible');
    }
    await expectNoAxeViolations(gauge);
    await expectNoAxeViolations(list);
    expect(gauge.score!.value).toBe(before);

    sent.length = 0;
    await commands.spareServer('start', 'restart');
    // Back: the gauge reads the score it missed, the list reads itself again, and the notices go.
    await until(() => gauge.score!.value === after, 20_000);
    expect(gauge.shadowRoot!.querySelector('[role=meter]')!.getAttribute('aria-valuenow')).toBe(String(after));
    await until(() => sent.some((body) => body.includes('query PulsoAtRisk')), 5_000);
    await until(() => staleLine(gauge)!.textContent === '' && staleLine(list)!.textContent === '', 5_000);
  }, 60_000);
});
