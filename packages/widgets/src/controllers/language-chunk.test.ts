// A widget's language other than English comes in a chunk of its own (i18n-controller.ts). When it
// cannot be fetched (the network, Pulso restarting), the widget speaks English rather than stay
// hidden — the rating keeps its place invisible while its words are on their way — and nothing is
// left unhandled in the console. The portal widgets, open all day, ask for it again in the
// background (portal-messages.ts) and switch to their language once it is in; the rating, on a
// product page the visitor soon leaves, speaks English until the page is loaded again. In a file of
// its own: each test file has a page of its own, where no other test has loaded these chunks (a
// module that failed to load stays failed for the page).
import { expect, it, onTestFinished } from 'vitest';
import { commands } from 'vitest/browser';
import '../index.ts';
import { element, endpoint, fixture, portalCredential, pulso, until } from '../../test/helpers.ts';

const CHUNKS = '**/*-messages-es.ts*';

it('speaks English when its language cannot be fetched, the rating visible and the gauge whole', async () => {
  const unhandled: unknown[] = [];
  const onRejection = (event: PromiseRejectionEvent) => unhandled.push(event.reason);
  addEventListener('unhandledrejection', onRejection);
  onTestFinished(() => removeEventListener('unhandledrejection', onRejection));
  await commands.network(CHUNKS, 'offline');
  onTestFinished(() => void commands.network(CHUNKS, 'pass'));
  const { externalId } = pulso().customers[3]!;

  const rating = await fixture(() =>
    element('pulso-rating', {
      endpoint: endpoint(),
      'api-key': pulso().publishableKey,
      customer: externalId,
      'customer-token': '',
      locale: 'es',
    }),
  );
  const choices = () => rating.shadowRoot!.querySelector('.rating');
  await until(() => choices() && !choices()!.classList.contains('pending'));
  expect(getComputedStyle(choices()!).visibility).toBe('visible');
  expect(rating.shadowRoot!.textContent).toContain('Was this helpful?');

  const token = await portalCredential({ kind: 'customer', externalId });
  const gauge = await fixture(() =>
    element('pulso-gauge', { endpoint: endpoint(), customer: externalId, token, locale: 'es' }),
  );
  await until(() => gauge.score);
  await until(() => gauge.shadowRoot!.textContent!.includes('By category'));

  expect(await commands.network(CHUNKS, 'count')).toBeGreaterThanOrEqual(2);

  // The network is back: the gauge asks again (2 s after the failure) and speaks Spanish, nothing
  // else having changed; the rating stays in English.
  await commands.network(CHUNKS, 'pass');
  await until(() => gauge.shadowRoot!.textContent!.includes('Por categoría'), 10_000);
  expect(gauge.shadowRoot!.textContent).not.toContain('By category');
  expect(rating.shadowRoot!.textContent).toContain('Was this helpful?');
  expect(unhandled).toEqual([]);
}, 20_000);
