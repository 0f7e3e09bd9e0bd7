// The rating's sender is a chunk fetched at the click (delivery.ts). A file of its own: the sender
// must not be loaded yet when the test clicks (pulso-rating.test.ts imports it).
import { beforeEach, expect, it } from 'vitest';
import { commands, page } from 'vitest/browser';
import '../index.ts';
import { customerToken, element, endpoint, fixture, microRatingsOf, pulso, until } from '../../test/helpers.ts';
import { pendingRatings } from './outbox.ts';

/** The sender's module, as the test server serves it. */
const SENDER = '**/rating/delivery.ts*';

beforeEach(() => localStorage.clear());

it('thanks the customer once a rating kept while its sender could not be fetched is sent', async () => {
  const customer = pulso().customers[15]!;
  const before = (await microRatingsOf(customer.externalId)).length;
  // Offline at the click: the sender cannot be fetched, so the rating is kept and said to be.
  await commands.network(SENDER, 'offline');
  const token = await customerToken(customer.externalId);
  const el = await fixture(() =>
    element('pulso-rating', {
      endpoint: endpoint(),
      'api-key': pulso().publishableKey,
      customer: customer.externalId,
      'customer-token': token,
      locale: 'en',
    }),
  );
  const status = page.elementLocator(el).getByRole('status');
  await page.elementLocator(el).getByRole('radio', { name: 'I liked it' }).click();
  await expect.element(status).toHaveTextContent("We'll send it as soon as we can.");
  expect(pendingRatings()).toHaveLength(1);
  expect(await commands.network(SENDER, 'pass')).toBeGreaterThan(0);
  // Back online: the sender comes, sends the kept rating, and the element says so.
  window.dispatchEvent(new Event('online'));
  await until(() => pendingRatings().length === 0);
  await expect.element(status).toHaveTextContent(/^Thank you for your feedback!$/);
  expect((await microRatingsOf(customer.externalId)).length).toBe(before + 1);
});
