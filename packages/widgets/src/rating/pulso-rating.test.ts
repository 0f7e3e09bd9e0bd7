import { beforeEach, describe, expect, it } from 'vitest';
import { commands, page, userEvent } from 'vitest/browser';
import '../index.ts';
import {
  customerToken,
  element,
  endpoint,
  expectNoAxeViolations,
  fixture,
  microRatingsOf,
  pulso,
  shownText,
  until,
} from '../../test/helpers.ts';
import type { PulsoCustomerTokenExpiredEvent, PulsoRatedEvent } from '../events.ts';
import { flush } from './delivery.ts';
import { pendingRatings } from './outbox.ts';
import type { PulsoRating } from './pulso-rating.ts';

async function rating(externalId: string, attributes: Record<string, string | boolean> = {}): Promise<PulsoRating> {
  const token = await customerToken(externalId);
  return fixture(() =>
    element('pulso-rating', {
      endpoint: endpoint(),
      'api-key': pulso().publishableKey,
      customer: externalId,
      'customer-token': token,
      locale: 'en',
      ...attributes,
    }),
  );
}

/** Fills the page's localStorage to its real quota, as a site's own data may: the next write fails. */
function fillStorage(): void {
  let chunk = 'x'.repeat(1 << 20);
  for (let i = 0; chunk.length > 0; i++) {
    try {
      localStorage.setItem(`filler-${i}`, chunk);
    } catch {
      chunk = chunk.slice(0, chunk.length >> 1);
    }
  }
}

const radios = (el: PulsoRating) => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role=radio]')];

