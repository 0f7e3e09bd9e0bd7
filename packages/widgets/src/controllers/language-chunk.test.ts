// A widget's language other than English comes in a chunk of its own (i18n-controller.ts). When it
// cannot be fetched (the network, Pulso restarting), the widget speaks English rather than stay
// hidden — the rating keeps its place invisible while its words are on their way — and nothing is
// left unhandled in the console. In a file of its own: each test file has a page of its own, where
// no other test has loaded these chunks (a module that failed to load stays failed for the page).
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
  expect(unhandled).toEqual([]);
});
