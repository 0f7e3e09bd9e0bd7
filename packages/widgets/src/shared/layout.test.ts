// Geometry at phone, tablet and desktop widths: what each widget shows is readable (names and
// reasons whole, labels on one line) and nothing overlaps or spills out of its box.
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { page } from 'vitest/browser';
import { atRiskReasons, type ScoreResult } from '@pulso/scoring';
import '../index.ts';
import { catalogueWording } from '../../test/catalogue-wording.ts';
import { reasonText } from './explain.ts';
import {
  adminGraphQL,
  customerToken,
  element,
  endpoint,
  fixture,
  portalCredential,
  pulso,
  until,
} from '../../test/helpers.ts';

const WIDTHS = [320, 390, 768, 1280];
// Vitest's own frame size, put back after these tests.
const DEFAULT_VIEWPORT = { width: window.innerWidth, height: window.innerHeight };

type Box = DOMRect;
const boxOf = (el: Element): Box => el.getBoundingClientRect();
/** Area shared by two boxes, in px² (touching edges share none). */
const overlap = (a: Box, b: Box) =>
  Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
  Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
const inside = (inner: Box, outer: Box) =>
  inner.left >= outer.left - 0.5 &&
  inner.right <= outer.right + 0.5 &&
  inner.top >= outer.top - 0.5 &&
  inner.bottom <= outer.bottom + 0.5;
/** The whole text is on screen: nothing cut by an ellipsis or a line clamp. */
const whole = (el: HTMLElement) => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1;

/** The width of a text on one line in an element's font. */
function textWidth(el: HTMLElement, text: string): number {
  const context = document.createElement('canvas').getContext('2d')!;
  context.font = getComputedStyle(el).font;
  return context.measureText(text).width;
}

function expectApart(boxes: [string, Box][], where: string): void {
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, boxA] = boxes[i]!;
      const [b, boxB] = boxes[j]!;
      expect(overlap(boxA, boxB), `${where}: ${a} overlaps ${b}`).toBeLessThan(1);
    }
}

/**
 * The longest silence reason in a language, as the list words it: formula 2's, with records since
 * that do not end it, 365 days and a cost with a decimal. The server's words in English (from the
 * engine's own function), the catalogue's in Portuguese and Spanish.
 */
function longestSilenceReason(locale: 'en' | 'pt-BR' | 'es'): string {
  const flag = {
    code: 'SILENCE' as const,
    message:
      'no real engagement for 365 days (what was recorded since does not end silence: sales, complaints, indifference, answers not backed by use)',
    params: { days: 365, laterRecords: 1 },
  };
  const result = { score: 37.6, silenceFactor: 0.75, flags: [flag], categories: [] } as unknown as ScoreResult;
  const reason = atRiskReasons({ result, score: 37.6, scoreChange30d: null }).find((r) => r.code === 'SILENCE')!;
  if (locale === 'en') return reason.message;
  return reasonText(catalogueWording(locale), {
    code: reason.code,
    message: reason.message,
    params: Object.entries(reason.params).map(([name, value]) => ({
      name,
      number: typeof value === 'number' ? value : null,
      text: typeof value === 'string' ? value : null,
    })),
  });
}

