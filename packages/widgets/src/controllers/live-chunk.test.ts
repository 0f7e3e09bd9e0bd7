// The live connection's code is a chunk a live widget fetches after its first paint
// (live-controller.ts). When that chunk cannot load (the network, a server restarting, a deploy that
// removed it), the widget keeps what it read and says its data may be out of date, as after an
// outage, and asks for the chunk again, longer pauses each time; browsers keep a module that failed
// to load as failed for the page, so a retry asks under a URL of its own. Once in, the widget reads
// again what changed meanwhile and follows changes live. In a file of its own: each test file has a
// page of its own, where no other test has loaded the chunk.
import { expect, it, onTestFinished } from 'vitest';
import { commands } from 'vitest/browser';
import '../index.ts';
import { element, endpoint, fixture, portalCredential, recordNps, scoreValueOf, until } from '../../test/helpers.ts';

const CHUNK = '**/controllers/live-tabs.ts*';
const staleLine = (el: HTMLElement) => el.shadowRoot!.querySelector('[part=stale]');
// The line stays in place, empty, while all is well: a status region must exist before it speaks.
const isStale = (el: HTMLElement) => /out of date/.test(staleLine(el)?.textContent ?? '');

it('shows what it read, says it may be out of date while the live chunk cannot load, and goes live once it can', async () => {
  await commands.network(CHUNK, 'offline');
  onTestFinished(() => void commands.network(CHUNK, 'pass'));
  // A customer of its own: no other test file moves its score meanwhile.
  const externalId = `live-chunk-${Date.now()}`;
  await recordNps(externalId, 9, { name: 'Chunk test', idempotencyKey: `${externalId}-first` });
  const token = await portalCredential({ kind: 'customer', externalId });
  const gauge = await fixture(() =>
    element('pulso-gauge', { endpoint: endpoint(), customer: externalId, token, locale: 'en' }),
  );

  await until(() => gauge.score);
  await until(() => isStale(gauge));
  expect(staleLine(gauge)!.getAttribute('role')).toBe('status');
  const shown = gauge.score!.value;

  // A change the gauge misses while it has no live connection.
  await recordNps(externalId, 0, { name: 'Chunk test', idempotencyKey: `${externalId}-missed` });
  const missed = await scoreValueOf(externalId);
  expect(missed).not.toBe(shown);
  // Still unreachable at the first retry, 2 s after the failure.
  await until(async () => (await commands.network(CHUNK, 'count')) >= 2 || null, 10_000);
  expect(isStale(gauge)).toBe(true);
  await commands.network(CHUNK, 'pass');
  expect(gauge.score!.value).toBe(shown);
  // The next retry (4 s after the second failure) loads the chunk: the notice goes and the gauge
  // reads what it missed.
  await until(() => !isStale(gauge) && gauge.score!.value === missed, 15_000);

  // And it is live: a change reaches it with no reload.
  await recordNps(externalId, 0, { name: 'Chunk test', idempotencyKey: `${externalId}-live` });
  const live = await scoreValueOf(externalId);
  expect(live).not.toBe(missed);
  await until(() => gauge.score!.value === live, 10_000);
}, 40_000);
