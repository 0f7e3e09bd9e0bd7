// One burst of load against one contender, with autocannon (a well-kept Node load generator that
// reports latency percentiles from an HDR histogram). Every response body is checked while the
// load runs: a contender that answers fast but wrongly gets no credit for it.
import autocannon from 'autocannon';

export interface Workload {
  /** Path of the request, e.g. /graphql. */
  path: string;
  /** JSON body (POST), or undefined for GET. */
  body?: unknown;
  /** A new JSON body for every request (e.g. a fresh idempotency key each time); wins over `body`. */
  nextBody?: () => unknown;
  headers?: Record<string, string>;
  /** True when a response body is a correct answer (shape, no GraphQL error). */
  verify(body: string): boolean;
}

export interface LoadResult {
  /** Correct 2xx responses per second. */
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  /** 2xx responses whose body failed `verify`. */
  wrong: number;
  errors: number;
  /** The server's CPU time per request in microseconds, when the contender reports its CPU (compare.ts). */
  cpuMicros?: number;
}

export async function runLoad(
  url: string,
  workload: Workload,
  seconds: number,
  connections: number,
): Promise<LoadResult> {
  const result = await autocannon({
    url: new URL(workload.path, url).toString(),
    method: workload.body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...workload.headers },
    ...(workload.body === undefined ? {} : { body: JSON.stringify(workload.body) }),
    ...(workload.nextBody
      ? {
          method: 'POST' as const,
          requests: [{ setupRequest: (request: any) => ({ ...request, body: JSON.stringify(workload.nextBody!()) }) }],
        }
      : {}),
    connections,
    duration: seconds,
    verifyBody: (body) => workload.verify(String(body ?? '')),
  });
  const elapsed = (result.finish.getTime() - result.start.getTime()) / 1000;
  const ok = result['2xx'] - result.mismatches;
  return {
    rps: ok / elapsed,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'],
    non2xx: result.non2xx,
    wrong: result.mismatches,
    errors: result.errors + result.timeouts,
  };
}

/** One request outside the load, with the full check, so a wrong contender stops the run early. */
export async function checkOnce(url: string, workload: Workload, name: string): Promise<string> {
  const body = workload.nextBody ? workload.nextBody() : workload.body;
  const response = await fetch(new URL(workload.path, url), {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...workload.headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status !== 200 || !workload.verify(text)) {
    throw new Error(`${name} answered wrongly (status ${response.status}): ${text.slice(0, 400)}`);
  }
  return text;
}

/** A GraphQL response check: parses, refuses any `errors`, then applies the shape check to `data`. */
export function graphqlCheck(shape: (data: any) => boolean): (body: string) => boolean {
  return (body) => {
    try {
      const parsed = JSON.parse(body);
      return parsed.errors === undefined && parsed.data != null && shape(parsed.data);
    } catch {
      return false;
    }
  };
}
