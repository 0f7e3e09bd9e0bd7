import { describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../index.ts';
import {
  adminGraphQL,
  element,
  endpoint,
  expectNoAxeViolations,
  fixture,
  portalCredential,
  until,
} from '../../test/helpers.ts';
import type { PulsoSelectEvent } from '../events.ts';
import type { PulsoAtRisk } from './pulso-at-risk.ts';

async function list(attributes: Record<string, string> = {}): Promise<PulsoAtRisk> {
  const token = await portalCredential({ kind: 'at_risk' });
  return fixture(() => element('pulso-at-risk', { endpoint: endpoint(), token, locale: 'en', ...attributes }));
}

const items = (el: PulsoAtRisk) => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part=item]')];

describe('<pulso-at-risk>', () => {
  it('lists the at-risk customers worst first with score, trend, days and main reason; loads more', async () => {
    const { atRiskCustomers: all } = await adminGraphQL<{
      atRiskCustomers: { customer: { name: string }; score: number; mainReason: { message: string } }[];
    }>('{ atRiskCustomers(first: 100) { customer { name } score mainReason { message } } }');
    expect(all.length).toBeGreaterThan(2);
    const el = await list({ 'page-size': '2' });
    expect(el.shadowRoot!.querySelector('[role=status]')?.textContent).toContain('Loading');
    await until(() => items(el).length === 2);
    expect(items(el).map((i) => i.querySelector('[part=name]')!.textContent)).toEqual(
      all.slice(0, 2).map((c) => c.customer.name),
    );
    const first = items(el)[0]!;
    // The server's words, as a line of their own: with a capital (they start in lower case).
    const reason = all[0]!.mainReason.message;
    expect(first.querySelector('[part=reason]')!.textContent).toBe(reason.charAt(0).toUpperCase() + reason.slice(1));
    expect(first.querySelector('[part=days]')!.textContent).toMatch(
      /^(Last interaction (today|1 day ago|\d+ days ago)|No interaction yet)$/,
    );
    // The score as the API gives it (one decimal): the number its band was computed from.
    expect(first.querySelector('[part=score]')!.textContent).toBe(`Score ${all[0]!.score}`);
    await expectNoAxeViolations(el);
    await userEvent.click(page.elementLocator(el).getByRole('button', { name: 'Load more' }));
    await until(() => items(el).length === Math.min(4, all.length));
  });

  it('fires pulso-select when a customer is chosen, by mouse or keyboard', async () => {
    const el = await list({ 'page-size': '3' });
    await until(() => items(el).length > 0);
    const events: PulsoSelectEvent[] = [];
    const listener = (e: PulsoSelectEvent) => events.push(e);
    document.addEventListener('pulso-select', listener);
    try {
      items(el)[0]!.click();
      await userEvent.tab();
      await userEvent.tab();
      await userEvent.keyboard('{Enter}');
      expect(events.length).toBe(2);
      expect(events[0]!.detail.externalId).toBeTruthy();
      expect(events[1]!.detail.name).toBe(items(el)[1]!.querySelector('[part=name]')!.textContent);
    } finally {
      document.removeEventListener('pulso-select', listener);
    }
  });

  it('speaks Brazilian Portuguese and Spanish', async () => {
    const pt = await list({ locale: 'pt-BR' });
    await until(() => items(pt).length > 0 && pt.shadowRoot!.querySelector('h2')!.textContent !== 'Customers at risk');
    expect(pt.shadowRoot!.querySelector('h2')!.textContent).toBe('Clientes em risco');
    const es = await list({ locale: 'es' });
    await until(() => items(es).length > 0 && es.shadowRoot!.querySelector('h2')!.textContent !== 'Customers at risk');
    expect(es.shadowRoot!.querySelector('h2')!.textContent).toBe('Clientes en riesgo');
  });
});
