// The live connection's code is a chunk a live widget fetches after its first paint
// (live-controller.ts). When that chunk cannot load (the network, a deploy that removed it), the
// widget keeps what it read and says its data may be out of date, as after an outage. Chromium keeps
// a module that failed to load as failed for the page, so the notice stays until a reload. In a file
// of its own: each test file has a page of its own, where no other test has loaded the chunk.
import { expect, it, onTestFinished } from 'vitest';
import { commands } from 'vitest/browser';
import '../index.ts';
import { element, endpoint, fixture, portalCredential, pulso, until } from '../../test/helpers.ts';

const CHUNK = '**/controllers/live-tabs.ts*';
const staleLine = (el: HTMLElement) => el.shadowRoot!.querySelector('[part=stale]');

it('shows what it read and says it may be out of date when the live chunk cannot load', async () => {
  await commands.network(CHUNK, 'offline');
  onTestFinished(() => void commands.network(CHUNK, 'pass'));
  const { externalId } = pulso().customers[0]!;
  const token = await portalCredential({ kind: 'customer', externalId });
  const gauge = await fixture(() =>
    element('pulso-gauge', { endpoint: endpoint(), customer: externalId, token, locale: 'en' }),
  );

  await until(() => gauge.score);
  await until(() => /out of date/.test(staleLine(gauge)!.textContent!));
  expect(staleLine(gauge)!.getAttribute('role')).toBe('status');
  expect(await commands.network(CHUNK, 'pass')).toBeGreaterThan(0);
  expect(gauge.score).toBeTruthy();
});
