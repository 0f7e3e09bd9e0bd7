// Every word in the page's language (issue 17, item 7): flags, at-risk reasons and the default
// categories' names came from the server in English inside pt-BR and es widgets. The widgets now
// word them from their own catalogue by code, from the figures the API sends; and a page in
// Portuguese or Spanish gets its language without a `locale` on each widget.
import { describe, expect, it } from 'vitest';
import '../index.ts';
import {
  adminGraphQL,
  element,
  endpoint,
  fixture,
  portalCredential,
  pulso,
  shownText,
  until,
} from '../../test/helpers.ts';
import { DEFAULT_CATEGORY_NAMES } from './explain.ts';
import { PORTAL_MESSAGES, type PortalTranslation } from './portal-messages.ts';
import type { PulsoAtRisk } from '../at-risk/pulso-at-risk.ts';
import type { PulsoGauge } from '../gauge/pulso-gauge.ts';

interface Explained {
  code: string;
  message: string;
}

interface Data {
  atRiskCustomers: { customer: { externalId: string; name: string }; mainReason: Explained }[];
  customers: {
    nodes: {
      externalId: string;
      name: string;
      health: { categories: { key: string; name: string }[]; flags: Explained[] } | null;
    }[];
  };
}

/**
 * The English words of the server's sentences and of the default categories' names (the English
 * the widgets showed: in English they still show the server's words) that the other language's
 * table does not use too.
 */
function englishOnlyWords(english: string[], other: PortalTranslation): string[] {
  // Placeholders ({days}) aside: they are names, replaced before anything shows.
  const words = (text: string) =>
    text
      .replace(/\{\w+\}/g, '')
      .toLowerCase()
      .match(/\p{L}{4,}/gu) ?? [];
  const theirs = new Set(Object.values(other).flatMap(words));
  return [...new Set(english.flatMap(words))].filter((word) => !theirs.has(word));
}

/** Mounts `el` inside a container with this `lang`, removed when the test ends. */
function inLanguage<T extends HTMLElement>(lang: string, el: T): Promise<T> {
  return fixture((container) => {
    container.setAttribute('lang', lang);
    return el;
  });
}