describe('<pulso-rating>', () => {
  beforeEach(() => localStorage.clear());

  it('records one rating per click, even a double click, and says thank you', async () => {
    const customer = pulso().customers[1]!;
    const before = (await microRatingsOf(customer.externalId)).length;
    const el = await rating(customer.externalId, { stage: 'usage' });
    const events: PulsoRatedEvent[] = [];
    document.addEventListener('pulso-rated', (e) => events.push(e), { once: false });
    await expectNoAxeViolations(el);
    await userEvent.dblClick(page.elementLocator(el).getByRole('radio', { name: 'I liked it' }));
    await expect.element(page.elementLocator(el).getByRole('status')).toHaveTextContent('Thank you for your feedback!');
    const after = await microRatingsOf(customer.externalId);
    expect(after.length).toBe(before + 1);
    expect(after.filter((r) => r.sentiment === 'LIKED' && r.journeyStage === 'USAGE').length).toBeGreaterThan(0);
    expect(events).toHaveLength(1);
    expect(events[0]!.detail).toMatchObject({
      customer: customer.externalId,
      rating: 'LIKED',
      stage: 'USAGE',
      delivery: 'sent',
    });
    expect(events[0]!.bubbles && events[0]!.composed).toBe(true);
    expect(pendingRatings()).toEqual([]);
  });

  it('is one Tab stop; arrows move, Space and Enter choose', async () => {
    const customer = pulso().customers[2]!;
    const el = await rating(customer.externalId, { variant: 'three-levels', comment: true });
    expect(radios(el).map((r) => r.tabIndex)).toEqual([0, -1, -1]);
    await userEvent.tab();
    expect(el.shadowRoot!.activeElement?.textContent).toContain('I liked it');
    await userEvent.keyboard('{ArrowRight}');
    expect(el.shadowRoot!.activeElement?.textContent).toContain('Indifferent');
    await userEvent.keyboard('{ArrowRight}{ArrowRight}');
    expect(el.shadowRoot!.activeElement?.textContent).toContain('I liked it');
    await userEvent.keyboard('{ArrowLeft}');
    expect(el.shadowRoot!.activeElement?.textContent).toContain('I wasted my time');
    expect(radios(el).map((r) => r.tabIndex)).toEqual([-1, -1, 0]);
    await userEvent.keyboard(' ');
    // The comment box opens and takes the focus; the rating waits for it.
    const textarea = await until(() => el.shadowRoot!.querySelector('textarea'));
    expect(el.shadowRoot!.activeElement).toBe(textarea);
    await expectNoAxeViolations(el);
    await userEvent.keyboard('Took me an hour to find the export button.');
    await userEvent.click(page.elementLocator(el).getByRole('button', { name: 'Send' }));
    await expect.element(page.elementLocator(el).getByRole('status')).toHaveTextContent('Thank you');
    const ratings = await microRatingsOf(customer.externalId);
    expect(
      ratings.some((r) => r.sentiment === 'WASTED_TIME' && r.comment === 'Took me an hour to find the export button.'),
    ).toBe(true);
  });

  it('chooses with Enter too', async () => {
    const el = await rating(pulso().customers[3]!.externalId);
    await userEvent.tab();
    await userEvent.keyboard('{ArrowRight}{Enter}');
    await expect.element(page.elementLocator(el).getByRole('status')).toHaveTextContent('Thank you');
    expect(radios(el).length).toBe(0);
  });

  it('keeps a rating made offline or during a server error and sends it once, with the same key', async () => {
    const customer = pulso().customers[4]!;
    const before = (await microRatingsOf(customer.externalId)).length;
    await commands.network(`${pulso().url}/graphql`, 'offline');
    const el = await rating(customer.externalId);
    radios(el)[1]!.click();
    await expect
      .element(page.elementLocator(el).getByRole('status'))
      .toHaveTextContent("We'll send it as soon as we can.");
    const [kept] = pendingRatings();
    expect(kept?.input).toMatchObject({ customer: customer.externalId, rating: 'DISLIKED', variant: 'LIKE_DISLIKE' });
    // Still failing, now with a server error: kept with the same key.
    await commands.network(`${pulso().url}/graphql`, 'error');
    await flush();
    expect(pendingRatings().map((e) => e.input.idempotencyKey)).toEqual([kept!.input.idempotencyKey]);
    expect(await commands.network(`${pulso().url}/graphql`, 'pass')).toBeGreaterThan(0);
    // Back online: sent once; a second copy of the same rating (another tab) does not count again.
    const copy = JSON.stringify(pendingRatings());
    window.dispatchEvent(new Event('online'));
    await until(() => pendingRatings().length === 0);
    await expect
      .element(page.elementLocator(el).getByRole('status'))
      .toHaveTextContent(/^Thank you for your feedback!$/);
    localStorage.setItem('pulso-widgets:outbox', copy);
    await flush();
    expect(pendingRatings()).toEqual([]);
    expect((await microRatingsOf(customer.externalId)).length).toBe(before + 1);
  });

  it('records a rating the browser cannot store (its storage full), and keeps it for the page while offline', async () => {
    const customer = pulso().customers[6]!;
    const before = await microRatingsOf(customer.externalId);
    fillStorage();
    try {
      // Sent at once: "Thank you", and recorded.
      let el = await rating(customer.externalId, { 'ask-again-days': '0' });
      radios(el)[0]!.click();
      await expect
        .element(page.elementLocator(el).getByRole('status'))
        .toHaveTextContent('Thank you for your feedback!');
      await until(async () => (await microRatingsOf(customer.externalId)).length === before.length + 1 || null);
      el.remove();

      // Offline: kept in the page's memory, and sent once it is back online.
      await commands.network(`${pulso().url}/graphql`, 'offline');
      el = await rating(customer.externalId, { 'ask-again-days': '0' });
      radios(el)[1]!.click();
      await expect
        .element(page.elementLocator(el).getByRole('status'))
        .toHaveTextContent("We'll send it as soon as we can.");
      expect(pendingRatings().map((e) => e.input.rating)).toEqual(['DISLIKED']);
      expect(localStorage.getItem('pulso-widgets:outbox')).toBeNull();
      await commands.network(`${pulso().url}/graphql`, 'pass');
      window.dispatchEvent(new Event('online'));
      await until(() => pendingRatings().length === 0);
      const after = await microRatingsOf(customer.externalId);
      expect(after.length).toBe(before.length + 2);
      const disliked = (ratings: { sentiment: string }[]) => ratings.filter((r) => r.sentiment === 'DISLIKED').length;
      expect(disliked(after)).toBe(disliked(before) + 1);
    } finally {
      localStorage.clear();
    }
  });

  it('keeps a rating the server failed on (a masked unexpected error) and retries it with the same key', async () => {
    const customer = pulso().customers[10]!;
    const before = (await microRatingsOf(customer.externalId)).length;
    await commands.network(`${pulso().url}/graphql`, 'masked');
    const el = await rating(customer.externalId);
    radios(el)[0]!.click();
    await expect
      .element(page.elementLocator(el).getByRole('status'))
      .toHaveTextContent("We'll send it as soon as we can.");
    const [kept] = pendingRatings();
    expect(kept?.input).toMatchObject({ customer: customer.externalId, rating: 'LIKED' });
    await flush();
    expect(pendingRatings().map((e) => e.input.idempotencyKey)).toEqual([kept!.input.idempotencyKey]);
    expect(await commands.network(`${pulso().url}/graphql`, 'pass')).toBeGreaterThanOrEqual(2);
    await flush();
    expect(pendingRatings()).toEqual([]);
    expect((await microRatingsOf(customer.externalId)).length).toBe(before + 1);
  });

  it("doesn't ask the same customer again for N days", async () => {
    const customer = pulso().customers[5]!;
    const first = await rating(customer.externalId, { 'ask-again-days': '7' });
    radios(first)[0]!.click();
    await expect.element(page.elementLocator(first).getByRole('status')).toBeVisible();
    const again = await rating(customer.externalId, { 'ask-again-days': '7' });
    expect(shownText(again)).toBe('');
    // Eight days later, it asks again.
    localStorage.setItem(
      `pulso-widgets:asked:${pulso().publishableKey}:${customer.externalId}`,
      String(Date.now() - 8 * 86_400_000),
    );
    const later = await rating(customer.externalId, { 'ask-again-days': '7' });
    expect(radios(later).length).toBe(2);
  });

  it('speaks Brazilian Portuguese and Spanish (their messages load on demand)', async () => {
    const labels = (el: PulsoRating) => radios(el).map((r) => r.querySelector('[part=option-label]')!.textContent);
    const pt = await rating(pulso().customers[6]!.externalId, { locale: 'pt-BR', variant: 'three-levels' });
    await until(() => labels(pt)[0] === 'Gostei');
    expect(labels(pt)).toEqual(['Gostei', 'Indiferente', 'Perdi meu tempo']);
    expect(shownText(pt)).toContain('Isso foi útil?');
    const es = await rating(pulso().customers[6]!.externalId, { locale: 'es', variant: 'three-levels' });
    await until(() => labels(es)[0] === 'Me gustó');
    expect(labels(es)).toEqual(['Me gustó', 'Indiferente', 'Perdí mi tiempo']);
  });

  it('shows a custom question as text, never as HTML', async () => {
    const el = await rating(pulso().customers[7]!.externalId, { question: '<img src=x onerror=alert(1)>' });
    expect(el.shadowRoot!.querySelector('img')).toBeNull();
    expect(shownText(el)).toContain('<img src=x onerror=alert(1)>');
  });

  it('keeps a rating whose customer token expired, asks the page for a fresh one and sends it with it, once', async () => {
    const customer = pulso().customers[11]!;
    const before = (await microRatingsOf(customer.externalId)).length;
    const stale = await customerToken(customer.externalId, { expired: true });
    const fresh = await customerToken(customer.externalId);
    const asked: PulsoCustomerTokenExpiredEvent[] = [];
    const answer = (e: PulsoCustomerTokenExpiredEvent) => {
      asked.push(e);
      // As a site's backend would: a little later, with a token it has just signed.
      e.detail.respondWith(new Promise<string>((resolve) => setTimeout(() => resolve(fresh), 50)));
    };
    document.addEventListener('pulso-customer-token-expired', answer);
    try {
      const el = await rating(customer.externalId, { 'customer-token': stale });
      radios(el)[0]!.click();
      // Not refused in the customer's face: kept, as when offline, while the page answers.
      await expect
        .element(page.elementLocator(el).getByRole('status'))
        .toHaveTextContent("We'll send it as soon as we can.");
      await until(() => pendingRatings().length === 0);
      expect(asked).toHaveLength(1);
      expect(asked[0]!.target).toBe(el);
      expect(asked[0]!.detail).toMatchObject({ customer: customer.externalId, token: stale });
      expect(asked[0]!.bubbles && asked[0]!.composed).toBe(true);
      expect(el.customerToken).toBe(fresh);
      const after = await microRatingsOf(customer.externalId);
      expect(after.length).toBe(before + 1);
      // Sent: the customer reads a thank-you, no longer that it will be sent.
      await expect
        .element(page.elementLocator(el).getByRole('status'))
        .toHaveTextContent(/^Thank you for your feedback!$/);
      // The page's next rating goes with the fresh token at once.
      el.remove();
      const next = await rating(customer.externalId, { 'customer-token': fresh, 'ask-again-days': '0' });
      radios(next)[1]!.click();
      await expect
        .element(page.elementLocator(next).getByRole('status'))
        .toHaveTextContent('Thank you for your feedback!');
      expect(asked).toHaveLength(1);
    } finally {
      document.removeEventListener('pulso-customer-token-expired', answer);
    }
  });

  it("asks through an app's shadow root too, where the page's search for ratings does not look", async () => {
    const customer = pulso().customers[13]!;
    const before = (await microRatingsOf(customer.externalId)).length;
    const fresh = await customerToken(customer.externalId);
    // Answered at once, inside the event (a token the page holds already).
    const answer = (e: PulsoCustomerTokenExpiredEvent) => e.detail.respondWith(fresh);
    document.addEventListener('pulso-customer-token-expired', answer);
    try {
      const stale = await customerToken(customer.externalId, { expired: true });
      // An app's own component, its rating inside its shadow root.
      const app = await fixture(() => document.createElement('div'));
      const el = element('pulso-rating', {
        endpoint: endpoint(),
        'api-key': pulso().publishableKey,
        customer: customer.externalId,
        'customer-token': stale,
        locale: 'en',
      });
      app.attachShadow({ mode: 'open' }).append(el);
      await el.updateComplete;
      radios(el)[0]!.click();
      await until(async () => (await microRatingsOf(customer.externalId)).length === before + 1 || null);
      expect(pendingRatings()).toEqual([]);
      expect(el.customerToken).toBe(fresh);
    } finally {
      document.removeEventListener('pulso-customer-token-expired', answer);
    }
  });

  it('unanswered, keeps a rating with an expired token without sending it again; a later page sends it with its own', async () => {
    const customer = pulso().customers[12]!;
    const before = (await microRatingsOf(customer.externalId)).length;
    const asked: PulsoCustomerTokenExpiredEvent[] = [];
    const listen = (e: PulsoCustomerTokenExpiredEvent) => asked.push(e);
    document.addEventListener('pulso-customer-token-expired', listen);
    try {
      const el = await rating(customer.externalId, {
        'customer-token': await customerToken(customer.externalId, { expired: true }),
      });
      radios(el)[1]!.click();
      await expect
        .element(page.elementLocator(el).getByRole('status'))
        .toHaveTextContent("We'll send it as soon as we can.");
      expect(asked).toHaveLength(1);
      // Retries (the timer, `online`) neither send a token known expired nor ask the page again.
      const sent: unknown[] = [];
      const fetch = window.fetch;
      window.fetch = (...args) => {
        sent.push(args[0]);
        return fetch(...args);
      };
      try {
        await flush();
        window.dispatchEvent(new Event('online'));
        await flush();
      } finally {
        window.fetch = fetch;
      }
      expect(sent).toEqual([]);
      expect(asked).toHaveLength(1);
      expect(pendingRatings().map((e) => e.input.rating)).toEqual(['DISLIKED']);

      // A later page of the same site, whose rating of that customer holds a token its backend signed then.
      el.remove();
      await rating(customer.externalId, { 'ask-again-days': '0' });
      await flush();
      expect(pendingRatings()).toEqual([]);
      expect(asked).toHaveLength(1);
      const after = await microRatingsOf(customer.externalId);
      expect(after.length).toBe(before + 1);
      expect(after.filter((r) => r.sentiment === 'DISLIKED').length).toBeGreaterThan(0);
    } finally {
      document.removeEventListener('pulso-customer-token-expired', listen);
    }
  });

  it('says so when Pulso refuses the customer token, and drops the rating', async () => {
    const customer = pulso().customers[8]!;
    const other = await customerToken(pulso().customers[9]!.externalId);
    const el = await rating(customer.externalId, { 'customer-token': other });
    radios(el)[0]!.click();
    await expect
      .element(page.elementLocator(el).getByRole('alert'))
      .toHaveTextContent('Your rating could not be recorded.');
    expect(pendingRatings()).toEqual([]);
  });
});
