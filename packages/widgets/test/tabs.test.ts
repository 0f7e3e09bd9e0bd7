// A portal open in ten tabs of one browser (one pool of six connections per host): every tab stays
// live over a single stream, which the tabs hand over when the tab holding it closes.
import { expect, it, onTestFinished } from 'vitest';
import { commands } from 'vitest/browser';
import { pulso, recordNps, scoreValueOf, until } from './helpers.ts';

const scoreOf = async (externalId: string) => String(await scoreValueOf(externalId));

it('a portal in a sandboxed frame (no Web Locks there) goes live on a connection of its own', async () => {
  const externalId = `framed-${crypto.randomUUID().slice(0, 8)}`;
  await recordNps(externalId, 9);
  onTestFinished(() => commands.closeTabs());
  expect(
    await commands.openTabs(new URL(`framed?customer=${encodeURIComponent(externalId)}`, pulso().cspPageUrl).href, 1),
  ).toBe(1);
  await until(async () => (await commands.readTabs()).every((tab) => tab.value !== null && tab.rows > 0), 20_000);
  await until(async () => (await commands.readTabs())[0]!.streams === 1, 10_000);
  await recordNps(externalId, 0);
  const expected = await scoreOf(externalId);
  await until(async () => (await commands.readTabs())[0]!.value === expected, 10_000);
}, 60_000);

it('ten tabs of a portal all load and stay live over one connection, handed over when its tab closes', async () => {
  const externalId = `tabs-${crypto.randomUUID().slice(0, 8)}`;
  await recordNps(externalId, 9);
  onTestFinished(() => commands.closeTabs());
  const portal = new URL(`portal?customer=${encodeURIComponent(externalId)}`, pulso().cspPageUrl).href;
  expect(await commands.openTabs(portal, 10)).toBe(10);
  // Every tab shows its gauge and its list.
  await until(async () => (await commands.readTabs()).every((tab) => tab.value !== null && tab.rows > 0), 20_000);
  // One stream for all of them (the tab that leads holds it).
  await until(async () => (await commands.readTabs()).reduce((sum, tab) => sum + tab.streams, 0) === 1, 5_000);

  // A change reaches every tab, live.
  await recordNps(externalId, 0);
  let expected = await scoreOf(externalId);
  await until(async () => (await commands.readTabs()).every((tab) => tab.value === expected), 10_000);

  // The leading tab closes: another takes over, still one stream, and the tabs stay live.
  const leader = (await commands.readTabs()).findIndex((tab) => tab.streams === 1);
  await commands.closeTabs(leader);
  await until(async () => (await commands.readTabs()).reduce((sum, tab) => sum + tab.streams, 0) === 1, 10_000);
  await recordNps(externalId, 0);
  expected = await scoreOf(externalId);
  await until(async () => (await commands.readTabs()).every((tab) => tab.value === expected), 10_000);
  expect((await commands.readTabs()).length).toBe(9);
}, 90_000);
