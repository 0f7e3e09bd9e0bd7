// The query controller against a real Pulso: a burst of reloads (live events as a rescoring or an
// import moves many at-risk customers at once; the at-risk list reloads on each) sends one request
// and, once it is answered, one more for what changed meanwhile, not one request per event.
import { expect, it, onTestFinished } from 'vitest';
import { endpoint, portalCredential, until } from '../../test/helpers.ts';
import { QueryController } from './query-controller.ts';

const AT_RISK = 'query ($first: Int!) { atRiskCustomers(first: $first) { customer { id } score } }';

/** The smallest host a controller needs: it counts its updates. */
function host() {
  const controllers: { hostUpdate?(): void }[] = [];
  return {
    updates: 0,
    addController(controller: { hostUpdate?(): void }) {
      controllers.push(controller);
    },
    removeController() {},
    requestUpdate() {
      this.updates++;
    },
    updateComplete: Promise.resolve(true),
    /** Runs an update as an element would: its controllers' hostUpdate. */
    update() {
      for (const controller of controllers) controller.hostUpdate?.();
    },
  };
}

/** Counts the requests this page sends to Pulso's GraphQL endpoint. */
function countRequests(): { count: number } {
  const counter = { count: 0 };
  const realFetch = window.fetch;
  window.fetch = (input, init) => {
    if (String(input).endsWith('/graphql')) counter.count++;
    return realFetch(input, init);
  };
  onTestFinished(() => void (window.fetch = realFetch));
  return counter;
}

it('coalesces a burst of reloads into the request on its way and one more after it', async () => {
  const credential = await portalCredential({ kind: 'at_risk' });
  const element = host();
  const query = new QueryController<{ atRiskCustomers: unknown[] }>(element, {
    request: () => ({ endpoint: endpoint(), credential, query: AT_RISK, variables: { first: 10 } }),
  });
  element.update();
  await until(() => query.state.status === 'ready');
  const requests = countRequests();

  for (let i = 0; i < 20; i++) query.reload();
  await until(() => query.state.status === 'ready' && requests.count === 2, 10_000);
  // Nothing more comes after the trailing request.
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(requests.count).toBe(2);
  expect(query.state.data?.atRiskCustomers.length).toBeGreaterThan(0);

  // Reloads spaced out each run: nothing is held back when no burst is on.
  query.reload();
  await until(() => query.state.status === 'ready' && requests.count === 3, 10_000);
});
