// The load shedder in front of a real node:http server on loopback: refusals are 503 with
// Retry-After and a coded body, come before the handler runs, leave open subscriptions out of the
// count, and stop by themselves once the load is gone.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import {
  createLoadShedder,
  DEFAULT_LOAD_SHEDDING,
  OVER_CAPACITY_CODE,
  type LoadShedder,
  type LoadSheddingOptions,
} from './load-shedding.ts';

interface Harness {
  url: string;
  shedder: LoadShedder;
  /** Requests the handler saw (refused ones never reach it). */
  handled: number;
  /** Answers every held request. */
  release(): void;
}

let server: Server | undefined;
let shedder: LoadShedder | undefined;
afterEach(async () => {
  shedder?.close();
  server?.closeAllConnections();
  if (server?.listening) await new Promise((resolve) => server!.close(resolve));
  server = shedder = undefined;
});

/** A server whose handler holds /hold requests until released, streams /stream, answers others at once. */
async function start(options: LoadSheddingOptions): Promise<Harness> {
  shedder = createLoadShedder(options);
  const held: ServerResponse[] = [];
  const harness = {
    url: '',
    shedder,
    handled: 0,
    release: () => {
      for (const res of held.splice(0)) res.end('released');
    },
  };
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!shedder!.admit(req, res)) return;
    harness.handled++;
    if (req.url === '/hold') held.push(res);
    else if (req.url === '/stream') res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': open\n\n');
    else res.end('ok');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  harness.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return harness;
}

const get = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { headers, signal: AbortSignal.timeout(10_000) });

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('load shedding', () => {
  it('refuses requests beyond the cap in flight with 503 + Retry-After, before the handler, and admits again once they finish', async () => {
    const h = await start({ maxRequestsInFlight: 2, maxEventLoopDelayMs: 0, retryAfterSeconds: 3 });
    const first = get(`${h.url}/hold`);
    const second = get(`${h.url}/hold`);
    await until('two requests held', async () => (h.shedder.state().inFlight === 2 ? true : undefined));
    expect(h.shedder.state()).toMatchObject({ inFlight: 2, overloaded: 'REQUESTS_IN_FLIGHT' });

    const refused = await get(`${h.url}/other`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('3');
    const body = (await refused.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]!.extensions).toEqual({
      code: OVER_CAPACITY_CODE,
      reason: 'REQUESTS_IN_FLIGHT',
      retryAfterSeconds: 3,
    });
    expect(body.errors[0]!.message).toMatch(/nothing was done, try again in 3 s/);
    // A subscription is refused alike while overloaded.
    expect((await get(`${h.url}/stream`, { accept: 'text/event-stream' })).status).toBe(503);
    expect(h.handled).toBe(2);

    h.release();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    await until('the held requests counted out', async () => (h.shedder.state().inFlight === 0 ? true : undefined));
    expect(h.shedder.state().overloaded).toBeNull();
    expect((await get(`${h.url}/other`)).status).toBe(200);
  });

  it('leaves open subscriptions out of the count', async () => {
    const h = await start({ maxRequestsInFlight: 1, maxEventLoopDelayMs: 0 });
    const streams = await Promise.all([1, 2, 3].map(() => get(`${h.url}/stream`, { accept: 'text/event-stream' })));
    expect(streams.map((s) => s.status)).toEqual([200, 200, 200]);
    expect(h.shedder.state().inFlight).toBe(0);
    expect((await get(`${h.url}/other`)).status).toBe(200);
    await Promise.all(streams.map((s) => s.body?.cancel()));
  });

  it('counts a request whose client went away as finished', async () => {
    const h = await start({ maxRequestsInFlight: 1, maxEventLoopDelayMs: 0 });
    const abort = new AbortController();
    const gone = fetch(`${h.url}/hold`, { signal: abort.signal }).catch(() => 'aborted');
    await until('the request held', async () => (h.shedder.state().inFlight === 1 ? true : undefined));
    abort.abort();
    expect(await gone).toBe('aborted');
    await until('the cut request counted out', async () => (h.shedder.state().inFlight === 0 ? true : undefined));
    expect((await get(`${h.url}/other`)).status).toBe(200);
  });

  it('refuses while the event loop runs late and recovers by itself when it catches up', async () => {
    const h = await start({ maxRequestsInFlight: 0, maxEventLoopDelayMs: 20, sampleIntervalMs: 100 });
    // A sustained overload in this very process: the loop is kept busy 60 ms at a time.
    let busy = true;
    const hog = () => {
      const end = Date.now() + 60;
      while (Date.now() < end);
      if (busy) setImmediate(hog);
    };
    setImmediate(hog);
    try {
      const refused = await until('a refusal', async () => {
        const response = await get(`${h.url}/other`);
        return response.status === 503 ? response : undefined;
      });
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(
        ((await refused.json()) as { errors: { extensions: { reason: string } }[] }).errors[0]!.extensions.reason,
      ).toBe('EVENT_LOOP_DELAY');
      expect(h.shedder.state().eventLoopDelayMs).toBeGreaterThan(20);
    } finally {
      busy = false;
    }
    await until('recovery', async () => ((await get(`${h.url}/other`)).status === 200 ? true : undefined));
    expect(h.shedder.state().overloaded).toBeNull();
  });

  it('sheds nothing with both signals off', async () => {
    const h = await start({ maxRequestsInFlight: 0, maxEventLoopDelayMs: 0 });
    const held = Array.from({ length: 20 }, () => get(`${h.url}/hold`));
    await until('20 requests held', async () => (h.shedder.state().inFlight === 20 ? true : undefined));
    expect(h.shedder.state()).toEqual({ inFlight: 20, eventLoopDelayMs: 0, overloaded: null });
    expect((await get(`${h.url}/other`)).status).toBe(200);
    h.release();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual(Array(20).fill(200));
  });
});

describe('load shedding configuration', () => {
  const base = { PULSO_DATA_DIR: 'memory://' };

  it('defaults to limits a normal load never reaches, and reads PULSO_MAX_REQUESTS_IN_FLIGHT / PULSO_MAX_EVENT_LOOP_DELAY_MS (0 is off)', () => {
    expect(loadConfig(base).loadShedding).toEqual(DEFAULT_LOAD_SHEDDING);
    expect(DEFAULT_LOAD_SHEDDING).toEqual({ maxRequestsInFlight: 1000, maxEventLoopDelayMs: 500 });
    expect(
      loadConfig({ ...base, PULSO_MAX_REQUESTS_IN_FLIGHT: '8', PULSO_MAX_EVENT_LOOP_DELAY_MS: '0' }).loadShedding,
    ).toEqual({ maxRequestsInFlight: 8, maxEventLoopDelayMs: 0 });
  });

  it('names each bad value on its own line', () => {
    let problems: string[] = [];
    try {
      loadConfig({ ...base, PULSO_MAX_REQUESTS_IN_FLIGHT: 'many', PULSO_MAX_EVENT_LOOP_DELAY_MS: '-5' });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems).toEqual([
      'PULSO_MAX_REQUESTS_IN_FLIGHT must be a whole number from 0 to 1000000, got "many"',
      'PULSO_MAX_EVENT_LOOP_DELAY_MS must be a whole number from 0 to 600000, got "-5"',
    ]);
  });
});
