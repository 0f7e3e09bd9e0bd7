// Expiring view tokens: the portal widgets ask their page for a new token before theirs expires
// (and when Pulso refuses it), move their requests to the one they get, and say so when none comes.
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { commands, page, userEvent } from 'vitest/browser';
import '../index.ts';
import { element, expectNoAxeViolations, fixture, pulso, recordNps, until, viewToken } from '../../test/helpers.ts';
import type { PulsoTokenExpiringEvent } from '../events.ts';

/** Every request's credential, in order (each request still goes through). */
function watchCredentials(): string[] {
  const sent: string[] = [];
  const realFetch = window.fetch;
  window.fetch = (input, init) => {
    sent.push(String(new Headers(init?.headers).get('authorization')).replace(/^Bearer /, ''));
    return realFetch(input, init);
  };
  onTestFinished(() => void (window.fetch = realFetch));
  return sent;
}

/** Answers (or just records) the element's requests for a token. */
function onTokenExpiring(
  el: HTMLElement,
  answer?: () => Promise<string>,
): { at: number; event: PulsoTokenExpiringEvent }[] {
  const asked: { at: number; event: PulsoTokenExpiringEvent }[] = [];
  const listener = (event: PulsoTokenExpiringEvent) => {
    if (event.target !== el) return;
    asked.push({ at: Date.now(), event });
    if (answer) event.detail.respondWith(answer());
  };
  document.addEventListener('pulso-token-expiring', listener);
  onTestFinished(() => document.removeEventListener('pulso-token-expiring', listener));
  return asked;
}

/**
 * A gauge with these attributes, whose page answers its requests for a token with `answer` (or only
 * records them): listening before it connects, where the first ask may come.
 */
async function gaugeAsking(attributes: Record<string, string>, answer?: () => Promise<string>) {
  const el = document.createElement('pulso-gauge');
  const asked = onTokenExpiring(el, answer);
  await fixture(() => {
    for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
    return el;
  });
  return { el, asked };
}

const expiryOf = (token: string) =>
  JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))).exp * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nps = (externalId: string, value: number) =>
  recordNps(externalId, value, { name: 'Token holder', idempotencyKey: `${externalId}-${value}` });

// A Pulso server of this file's own: these tests watch this frame's live connection, which for an
// endpoint that other test files (frames of the same origin) use may be theirs to open.
let origin = '';
const endpoint = () => `${origin}/graphql`;