describe('every word in the page language', () => {
  it('shows no English reason, flag or category word in a pt-BR or an es page', async () => {
    const data = await adminGraphQL<Data>(`{
      atRiskCustomers(first: 100) { customer { externalId name } mainReason { code message } }
      customers(first: 100) { nodes { externalId name health { categories { key name } flags { code message } } } }
    }`);
    const reasons = new Set(data.atRiskCustomers.map((a) => a.mainReason.code));
    const flagged = data.customers.nodes.filter((c) => c.health?.flags.length);
    const flags = new Set(flagged.flatMap((c) => c.health!.flags.map((f) => f.code)));
    // The demo data gives several kinds of each, so the check covers more than one wording.
    console.info(
      `reasons: ${[...reasons].join(', ')}; flags: ${[...new Set(data.customers.nodes.flatMap((c) => c.health?.flags.map((f) => f.code) ?? []))].join(', ')}`,
    );
    expect(reasons.size).toBeGreaterThanOrEqual(2);
    expect(flags.size).toBeGreaterThanOrEqual(2);
    // One gauge per kind of flag (the first customer showing it), and the whole at-risk list.
    const gauged = [...flags].map((code) => flagged.find((c) => c.health!.flags.some((f) => f.code === code))!);
    const serverSentences = [
      ...data.atRiskCustomers.map((a) => a.mainReason.message),
      ...gauged.flatMap((c) => c.health!.flags.map((f) => f.message)),
    ];
    const token = await portalCredential({ kind: 'at_risk' });

    for (const lang of ['pt-BR', 'es'] as const) {
      const table = (await PORTAL_MESSAGES.load[lang]()).default;
      // Customers' names aside: they are shown as written ("Boundary", "Silver Lantern").
      const named = new Set(data.customers.nodes.flatMap((c) => c.name.toLowerCase().match(/\p{L}+/gu) ?? []));
      const english = englishOnlyWords([...serverSentences, ...Object.values(DEFAULT_CATEGORY_NAMES)], table).filter(
        (word) => !named.has(word),
      );
      // The check has English to look for: the category names always, and the reasons' and flags'
      // words, whichever the shared demo data shows by now (other files' ratings move customers).
      expect(english).toEqual(expect.arrayContaining(['engagement', 'support']));
      expect(english.length).toBeGreaterThan(Object.keys(DEFAULT_CATEGORY_NAMES).length + 2);
      const list = await inLanguage(
        lang,
        element('pulso-at-risk', { endpoint: endpoint(), token, 'page-size': '100' }) as PulsoAtRisk,
      );
      const gauges: PulsoGauge[] = [];
      for (const customer of gauged) {
        const grant = { kind: 'customer' as const, externalId: customer.externalId };
        const gaugeToken = await portalCredential(grant);
        gauges.push(
          await inLanguage(
            lang,
            element('pulso-gauge', { endpoint: endpoint(), customer: customer.externalId, token: gaugeToken }),
          ),
        );
      }
      // Rendered, in the page's language (its own messages loaded).
      await until(() => list.shadowRoot!.querySelectorAll('[part=reason]').length === data.atRiskCustomers.length);
      await until(() => shownText(list).includes(table.atRiskTitle));
      for (const gauge of gauges) await until(() => shownText(gauge).includes(table.breakdown));

      for (const el of [list, ...gauges]) {
        const text = shownText(el);
        const left = english.filter((word) => new RegExp(`(?<!\\p{L})${word}(?!\\p{L})`, 'iu').test(text));
        expect(left, `${lang} ${el.localName}: ${text}`).toEqual([]);
        for (const sentence of serverSentences) expect(text).not.toContain(sentence);
      }
      // The default categories by their names in the page's language.
      const names = [...gauges[0]!.shadowRoot!.querySelectorAll('.details li > span:first-child')].map(
        (span) => span.textContent,
      );
      expect(names).toEqual(
        gauged[0]!.health!.categories.map((c) => table[`category_${c.key}` as keyof PortalTranslation]),
      );
    }
  });

  it('takes the language from the lang of the element, its nearest ancestor, or the document', async () => {
    const customer = pulso().customers[0]!;
    const token = await portalCredential({ kind: 'customer', externalId: customer.externalId });
    const meterLabel = async (el: PulsoGauge) =>
      (await until(() => el.shadowRoot!.querySelector('[role=meter]')))!.getAttribute('aria-label');
    const gauge = (attributes: Record<string, string> = {}) =>
      element('pulso-gauge', { endpoint: endpoint(), customer: customer.externalId, token, ...attributes });

    // The nearest ancestor's, several levels up.
    const nested = await fixture((container) => {
      container.setAttribute('lang', 'es-AR');
      const inner = document.createElement('section');
      container.append(inner);
      const el = gauge();
      inner.append(el);
      return inner as unknown as PulsoGauge;
    });
    const inSpanish = nested.querySelector('pulso-gauge') as PulsoGauge;
    await until(async () => (await meterLabel(inSpanish)) === `Puntuación de salud de ${customer.name}`);

    // The element's own lang before its ancestor's; `locale` before both.
    const own = await inLanguage('es', gauge({ lang: 'pt-BR' }) as PulsoGauge);
    await until(async () => (await meterLabel(own)) === `Pontuação de saúde de ${customer.name}`);
    const chosen = await inLanguage('es', gauge({ locale: 'en' }) as PulsoGauge);
    expect(await meterLabel(chosen)).toBe(`Health score of ${customer.name}`);

    // Inside another component's shadow root: the lang around its host.
    const host = await inLanguage('pt-BR', document.createElement('div'));
    const inShadow = gauge() as PulsoGauge;
    host.attachShadow({ mode: 'open' }).append(inShadow);
    await until(async () => (await meterLabel(inShadow)) === `Pontuação de saúde de ${customer.name}`);

    // The document's, when nothing nearer says.
    const root = document.documentElement;
    const before = root.getAttribute('lang');
    root.setAttribute('lang', 'es');
    try {
      const fromDocument = await fixture(() => gauge() as PulsoGauge);
      await until(async () => (await meterLabel(fromDocument)) === `Puntuación de salud de ${customer.name}`);
    } finally {
      if (before === null) root.removeAttribute('lang');
      else root.setAttribute('lang', before);
    }
  });

  it('follows the language when it changes after the widgets rendered: an app switching languages, the browser languages', async () => {
    const customer = pulso().customers[0]!;
    const token = await portalCredential({ kind: 'customer', externalId: customer.externalId });
    const section = await inLanguage('en', document.createElement('section'));
    const rating = element('pulso-rating', {
      endpoint: endpoint(),
      'api-key': pulso().publishableKey,
      customer: customer.externalId,
      'ask-again-days': '0',
    });
    const gauge = element('pulso-gauge', { endpoint: endpoint(), customer: customer.externalId, token, live: 'off' });
    section.append(rating, gauge);
    const question = () => rating.shadowRoot!.querySelector('.question')?.textContent;
    const meterLabel = () => gauge.shadowRoot!.querySelector('[role=meter]')?.getAttribute('aria-label');
    await until(() => question() === 'Was this helpful?' && meterLabel() === `Health score of ${customer.name}`);

    // Its data in, nothing else renders the widgets again: the rating stayed in English here (the
    // gauge too, until its next read), beside a page in Portuguese.
    section.setAttribute('lang', 'pt-BR');
    await until(() => question() === 'Isso foi útil?' && meterLabel() === `Pontuação de saúde de ${customer.name}`);

    // No lang anywhere: the browser's languages, followed when they change.
    const root = document.documentElement;
    const rootLang = root.getAttribute('lang');
    root.removeAttribute('lang');
    section.removeAttribute('lang');
    section.parentElement!.removeAttribute('lang');
    Object.defineProperty(navigator, 'languages', { get: () => ['fr-FR', 'es-MX'], configurable: true });
    try {
      dispatchEvent(new Event('languagechange'));
      await until(
        () => question() === '¿Te resultó útil?' && meterLabel() === `Puntuación de salud de ${customer.name}`,
      );
    } finally {
      delete (navigator as { languages?: unknown }).languages;
      if (rootLang !== null) root.setAttribute('lang', rootLang);
    }
  });
});
