// Colours in every pairing of the page's colour scheme with the visitor's system preference: the
// widgets follow the page (its `color-scheme`) or their `theme` attribute, and stay legible (axe's
// contrast rules, over the page's own background) in each.
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import '../index.ts';
import {
  customerToken,
  element,
  endpoint,
  expectNoAxeViolations,
  fixture,
  portalCredential,
  pulso,
  until,
} from '../../test/helpers.ts';

type PageScheme = 'light' | 'dark' | 'light dark' | null;

/** A page of that scheme (null: the page declares none) painting its canvas, with the three widgets. */
async function pageWith(scheme: PageScheme, theme?: 'light' | 'dark' | 'auto') {
  const customer = pulso().customers[0]!;
  const [gaugeToken, listToken, rateToken] = await Promise.all([
    portalCredential({ kind: 'customer', externalId: customer.externalId }),
    portalCredential({ kind: 'at_risk' }),
    customerToken(customer.externalId),
  ]);
  const common = { endpoint: endpoint(), locale: 'en', ...(theme ? { theme } : {}) };
  const widgets = [
    element('pulso-gauge', { ...common, customer: customer.externalId, token: gaugeToken }),
    element('pulso-at-risk', { ...common, token: listToken, 'page-size': '3' }),
    element('pulso-rating', {
      ...common,
      customer: customer.externalId,
      'customer-token': rateToken,
      'api-key': pulso().publishableKey,
      'ask-again-days': '0',
    }),
  ];
  const page = await fixture(() => {
    // The page's canvas and text follow its scheme, as a browser paints a page that declares one.
    const page = document.createElement('div');
    if (scheme) page.style.colorScheme = scheme;
    page.style.background = 'Canvas';
    page.style.color = 'CanvasText';
    page.style.padding = '8px';
    page.append(...widgets);
    return page;
  });
  await until(
    () =>
      widgets[0]!.shadowRoot!.querySelector('[role=meter]') &&
      widgets[1]!.shadowRoot!.querySelector('[part=item]') &&
      widgets[2]!.shadowRoot!.querySelector('[role=radio]'),
  );
  return { page, widgets };
}

/** The widget's text colour: light text (a dark theme) or dark text (a light one). */
function textIsLight(el: HTMLElement): boolean {
  const [r, g, b] = getComputedStyle(el).color.match(/\d+/g)!.map(Number);
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b! > 128;
}

describe('colour scheme', () => {
  afterEach(() => commands.colorScheme(null));

  const cases: { page: PageScheme; system: 'light' | 'dark'; dark: boolean }[] = [
    { page: 'light', system: 'light', dark: false },
    // The case: a light site seen with the system in dark mode.
    { page: 'light', system: 'dark', dark: false },
    { page: 'dark', system: 'light', dark: true },
    { page: 'dark', system: 'dark', dark: true },
    // A page that declares nothing is painted light whatever the system says.
    { page: null, system: 'dark', dark: false },
    // A page that offers both follows the visitor.
    { page: 'light dark', system: 'dark', dark: true },
    { page: 'light dark', system: 'light', dark: false },
  ];
  for (const { page: scheme, system, dark } of cases) {
    it(`page ${scheme ?? 'undeclared'}, system ${system}: ${dark ? 'dark' : 'light'} widgets, axe passes`, async () => {
      await commands.colorScheme(system);
      const { page, widgets } = await pageWith(scheme);
      expect(matchMedia('(prefers-color-scheme: dark)').matches).toBe(system === 'dark');
      for (const widget of widgets) expect(textIsLight(widget)).toBe(dark);
      await expectNoAxeViolations(page);
    });
  }

  it('follows a page that switches its scheme at run time', async () => {
    await commands.colorScheme('dark');
    const { page, widgets } = await pageWith('light');
    expect(textIsLight(widgets[0]!)).toBe(false);
    page.style.colorScheme = 'dark';
    expect(textIsLight(widgets[0]!)).toBe(true);
    await expectNoAxeViolations(page);
  });

  for (const [theme, scheme, system] of [
    ['dark', 'light', 'light'],
    ['light', 'dark', 'dark'],
    ['dark', null, 'light'],
  ] as const) {
    it(`theme="${theme}" on a ${scheme ?? 'undeclared'} page (system ${system}) paints its own background`, async () => {
      await commands.colorScheme(system);
      const { page, widgets } = await pageWith(scheme, theme);
      for (const widget of widgets) {
        expect(textIsLight(widget)).toBe(theme === 'dark');
        expect(getComputedStyle(widget).backgroundColor).toBe(
          theme === 'dark' ? 'rgb(13, 17, 23)' : 'rgb(255, 255, 255)',
        );
      }
      await expectNoAxeViolations(page);
    });
  }

  it('theme="auto" and the theme property behave as documented', async () => {
    await commands.colorScheme('dark');
    const { widgets } = await pageWith('light', 'auto');
    const gauge = widgets[0]!;
    expect(textIsLight(gauge)).toBe(false);
    expect(getComputedStyle(gauge).backgroundColor).toBe('rgba(0, 0, 0, 0)');
    (gauge as HTMLElement & { theme: string }).theme = 'dark';
    await (gauge as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    expect(gauge.getAttribute('theme')).toBe('dark');
    expect(textIsLight(gauge)).toBe(true);
  });
});
