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

/** A controller reading the at-risk list for a host of its own, once its first answer is in. */
async function atRiskQuery() {
  const credential = await portalCredential({ kind: 'at_risk' });
  const element = host();
  const query = new QueryController<{ atRiskCustomers: unknown[] }>(element, {
    request: () => ({ endpoint: endpoint(), credential, query: AT_RISK, variables: { first: 10 } }),
  });
  element.update();
  await until(() => query.state.status === 'ready');
  return query;
}

it('coalesces a burst of reloads into the request on its way and one more after it', async () => {
  const query = await atRiskQuery();
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

it('reads data on display again after a refresh that failed (a server error, a lost connection)', async () => {
  // A live event's reload met Pulso answering 503: the list kept what it showed, with no word of it,
  // until the next event. It is read again after a pause, and nothing more once it succeeds.
  const query = await atRiskQuery();
  const requests = countRequests();
  const realFetch = window.fetch;
  window.fetch = async () => new Response('{"errors":[{"message":"overloaded"}]}', { status: 503 });
  query.reload();
  await until(() => query.state.status === 'error');
  expect(query.state.data?.atRiskCustomers.length).toBeGreaterThan(0);
  window.fetch = realFetch;
  await until(() => query.state.status === 'ready', 5_000);
  const after = requests.count;
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  expect(requests.count).toBe(after);
});
