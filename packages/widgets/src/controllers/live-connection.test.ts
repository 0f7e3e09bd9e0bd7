// Many live widgets on one page share one connection: browsers allow six per host over HTTP/1.1,
// so twenty gauges with a stream each would leave most of them loading or never live.
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { commands } from 'vitest/browser';
import '../index.ts';
import { element, fixture, portalCredential, recordNps, until } from '../../test/helpers.ts';
import type { PulsoAtRisk } from '../at-risk/pulso-at-risk.ts';
import type { PulsoGauge } from '../gauge/pulso-gauge.ts';

// A Pulso server of this file's own: the widgets of other test files (frames of the same origin)
// would otherwise share the connection, and it would be theirs to open.
let origin = '';
const endpoint = () => `${origin}/graphql`;

describe('one live connection per page', () => {
  beforeAll(async () => {
    origin = await commands.spareServer('start', 'one-connection');
  });
  it('twenty gauges and an at-risk list all load and stay live over a single stream', async () => {
    // Customers of their own, live (a demo customer that churned is no longer followed live).
    const run = crypto.randomUUID().slice(0, 8);
    const customers = Array.from({ length: 20 }, (_, i) => ({ externalId: `page-${run}-${i}` }));
    for (const c of customers) await recordNps(c.externalId, 8);
    const tokens = await Promise.all(
      customers.map((c) => portalCredential({ kind: 'customer', externalId: c.externalId })),
    );
    const listToken = await portalCredential({ kind: 'at_risk' });
    // Every live request the page starts (each still goes through).
    const streams: string[] = [];
    let answered = 0;
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      const body = String(init?.body ?? '');
      if (!body.includes('subscription')) return realFetch(input, init);
      streams.push(body);
      return realFetch(input, init).then((response) => {
        answered += 1;
        return response;
      });
    };
    onTestFinished(() => void (window.fetch = realFetch));
    const page = await fixture(() => {
      const page = document.createElement('div');
      for (const [i, c] of customers.entries())
        page.append(
          element('pulso-gauge', { endpoint: endpoint(), customer: c.externalId, token: tokens[i]!, locale: 'en' }),
        );
      page.append(element('pulso-at-risk', { endpoint: endpoint(), token: listToken, locale: 'en', 'page-size': '3' }));
      return page;
    });
    const gauges = [...page.querySelectorAll('pulso-gauge')] as PulsoGauge[];
    const list = page.querySelector('pulso-at-risk') as PulsoAtRisk;
    await until(() => gauges.every((gauge) => gauge.score) && list.customers.length > 0, 15_000);
    // One stream carries all 21 views.
    // Changes made before the stream is answered are not its to carry: wait for it.
    await until(() => answered === 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(streams.length).toBe(1);
    expect(JSON.parse(streams[0]!).variables.views).toEqual([...tokens, listToken]);
    // Changes reach the first, a middle and the last gauge, live (no reload), each only its own.
    for (const index of [0, 9, 19]) {
      const before = gauges.map((gauge) => gauge.score!.value);
      await recordNps(customers[index]!.externalId, 0);
      await until(() => gauges[index]!.score!.value !== before[index]);
      expect(gauges.map((gauge) => gauge.score!.value).filter((value, i) => value !== before[i]).length).toBe(1);
    }
    // A gauge that leaves moves the views to a new stream, which replaces the old one.
    gauges[0]!.remove();
    await until(() => answered === 2);
    expect(JSON.parse(streams[1]!).variables.views).toEqual([...tokens.slice(1), listToken]);
    const before = gauges[19]!.score!.value;
    await recordNps(customers[19]!.externalId, 0);
    await until(() => gauges[19]!.score!.value !== before);
    expect(streams.length).toBe(2);
  }, 60_000);

  it('a change made after a widget first read its data but before its stream was answered is not missed', async () => {
    const externalId = `window-${crypto.randomUUID().slice(0, 8)}`;
    await recordNps(externalId, 8);
    const token = await portalCredential({ kind: 'customer', externalId });
    // The page's stream request is held until the change below is stored.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const realFetch = window.fetch;
    window.fetch = (input, init) =>
      String(init?.body ?? '').includes('subscription')
        ? held.then(() => realFetch(input, init))
        : realFetch(input, init);
    onTestFinished(() => void (window.fetch = realFetch));
    const gauge = (await fixture(() =>
      element('pulso-gauge', { endpoint: endpoint(), customer: externalId, token, locale: 'en' }),
    )) as PulsoGauge;
    await until(() => gauge.score);
    const first = gauge.score!.value;
    await recordNps(externalId, 0);
    release();
    // No event will tell the gauge (the change was before its stream): it reads again once the stream is answered.
    await until(() => gauge.score!.value !== first, 10_000);
  }, 30_000);

  it('a token Pulso refuses leaves the stream alone: its widget asks for another, the others stay live', async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const [good, bad] = [{ externalId: `kept-${run}` }, { externalId: `refused-${run}` }];
    await recordNps(good.externalId, 8);
    await recordNps(bad.externalId, 8);
    const goodToken = await portalCredential({ kind: 'customer', externalId: good!.externalId });
    const page = await fixture(() => {
      const page = document.createElement('div');
      page.append(
        element('pulso-gauge', { endpoint: endpoint(), customer: good!.externalId, token: goodToken, locale: 'en' }),
        // Signed by a backend with another secret: refused (the query too, so it shows an error).
        element('pulso-gauge', {
          endpoint: endpoint(),
          customer: bad!.externalId,
          token: `${goodToken.slice(0, -4)}AAAA`,
          locale: 'en',
        }),
      );
      return page;
    });
    const [kept, refused] = [...page.querySelectorAll('pulso-gauge')] as PulsoGauge[];
    const asked: EventTarget[] = [];
    const listener = (event: Event) => asked.push(event.target!);
    document.addEventListener('pulso-token-expiring', listener);
    onTestFinished(() => document.removeEventListener('pulso-token-expiring', listener));
    await until(() => kept!.score && refused!.shadowRoot!.querySelector('[role=alert]'));
    await until(() => asked.length >= 2);
    // Asked by the refused gauge only (after its query, and after the stream named it).
    expect(new Set(asked)).toEqual(new Set([refused]));
    const before = kept!.score!.value;
    await recordNps(good!.externalId, 0);
    await until(() => kept!.score!.value !== before);
  }, 30_000);
});