describe('layout at 320, 390, 768 and 1280 px', () => {
  afterAll(() => page.viewport(DEFAULT_VIEWPORT.width, DEFAULT_VIEWPORT.height));

  for (const width of WIDTHS) {
    it(`<pulso-at-risk> at ${width} px: names, reasons and days whole, nothing overlapping`, async () => {
      await page.viewport(width, 900);
      const token = await portalCredential({ kind: 'at_risk' });
      const list = await fixture(() =>
        element('pulso-at-risk', { endpoint: endpoint(), token, locale: 'en', 'page-size': '10' }),
      );
      // While loading it holds the place the rows will take (nothing around it moves later).
      const loadingHeight = boxOf(list).height;
      await until(() => list.customers.length > 0);
      const listBox = boxOf(list);
      expect(list.customers.length).toBe(10);
      expect(listBox.height).toBeCloseTo(loadingHeight, 0);
      expect(listBox.right).toBeLessThanOrEqual(width);
      const items = [...list.shadowRoot!.querySelectorAll<HTMLElement>('[part=item]')];
      expect(items.length).toBe(list.customers.length);
      for (const item of items) {
        const itemBox = boxOf(item);
        expect(inside(itemBox, listBox)).toBe(true);
        const parts = (['score', 'name', 'trend', 'reason', 'days'] as const)
          .map((part) => [part, item.querySelector<HTMLElement>(`[part=${part}]`)!] as const)
          .filter(([, el]) => el.textContent!.trim() !== '');
        for (const [part, el] of parts) {
          expect(inside(boxOf(el), itemBox), `${part} inside its row`).toBe(true);
          if (part === 'reason') {
            // Long reasons may be cut, but never to a few words: the whole reason, or room for
            // at least 40 of its characters.
            const text = el.textContent!;
            const lines = Math.round(el.clientHeight / Number.parseFloat(getComputedStyle(el).lineHeight));
            const room = el.clientWidth * lines;
            const needed = textWidth(el, text);
            expect(room, `reason "${text}" at ${width} px`).toBeGreaterThanOrEqual(
              Math.min(needed, (needed / text.length) * 40),
            );
            if (needed <= el.clientWidth * (lines - 0.2)) expect(whole(el), `reason "${text}" whole`).toBe(true);
          } else expect(whole(el), `${part} "${el.textContent}" shown whole at ${width} px`).toBe(true);
        }
        const name = item.querySelector<HTMLElement>('[part=name]')!;
        // Readable: at least 12 characters' room (half an em each), whatever the trend beside it.
        expect(boxOf(name).width).toBeGreaterThanOrEqual(Math.min(name.scrollWidth, 12 * 7));
        expectApart(
          parts.map(([part, el]) => [part, boxOf(el)]),
          `${width} px`,
        );
      }
      // Rows do not overlap each other.
      expectApart(
        items.map((item, index) => [`row ${index}`, boxOf(item)]),
        `${width} px`,
      );
      // A long name (none of the demo's is) is shown whole, on more lines, still inside its row and
      // clear of the rest: it once ended in "…" with no way to read it. Written into the text node
      // Lit rendered (its markers stay, so a later render of the list still finds its parts), and
      // put back after.
      const [first] = items;
      const name = first!.querySelector<HTMLElement>('[part=name]')!;
      const text = [...name.childNodes].find((node): node is Text => node instanceof Text && node.data.trim() !== '')!;
      const shown = text.data;
      text.data = 'Companhia Brasileira de Distribuição e Logística Integrada do Nordeste S.A.';
      onTestFinished(() => void (text.data = shown));
      expect(whole(name), `a long name shown whole at ${width} px`).toBe(true);
      expect(inside(boxOf(name), boxOf(first!))).toBe(true);
      expectApart(
        (['score', 'name', 'trend', 'reason', 'days'] as const)
          .map((part) => first!.querySelector<HTMLElement>(`[part=${part}]`)!)
          .filter((el) => el.textContent!.trim() !== '')
          .map((el) => [el.getAttribute('part')!, boxOf(el)]),
        `${width} px, a long name`,
      );
    });

    it(`<pulso-rating> at ${width} px: each label on one line, choices apart and on screen`, async () => {
      await page.viewport(width, 900);
      const customer = pulso().customers[3]!;
      const rating = await fixture(() =>
        element('pulso-rating', {
          endpoint: endpoint(),
          'api-key': pulso().publishableKey,
          customer: customer.externalId,
          'customer-token': 'pending',
          variant: 'three-levels',
          'ask-again-days': '0',
          locale: 'en',
        }),
      );
      rating.setAttribute('customer-token', await customerToken(customer.externalId));
      await until(() => rating.shadowRoot!.querySelectorAll('[part=option]').length === 3);
      const options = [...rating.shadowRoot!.querySelectorAll<HTMLElement>('[part=option]')];
      const question = rating.shadowRoot!.querySelector<HTMLElement>('[part=question]')!;
      const lineHeight = Number.parseFloat(getComputedStyle(question).lineHeight);
      for (const option of options) {
        const label = option.querySelector<HTMLElement>('[part=option-label]')!;
        expect(boxOf(label).height, `"${label.textContent}" on one line at ${width} px`).toBeLessThan(lineHeight * 1.5);
        expect(boxOf(option).right).toBeLessThanOrEqual(width);
        expect(boxOf(option).left).toBeGreaterThanOrEqual(0);
      }
      expect(boxOf(question).height).toBeLessThan(lineHeight * 1.5);
      expectApart(
        [['question', boxOf(question)], ...options.map((o, i): [string, Box] => [`option ${i}`, boxOf(o)])],
        `${width} px`,
      );
    });

    it(`<pulso-gauge> at ${width} px: on screen, its parts apart`, async () => {
      await page.viewport(width, 900);
      const customer = pulso().customers[4]!;
      const token = await portalCredential({ kind: 'customer', externalId: customer.externalId });
      const gauge = await fixture(() =>
        element('pulso-gauge', { endpoint: endpoint(), customer: customer.externalId, token, locale: 'en' }),
      );
      await until(() => gauge.shadowRoot!.querySelector('[role=meter]'));
      const box = boxOf(gauge);
      expect(box.right).toBeLessThanOrEqual(width);
      const parts = (['value', 'band', 'trend'] as const).map((part): [string, Box] => [
        part,
        boxOf(gauge.shadowRoot!.querySelector(`[part=${part}]`)!),
      ]);
      for (const [, partBox] of parts) expect(inside(partBox, box)).toBe(true);
      expectApart(parts, `${width} px`);
    });
  }

  // Each reason whole in a list as narrow as a phone's (300 px: two lines), as the demo page's
  // portal column at 1280 px (560 px: a line of its own) and as a tablet's (760 px: one line beside
  // the days), in each language. Formula 2's silence reason once ran to 164 characters, its cost cut
  // off in every layout ("no real engagement for 149 days (what was recorded since…").
  for (const locale of ['en', 'pt-BR', 'es'] as const)
    it(`<pulso-at-risk> in ${locale}: every reason whole in a list 300, 560 or 760 px wide`, async () => {
      await page.viewport(1280, 900);
      const token = await portalCredential({ kind: 'at_risk' });
      // Every customer at risk, in one page: the place held while loading is that many rows.
      const { atRiskCustomers } = await adminGraphQL<{ atRiskCustomers: unknown[] }>(
        '{ atRiskCustomers(first: 100) { score } }',
      );
      const pageSize = String(atRiskCustomers.length);
      for (const listWidth of [300, 560, 760]) {
        const list = await fixture(() => {
          const el = element('pulso-at-risk', { endpoint: endpoint(), token, locale, 'page-size': pageSize });
          el.style.width = `${listWidth}px`;
          return el;
        });
        const loadingHeight = boxOf(list).height;
        await until(() => list.customers.length > 0);
        // As high as while loading: the place held for the rows is the place they take. Up to 1/64 px
        // a line short: the browser lays lines out in 64ths of a pixel, and a 0.9em line (12.6 px
        // text, 15.75 px high) came out 15.734 px, so the forty-odd rows of a full run fell 1.3 px
        // short of the reserved place, spread over the list: sub-pixel per row, nothing seen to move.
        const rows = list.customers.length;
        expect(Math.abs(boxOf(list).height - loadingHeight), `a list ${listWidth} px wide`).toBeLessThanOrEqual(
          0.5 + (rows * 4) / 64,
        );
        // Worded in the list's language once its messages (and their explanations) are in: every
        // reason then differs from the server's English.
        const reasons = () => [...list.shadowRoot!.querySelectorAll<HTMLElement>('[part=reason]')];
        const english = (el: HTMLElement, index: number) =>
          el.textContent!.trim().toLowerCase() === list.customers[index]!.mainReason.message.toLowerCase();
        if (locale !== 'en') await until(() => reasons().every((el, index) => !english(el, index)));
        for (const reason of reasons())
          expect(whole(reason), `"${reason.textContent}" whole in a list ${listWidth} px wide`).toBe(true);
        // The longest silence reason, whatever the data holds (other tests change it): written into
        // the text node Lit rendered in the first row, as the list words it, and put back after.
        const text = [...reasons()[0]!.childNodes].find(
          (node): node is Text => node instanceof Text && node.data.trim() !== '',
        )!;
        const shown = text.data;
        const longest = longestSilenceReason(locale);
        text.data = longest.charAt(0).toUpperCase() + longest.slice(1);
        expect(whole(reasons()[0]!), `"${text.data}" whole in a list ${listWidth} px wide`).toBe(true);
        text.data = shown;
      }
    });

  it('the demo data has reasons long enough to need the room (the test would prove nothing otherwise)', async () => {
    const { atRiskCustomers } = await adminGraphQL<{ atRiskCustomers: { mainReason: { message: string } }[] }>(
      '{ atRiskCustomers(first: 10) { mainReason { message } } }',
    );
    expect(Math.max(...atRiskCustomers.map((c) => c.mainReason.message.length))).toBeGreaterThan(30);
  });
});