describe('expiring view tokens', () => {
  beforeAll(async () => {
    origin = await commands.spareServer('start', 'tokens');
  });
  it('the gauge asks for a new token before expiry, moves its reads and live connection to it, and stays live', async () => {
    const externalId = `token-${crypto.randomUUID().slice(0, 8)}`;
    await nps(externalId, 9);
    // 8 s: the widget asks a quarter of the lifetime before expiry, counted from receipt by the
    // token's own exp − iat, and iat is in whole seconds, so the ask can land up to a second late:
    // with 4 s (asked 1 s before) it came after the expiry when the token was signed late in a second.
    const short = await viewToken({ kind: 'customer', externalId }, 8);
    const fresh = await viewToken({ kind: 'customer', externalId }, 3600);
    const sent = watchCredentials();
    const { el, asked } = await gaugeAsking(
      {
        endpoint: endpoint(),
        customer: externalId,
        token: short,
        locale: 'en',
      },
      async () => fresh,
    );
    await until(() => el.score);
    const expiry = expiryOf(short);
    await until(() => asked.length > 0, 10_000);
    // Asked once, before the token expired, with the token and its expiry.
    expect(asked[0]!.at).toBeLessThan(expiry);
    expect(asked[0]!.event.detail.token).toBe(short);
    expect(asked[0]!.event.detail.expiresAt?.getTime()).toBe(expiry);
    await until(() => el.token === fresh);
    // Past the old token's expiry: still the score, no error, and the reads went to the new token.
    await sleep(Math.max(0, expiry - Date.now()) + 1_000);
    expect(el.shadowRoot!.querySelector('[role=alert]')).toBeNull();
    expect(el.shadowRoot!.querySelector('[role=meter]')).not.toBeNull();
    expect(sent.at(-1)).toBe(fresh);
    expect(sent.filter((credential) => credential === fresh).length).toBeGreaterThanOrEqual(2);
    expect(asked.length).toBe(1);
    // The live connection now runs on the new token: a score change arrives without a reload.
    const before = el.score!.value;
    const mine = () => sent.filter((credential) => credential === fresh || credential === short).length;
    const requests = mine();
    await nps(externalId, 0);
    await until(() => el.score!.value !== before);
    expect(mine()).toBe(requests);
  }, 30_000);

  it('unanswered, shows that access expired and sends nothing more; a token given later brings it back', async () => {
    const externalId = pulso().customers[1]!.externalId;
    const short = await viewToken({ kind: 'customer', externalId }, 2);
    const sent = watchCredentials();
    const el = await fixture(() =>
      element('pulso-gauge', { endpoint: endpoint(), customer: externalId, token: short, locale: 'en' }),
    );
    const asked = onTokenExpiring(el);
    await until(() => el.score);
    const alert = await until(() => el.shadowRoot!.querySelector('[role=alert]'), 5_000);
    expect(asked.length).toBe(1);
    expect(alert.textContent).toContain('Access to this data has expired.');
    await expectNoAxeViolations(el);
    const requests = sent.length;
    await sleep(1_500);
    // Nothing sent since (the test itself sends nothing meanwhile).
    expect(sent.length).toBe(requests);
    // "Try again" asks the page again; this time it answers.
    const fresh = await viewToken({ kind: 'customer', externalId }, 3600);
    onTokenExpiring(el, async () => fresh);
    await userEvent.click(page.elementLocator(el).getByRole('button', { name: 'Try again' }));
    expect(asked.length).toBe(2);
    await until(() => el.shadowRoot!.querySelector('[role=meter]'));
    expect(el.shadowRoot!.querySelector('[role=alert]')).toBeNull();
    expect(sent.at(-1)).toBe(fresh);
  }, 30_000);

  it('a token older than it looks, refused before the widget planned to ask: the page is asked once, not again at the planned time', async () => {
    const externalId = pulso().customers[1]!.externalId;
    // Signed late in a second: `iat` is in whole seconds, so the token is up to a second older than
    // its exp - iat says, and Pulso refuses it (the live stream ends at its expiry) before the
    // widget's own ask, planned a quarter of that lifetime before expiry counted from receipt.
    while (Date.now() % 1000 < 850) await sleep(20);
    const short = await viewToken({ kind: 'customer', externalId }, 2);
    const el = await fixture(() =>
      element('pulso-gauge', { endpoint: endpoint(), customer: externalId, token: short, locale: 'en' }),
    );
    const asked = onTokenExpiring(el);
    await until(() => el.score);
    const expiry = expiryOf(short);
    // Past the widget's planned ask (1.5 s after receipt, by the token's own clock, so about 2.4 s
    // after the second it was signed in, when Pulso's expiry came at 2) and its expiry.
    await until(() => el.shadowRoot!.querySelector('[role=alert]'), 8_000);
    await sleep(Math.max(0, expiry + 1_500 - Date.now()));
    expect(asked.length).toBe(1);
  }, 30_000);

  it("counts a token's time from its own clock: a visitor's clock 20 minutes fast does not expire a fresh one", async () => {
    const externalId = pulso().customers[2]!.externalId;
    const token = await viewToken({ kind: 'customer', externalId }, 600);
    // The visitor's clock, as this page reads it, 20 minutes ahead of Pulso's.
    const realNow = Date.now;
    Date.now = () => realNow() + 20 * 60_000;
    onTestFinished(() => void (Date.now = realNow));
    const el = await fixture(() =>
      element('pulso-gauge', { endpoint: endpoint(), customer: externalId, token, locale: 'en' }),
    );
    const asked = onTokenExpiring(el);
    await until(() => el.score);
    await sleep(500);
    expect(el.shadowRoot!.querySelector('[role=alert]')).toBeNull();
    expect(el.shadowRoot!.querySelector('[role=meter]')).not.toBeNull();
    expect(asked).toEqual([]);
  });

  it('asks at once when Pulso refuses the token, and retries with the one it gets', async () => {
    const externalId = pulso().customers[0]!.externalId;
    const { el, asked } = await gaugeAsking(
      {
        endpoint: endpoint(),
        customer: externalId,
        token: 'eyJhbGciOiJIUzI1NiJ9.e30.forged',
        locale: 'en',
      },
      () => viewToken({ kind: 'customer', externalId }),
    );
    await until(() => el.shadowRoot!.querySelector('[role=meter]'));
    expect(asked.length).toBeGreaterThanOrEqual(1);
    expect(asked[0]!.event.detail.token).toBe('eyJhbGciOiJIUzI1NiJ9.e30.forged');
    expect(asked[0]!.event.detail.expiresAt).toBeNull();
  });

  it('a page that keeps answering with a token Pulso refuses is not asked in a loop', async () => {
    // A common setup mistake: the portal's backend signs with the wrong secret, so every token it
    // hands over is refused. The widget must not turn that into a storm of requests and events.
    const externalId = pulso().customers[0]!.externalId;
    const refused = () => `eyJhbGciOiJIUzI1NiJ9.e30.wrong-secret-${crypto.randomUUID()}`;
    // This widget's requests: those naming one of its tokens, as credential or as a live view (the
    // page's live connection also carries the views of widgets the file's earlier tests left).
    let ours = 0;
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      const named = `${new Headers(init?.headers).get('authorization')} ${typeof init?.body === 'string' ? init.body : ''}`;
      if (/wrong-secret-/.test(named)) ours++;
      return realFetch(input, init);
    };
    onTestFinished(() => void (window.fetch = realFetch));
    const { el, asked } = await gaugeAsking(
      {
        endpoint: endpoint(),
        customer: externalId,
        token: refused(),
        locale: 'en',
      },
      async () => refused(),
    );
    await sleep(3_000);
    expect(asked.length).toBeLessThanOrEqual(3);
    // Per token tried (the first and each answer): a read, the live connection joining, and leaving
    // it once the refused token is expired for the widget.
    expect(ours).toBeLessThanOrEqual(3 * (asked.length + 1));
    // Meanwhile it shows its error, not a page stuck on "Loading…".
    const alert = await until(() => el.shadowRoot!.querySelector('[role=alert]'));
    expect(alert.textContent).toMatch(/expired|could not load/i);
  }, 20_000);

  it('a refresh that answers what Pulso refuses (an error page, the same each time) ends in "expired", not a stale score shown as live', async () => {
    // A portal backend whose token route fails: the page hands over its error page's text as the
    // token (fetch(...).then((r) => r.text()) without checking r.ok). The gauge kept showing the
    // score it had, with no word of it, long after its token expired; a change never appeared.
    const externalId = `stale-${crypto.randomUUID().slice(0, 8)}`;
    await nps(externalId, 9);
    const short = await viewToken({ kind: 'customer', externalId }, 8);
    const errorPage = '<!doctype html><title>502 Bad Gateway</title>';
    const { el, asked } = await gaugeAsking(
      {
        endpoint: endpoint(),
        customer: externalId,
        token: short,
        locale: 'en',
      },
      async () => errorPage,
    );
    await until(() => el.score);
    const alert = await until(() => el.shadowRoot!.querySelector('[role=alert]'), 12_000);
    expect(alert.textContent).toContain('Access to this data has expired.');
    expect(el.shadowRoot!.querySelector('[role=meter]')).toBeNull();
    // Shown about when the token expires (its first pause after the refusal), and the page asked again
    // after pauses, not in a loop.
    expect(Date.now()).toBeLessThan(expiryOf(short) + 3_000);
    const before = asked.length;
    await sleep(5_000);
    expect(asked.length - before).toBeGreaterThanOrEqual(1);
    expect(asked.length - before).toBeLessThanOrEqual(3);
    expect(el.shadowRoot!.querySelector('[role=alert]')?.textContent).toContain('Access to this data has expired.');
  }, 30_000);

  it('a refresh that fails (a rejected promise) or answers no token: no unhandled error, said plainly, token kept', async () => {
    const externalId = pulso().customers[3]!.externalId;
    const short = await viewToken({ kind: 'customer', externalId }, 2);
    const unhandled: unknown[] = [];
    const onRejection = (event: PromiseRejectionEvent) => unhandled.push(event.reason);
    addEventListener('unhandledrejection', onRejection);
    onTestFinished(() => removeEventListener('unhandledrejection', onRejection));
    const errors: string[] = [];
    const realError = console.error;
    console.error = (...args: unknown[]) => void errors.push(args.map(String).join(' '));
    onTestFinished(() => void (console.error = realError));
    const el = await fixture(() =>
      element('pulso-gauge', { endpoint: endpoint(), customer: externalId, token: short, locale: 'en' }),
    );
    // The page's refresh endpoint is down: its promise rejects.
    let answer: () => Promise<unknown> = () => Promise.reject(new Error('the refresh endpoint is down'));
    const asked = onTokenExpiring(el, () => answer() as Promise<string>);
    await until(() => el.shadowRoot!.querySelector('[role=alert]'), 5_000);
    expect(asked.length).toBeGreaterThanOrEqual(1);
    expect(unhandled).toEqual([]);
    // "Try again": the page answers with its JSON body instead of the token in it.
    const fresh = await viewToken({ kind: 'customer', externalId }, 3600);
    answer = async () => ({ token: fresh });
    await userEvent.click(page.elementLocator(el).getByRole('button', { name: 'Try again' }));
    await until(() => errors.some((e) => /respondWith needs a token string, got object/.test(e)));
    expect((el as unknown as { token: string }).token).toBe(short);
    // Answered right, it recovers.
    answer = async () => fresh;
    await userEvent.click(page.elementLocator(el).getByRole('button', { name: 'Try again' }));
    await until(() => el.shadowRoot!.querySelector('[role=meter]'));
    expect(unhandled).toEqual([]);
  }, 20_000);

  it('the at-risk list does the same', async () => {
    const short = await viewToken({ kind: 'at_risk' }, 3);
    const fresh = await viewToken({ kind: 'at_risk' }, 3600);
    const sent = watchCredentials();
    const el = document.createElement('pulso-at-risk');
    onTokenExpiring(el, async () => fresh);
    await fixture(() => {
      for (const [name, value] of Object.entries({
        endpoint: endpoint(),
        token: short,
        locale: 'en',
        'page-size': '2',
      }))
        el.setAttribute(name, value);
      return el;
    });
    await until(() => el.customers.length > 0);
    await until(() => el.token === fresh, 5_000);
    await sleep(Math.max(0, expiryOf(short) - Date.now()) + 1_000);
    expect(el.shadowRoot!.querySelector('[role=alert]')).toBeNull();
    expect(el.customers.length).toBe(2);
    expect(sent.at(-1)).toBe(fresh);
    await userEvent.click(page.elementLocator(el).getByRole('button', { name: 'Load more' }));
    await until(() => el.customers.length > 2);
    expect(sent.at(-1)).toBe(fresh);
  }, 30_000);
});
