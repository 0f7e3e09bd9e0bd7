import axe from 'axe-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { commands, page, userEvent } from 'vitest/browser';
import '../index.ts';
import {
  adminGraphQL,
  customerToken,
  element,
  endpoint,
  expectNoAxeViolations,
  fixture,
  portalCredential,
  pulso,
  shownText,
  until,
  viewToken,
} from '../../test/helpers.ts';
import type { PulsoGauge } from './pulso-gauge.ts';

async function gauge(externalId: string, attributes: Record<string, string> = {}): Promise<PulsoGauge> {
  const token = await portalCredential({ kind: 'customer', externalId });
  return fixture(() => element('pulso-gauge', { endpoint: endpoint(), customer: externalId, token, ...attributes }));
}

async function scoreOf(
  externalId: string,
): Promise<{ value: number; band: string; trend: { change30d: number | null } }> {
  const data = await adminGraphQL<{
    customer: { health: { value: number; band: string; trend: { change30d: number | null } } };
  }>('query($id: String!) { customer(externalId: $id) { health { value band trend { change30d } } } }', {
    id: externalId,
  });
  return data.customer.health;
}

describe('<pulso-gauge>', () => {
  it('shows the loading state, then the score as a meter with its value and band', async () => {
    const customer = pulso().customers[0]!;
    const el = await gauge(customer.externalId, { locale: 'en' });
    expect(el.shadowRoot!.querySelector('[role=status]')?.textContent).toContain('Loading');
    const meter = await until(() => el.shadowRoot!.querySelector('[role=meter]'));
    const expected = await scoreOf(customer.externalId);
    expect(meter.getAttribute('aria-valuenow')).toBe(String(expected.value));
    expect(meter.getAttribute('aria-valuemin')).toBe('0');
    expect(meter.getAttribute('aria-valuemax')).toBe('100');
    expect(meter.getAttribute('aria-label')).toBe(`Health score of ${customer.name}`);
    const change = expected.trend.change30d;
    const arrow = el.shadowRoot!.querySelector('[part=trend] [aria-hidden=true]')!.textContent;
    expect(arrow).toBe(change === null || Math.abs(change) <= 1 ? '▶' : change > 0 ? '▲' : '▼');
    const bandName = { AT_RISK: 'At risk', NEEDS_ATTENTION: 'Needs attention', HEALTHY: 'Healthy' }[expected.band]!;
    expect(meter.getAttribute('aria-valuetext')).toBe(`${expected.value} out of 100, ${bandName}`);
    await expect.element(page.elementLocator(el).getByRole('meter')).toBeVisible();
    expect(shownText(el)).toContain(bandName);
    expect(el.shadowRoot!.querySelector('.arc')!.classList.contains(`band-${expected.band}`)).toBe(true);
    await expectNoAxeViolations(el);
  });

  it("names a category as the workspace named it in the widget's language (English too), else as before", async () => {
    const customer = pulso().customers[0]!;
    const setNames = (names: { locale: string; name: string }[]) =>
      adminGraphQL(
        'mutation($names: [CategoryNameInput!]!) { updateCategory(key: "support", input: { names: $names }) { __typename } }',
        { names },
      );
    await setNames([
      { locale: 'en', name: 'Customer care' },
      { locale: 'pt-BR', name: 'Atendimento' },
    ]);
    onTestFinished(async () => {
      await setNames([]);
    });
    const breakdown = async (locale: string) => {
      const el = await gauge(customer.externalId, { locale });
      await until(() => el.shadowRoot!.querySelector('[role=meter]'));
      // Worded once the language's messages are in (the default categories' names with them).
      if (locale === 'es') await until(() => shownText(el).includes('Compromiso'));
      return [...el.shadowRoot!.querySelectorAll('.details li span:first-child')].map((s) => s.textContent);
    };
    expect(await breakdown('en')).toContain('Customer care');
    expect(await breakdown('pt-BR')).toContain('Atendimento');
    // No Spanish name given: the catalogue's for a default category.
    expect(await breakdown('es')).toContain('Soporte');
  });

  it('puts its placeholder on screen before it starts its requests (query and live connection)', async () => {
    const customer = pulso().customers[0]!;
    const token = await portalCredential({ kind: 'customer', externalId: customer.externalId });
    // Watch fetch (every call still goes through) and the frames painted.
    const started: { at: number; url: string; body: string }[] = [];
    const frames: number[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      started.push({ at: performance.now(), url, body: String(init?.body ?? '') });
      return realFetch(input, init);
    };
    onTestFinished(() => void (window.fetch = realFetch));
    // A server of its own: the live connection of an endpoint other frames use may be theirs to open.
    const origin = await commands.spareServer('start', 'first-paint');
    const el = await fixture(() =>
      element('pulso-gauge', { endpoint: `${origin}/graphql`, customer: customer.externalId, token, locale: 'en' }),
    );
    const rendered = performance.now();
    requestAnimationFrame(() => frames.push(performance.now()));
    expect(el.shadowRoot!.querySelector('[role=status]')?.textContent).toContain('Loading');
    // Only this element's server counts: widgets of earlier tests on the page keep their own live
    // connections, which may reconnect at any moment (a clean-clone run caught one doing so here).
    const toOurServer = () => started.filter((call) => call.url.startsWith(origin));
    expect(toOurServer()).toEqual([]);
    await until(() => el.shadowRoot!.querySelector('[role=meter]'));
    // The query names the customer; the live connection sends its view token. The live connection's
    // code is a chunk fetched after the first paint, so its request may leave after the query's
    // answer is shown: waited for, not expected at once.
    const mine = () =>
      toOurServer().filter((call) => call.body.includes(customer.externalId) || call.body.includes(token));
    await until(() => mine().some((call) => /subscription/.test(call.body)));
    const ours = mine();
    expect(ours.map((call) => /subscription/.test(call.body))).toEqual(expect.arrayContaining([false, true]));
    // Both went out after the first frame that followed the render.
    expect(frames[0]).toBeGreaterThanOrEqual(rendered);
    for (const call of ours) expect(call.at).toBeGreaterThanOrEqual(frames[0]!);
  });

  it('shows the breakdown and the flags on keyboard focus', async () => {
    const customer = pulso().customers[0]!;
    const el = await gauge(customer.externalId, { locale: 'en' });
    await until(() => el.shadowRoot!.querySelector('[role=meter]'));
    const details = el.shadowRoot!.querySelector<HTMLElement>('[part=details]')!;
    // The pointer may rest where an earlier test clicked, over this gauge: hovering also opens it.
    await userEvent.unhover(el);
    expect(getComputedStyle(details).display).toBe('none');
    await userEvent.tab();
    expect(el.shadowRoot!.activeElement?.getAttribute('role')).toBe('meter');
    expect(getComputedStyle(details).display).toBe('block');
    expect(details.textContent).toContain('By category');
    expect(details.querySelectorAll('li').length).toBeGreaterThan(0);
    // Open, it adds no heading to the page's outline (an h3 after the page's h1 broke its order).
    const title = document.createElement('h1');
    title.textContent = 'Customer';
    el.before(title);
    onTestFinished(() => title.remove());
    const results = await axe.run(document, { runOnly: { type: 'rule', values: ['heading-order'] } });
    expect(results.violations).toEqual([]);
    expect(details.querySelector('h1, h2, h3, h4, h5, h6')).toBeNull();
  });

  it('lists the flags apart, each a line of its own starting with a capital, in every language', async () => {
    // A customer with two flags or more, one with a percentage: the demo data has some.
    const { customers } = await adminGraphQL<{
      customers: { nodes: { externalId: string; health: { flags: { message: string }[] } | null }[] };
    }>('{ customers(first: 100) { nodes { externalId health { flags { message } } } } }');
    const flagged = customers.nodes.find(
      (c) => (c.health?.flags.length ?? 0) >= 2 && c.health!.flags.some((f) => f.message.includes(' %')),
    );
    expect(flagged).toBeDefined();
    const named = { en: 'Health', 'pt-BR': 'Pontuação', es: 'Puntuación' };
    for (const [locale, label] of Object.entries(named)) {
      const el = await gauge(flagged!.externalId, { locale });
      // In the language once its messages are in (English shows first), the flags' words with them.
      await until(() => el.shadowRoot!.querySelector(`[role=meter][aria-label^="${label}"]`));
      const worded = [...el.shadowRoot!.querySelectorAll<HTMLElement>('.flags li')];
      expect(worded.length).toBeGreaterThanOrEqual(2);
      // Shown, to measure them.
      el.shadowRoot!.querySelector<HTMLElement>('[part=details]')!.style.display = 'block';
      for (const line of worded) {
        const text = line.textContent!.trim();
        expect(text.charAt(0), `${locale}: ${text}`).toBe(text.charAt(0).toLocaleUpperCase(locale));
        // A percentage is never parted from its figure at a line's end.
        expect(text).not.toContain(' %');
        expect(getComputedStyle(line).display).toBe('list-item');
      }
      // Apart: each starts below the one before, with a space between them.
      for (let i = 1; i < worded.length; i++)
        expect(worded[i]!.getBoundingClientRect().top).toBeGreaterThanOrEqual(
          worded[i - 1]!.getBoundingClientRect().bottom + 2,
        );
    }
  });

  it('speaks Brazilian Portuguese and Spanish, by attribute or by the browser language', async () => {
    const customer = pulso().customers[0]!;
    const pt = await gauge(customer.externalId, { locale: 'pt-BR' });
    // The pt-BR and es messages load on demand: English may show first.
    const meter = await until(() => pt.shadowRoot!.querySelector('[role=meter][aria-label^="Pontuação"]'));
    expect(meter.getAttribute('aria-label')).toBe(`Pontuação de saúde de ${customer.name}`);
    expect(meter.getAttribute('aria-valuetext')).toMatch(/de 100, (Em risco|Requer atenção|Saudável)$/);
    const es = await gauge(customer.externalId, { locale: 'es' });
    const meterEs = await until(() => es.shadowRoot!.querySelector('[role=meter][aria-label^="Puntuación"]'));
    expect(meterEs.getAttribute('aria-label')).toBe(`Puntuación de salud de ${customer.name}`);
    expect(meterEs.getAttribute('aria-valuetext')).toMatch(/de 100, (En riesgo|Requiere atención|Saludable)$/);
    // Without the attribute: the browser's language (English here).
    const auto = await gauge(customer.externalId);
    expect((await until(() => auto.shadowRoot!.querySelector('[role=meter]'))).getAttribute('aria-label')).toMatch(
      /^Health score of /,
    );
  });

  it('reads the score with a view token for the customer', async () => {
    const customer = pulso().customers[0]!;
    const token = await viewToken({ kind: 'customer', externalId: customer.externalId });
    const el = await fixture(() =>
      element('pulso-gauge', { endpoint: endpoint(), customer: customer.externalId, token }),
    );
    await until(() => el.shadowRoot!.querySelector('[role=meter]'));
  });

  it('shows an error with a retry button when the token is refused', async () => {
    const el = await fixture(() =>
      element('pulso-gauge', {
        endpoint: endpoint(),
        customer: 'anyone',
        token: 'eyJhbGciOiJIUzI1NiJ9.e30.forged',
        locale: 'en',
      }),
    );
    const alert = await until(() => el.shadowRoot!.querySelector('[role=alert]'));
    expect(alert.textContent).toContain('Could not load the data.');
    await expect.element(page.elementLocator(el).getByRole('button', { name: 'Try again' })).toBeVisible();
    await expectNoAxeViolations(el);
  });

  it('moves live when the customer rates on a product page', async () => {
    const customer = pulso().customers.at(-2)!;
    const el = await gauge(customer.externalId, { locale: 'en' });
    await until(() => el.shadowRoot!.querySelector('[role=meter]'));
    const before = el.score!.value;
    // Let the subscription connect before the rating happens: its code is a chunk fetched after the
    // first paint (live-controller.ts), slow to come on a busy machine, then a round trip to join.
    // Imported here too: the page has one copy of a module, so this resolves once the gauge's is in.
    await import('../controllers/live-tabs.ts');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const token = await customerToken(customer.externalId);
    const rating = await fixture(() =>
      element('pulso-rating', {
        endpoint: endpoint(),
        'api-key': pulso().publishableKey,
        customer: customer.externalId,
        'customer-token': token,
        variant: 'three-levels',
        'ask-again-days': '0',
      }),
    );
    rating.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role=radio]')[2]!.click();
    // No reload: the new score arrives through the scoreChanged subscription.
    await until(() => el.score && el.score.value !== before);
    expect(el.score!.value).toBeLessThan(before);
    expect(el.shadowRoot!.querySelector('[role=meter]')!.getAttribute('aria-valuenow')).toBe(String(el.score!.value));
  });

  it('never shows a number that its band contradicts (50.2 is not "50 · Needs attention")', async () => {
    const { scoringModel: bands } = await adminGraphQL<{
      scoringModel: { bandAtRiskMax: number; bandNeedsAttentionMax: number };
    }>('{ scoringModel { bandAtRiskMax bandNeedsAttentionMax } }');
    const bandOf = (n: number) =>
      n <= bands.bandAtRiskMax ? 'At risk' : n <= bands.bandNeedsAttentionMax ? 'Needs attention' : 'Healthy';
    // Scores just past each threshold, and on it: a manager's assessment with weight 1 is the score.
    const at = bands.bandAtRiskMax;
    const needs = bands.bandNeedsAttentionMax;
    for (const score of [at + 0.2, at + 0.4, at, needs + 0.3, needs, at - 0.4]) {
      const externalId = `boundary-${crypto.randomUUID().slice(0, 8)}`;
      await adminGraphQL(
        `mutation ($input: RecordInteractionInput!) { recordInteraction(input: $input) { __typename } }`,
        { input: { customer: { externalId, name: 'Boundary' }, type: 'nps', value: 8, idempotencyKey: externalId } },
      );
      await adminGraphQL(
        'mutation ($id: String!, $score: Float!) { setManualAssessment(externalId: $id, score: $score, weight: 1, reason: "boundary") { __typename } }',
        { id: externalId, score },
      );
      expect((await scoreOf(externalId)).value).toBe(score);
      const el = await gauge(externalId, { locale: 'en' });
      const meter = await until(() => el.shadowRoot!.querySelector('[role=meter]'));
      const shown = el.shadowRoot!.querySelector('[part=value]')!.textContent!;
      const band = el.shadowRoot!.querySelector('[part=band]')!.textContent!.replace(/ \(.*\)$/, '');
      // What a person reads: the number, and the band the published thresholds give that number.
      expect(band).toBe(bandOf(Number(shown)));
      expect(shown).toBe(String(score));
      expect(meter.getAttribute('aria-valuenow')).toBe(String(score));
      expect(meter.getAttribute('aria-valuetext')).toMatch(new RegExp(`^${shown} out of 100, ${band}`));
    }
  });

  it('says when there is not enough data to judge, to the eye and to assistive technology', async () => {
    const externalId = `newcomer-${crypto.randomUUID().slice(0, 8)}`;
    await adminGraphQL(
      `mutation ($input: RecordInteractionInput!) { recordInteraction(input: $input) { __typename } }`,
      {
        input: { customer: { externalId, name: 'Newcomer' }, type: 'nps', value: 10, idempotencyKey: externalId },
      },
    );
    const el = await gauge(externalId, { locale: 'en' });
    const meter = await until(() => el.shadowRoot!.querySelector('[role=meter]'));
    expect(meter.getAttribute('aria-valuetext')).toMatch(/\(not enough data yet\)$/);
    expect(shownText(el)).toContain('not enough data yet');
    await expectNoAxeViolations(el);
  });

  it('shows a name as text, never as HTML', async () => {
    const name = '<img src=x onerror=alert(1)>';
    // A rating creates the customer (named after its external id) with a first score.
    const token = await customerToken(name);
    const rating = await fixture(() =>
      element('pulso-rating', {
        endpoint: endpoint(),
        'api-key': pulso().publishableKey,
        customer: name,
        'customer-token': token,
        'ask-again-days': '0',
      }),
    );
    rating.shadowRoot!.querySelector<HTMLButtonElement>('[role=radio]')!.click();
    await until(() => rating.shadowRoot!.querySelector('[part=message]'));
    const el = await gauge(name, { locale: 'en' });
    const meter = await until(() => el.shadowRoot!.querySelector('[role=meter]'));
    expect(meter.getAttribute('aria-label')).toBe(`Health score of ${name}`);
    expect(el.shadowRoot!.querySelector('img')).toBeNull();
  });
});
