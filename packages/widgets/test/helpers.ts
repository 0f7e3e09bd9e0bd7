// Shared by the browser tests: one fixture per test, the real server's data, an axe audit.
import axe from 'axe-core';
import { commands } from 'vitest/browser';
import { onTestFinished } from 'vitest';
import type { PulsoFixture } from './commands.ts';

let loaded: PulsoFixture | undefined;
/** Asks Node for the test server (started on the first file's call): test/fixture.ts, before each file. */
export async function loadPulso(): Promise<void> {
  loaded = await commands.pulsoFixture();
}
/** The test server: its origin, keys and demo customers. */
export function pulso(): PulsoFixture {
  if (!loaded) throw new Error('no Pulso test server: test/fixture.ts (setupFiles) loads it before each file');
  return loaded;
}
export const endpoint = () => `${pulso().url}/graphql`;

/** Mounts markup in a fresh container, removed when the test ends. */
export async function fixture<T extends HTMLElement>(build: (container: HTMLElement) => T): Promise<T> {
  const container = document.createElement('div');
  document.body.append(container);
  onTestFinished(() => container.remove());
  const element = build(container);
  container.append(element);
  await (element as unknown as { updateComplete?: Promise<unknown> }).updateComplete;
  return element;
}

/** Creates an element with attributes (values set as attributes: never parsed as HTML). */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean>,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) el.setAttribute(name, '');
    else if (value !== false) el.setAttribute(name, value);
  }
  return el;
}

export function viewToken(
  grant: { kind: 'customer'; externalId: string } | { kind: 'at_risk' },
  expiresInSeconds?: number,
): Promise<string> {
  return commands.signToken(grant, expiresInSeconds);
}

/** The credential a portal widget gets: a short-lived view token, as a portal's backend signs it. */
export function portalCredential(
  grant: { kind: 'customer'; externalId: string } | { kind: 'at_risk' },
): Promise<string> {
  return viewToken(grant);
}

/** A customer token for that customer, as a site's backend signs it; `{ expired: true }`: one that expired a minute ago. */
export function customerToken(externalId: string, { expired = false } = {}): Promise<string> {
  return expired
    ? commands.signToken({ kind: 'rate', externalId }, 60, 120)
    : commands.signToken({ kind: 'rate', externalId });
}

/** Runs an operation with the secret key, as the company's backend would (to check the server's state). */
export async function adminGraphQL<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(endpoint(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${pulso().secretKey}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data!;
}

/**
 * Records an NPS answer for a customer (created, named `name`, when new), as the company's backend
 * would. The idempotency key is new each time unless given.
 */
export function recordNps(
  externalId: string,
  value: number,
  { name = externalId, idempotencyKey = crypto.randomUUID() }: { name?: string; idempotencyKey?: string } = {},
): Promise<unknown> {
  return adminGraphQL(
    'mutation ($input: RecordInteractionInput!) { recordInteraction(input: $input) { __typename } }',
    { input: { customer: { externalId, name }, type: 'nps', value, idempotencyKey } },
  );
}

/** A customer's score as the API gives it now. */
export async function scoreValueOf(externalId: string): Promise<number> {
  const data = await adminGraphQL<{ customer: { health: { value: number } } }>(
    'query($id: String!) { customer(externalId: $id) { health { value } } }',
    { id: externalId },
  );
  return data.customer.health.value;
}

/** Waits until a condition holds (polling), failing with the last error after `timeout` ms. */
export async function until<T>(check: () => T | Promise<T>, timeout = 10_000): Promise<NonNullable<T>> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() - start > timeout)
      throw last instanceof Error ? last : new Error(`condition not met in ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The text a widget shows, whitespace collapsed. */
export function shownText(el: HTMLElement): string {
  return (el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** axe-core on the element (it scans open shadow roots): WCAG 2.1 A and AA rules. */
export async function expectNoAxeViolations(el: HTMLElement): Promise<void> {
  const results = await axe.run(el, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  const violations = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  if (violations.length) throw new Error(`accessibility violations:\n${violations.join('\n')}`);
}

export async function microRatingsOf(
  externalId: string,
): Promise<{ sentiment: string; comment: string | null; journeyStage: string | null }[]> {
  const data = await adminGraphQL<{
    customer: {
      interactions: { edges: { node: { sentiment: string; comment: string | null; journeyStage: string | null } }[] };
    };
  }>(
    `query($externalId: String!) { customer(externalId: $externalId) { interactions(first: 100, filter: { typeKeys: ["micro_rating"] }) { edges { node { sentiment comment journeyStage } } } } }`,
    { externalId },
  );
  return data.customer.interactions.edges.map((e) => e.node);
}
