// The credentials a real deployment hands out, made the way a company's backend makes them:
// through Pulso's API with the secret key. Customer tokens let the rating widget rate for one
// customer each; view tokens let a portal's gauge read one customer, or the at-risk list.
import { SECRET_KEY } from './pulso-process.ts';

/** A createCustomerToken or createViewToken answer: the token, or a refusal's message. */
const signed = (type: 'CustomerToken' | 'ViewToken') => `{ ... on ${type} { token } ... on UserError { message } }`;

function tokenOf(answer: { token?: string; message?: string }): string {
  if (!answer.token) throw new Error(`no token signed: ${answer.message}`);
  return answer.token;
}

export interface Credentials {
  /** Customers that rate, each with its own customer token. */
  raters: { externalId: string; customerToken: string }[];
  /** Customers whose gauge is read (and followed live), each with a view token for that customer. */
  gauges: { externalId: string; viewToken: string }[];
  /** A view token for the at-risk list. */
  atRiskToken: string;
}

export async function secretGraphql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET_KEY}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (!response.ok || body.errors?.length || !body.data)
    throw new Error(`${query.slice(0, 60)}…: HTTP ${response.status} ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

/** Signs tokens for `raters` customers and view tokens for `gauges` of them, in batches of aliased fields. */
export async function makeCredentials(url: string, raters: number, gauges: number): Promise<Credentials> {
  const externalIds: string[] = [];
  let after: string | null = null;
  while (externalIds.length < Math.max(raters, gauges)) {
    const page: {
      customers: { edges: { node: { externalId: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    } = await secretGraphql(
      url,
      'query ($after: String) { customers(first: 100, after: $after) { edges { node { externalId } } pageInfo { hasNextPage endCursor } } }',
      { after },
    );
    externalIds.push(...page.customers.edges.map((e) => e.node.externalId));
    if (!page.customers.pageInfo.hasNextPage) break;
    after = page.customers.pageInfo.endCursor;
  }
  if (externalIds.length < Math.max(raters, gauges)) {
    throw new Error(
      `the demo workspace has ${externalIds.length} customers; ask for at most that many raters and subscriptions`,
    );
  }
  // Aliases stay under the server's default limit of 30 per operation.
  const sign = async (field: (id: string) => string, ids: string[]) => {
    const tokens: string[] = [];
    for (let i = 0; i < ids.length; i += 25) {
      const batch = ids.slice(i, i + 25);
      const data = await secretGraphql<Record<string, { token?: string; message?: string }>>(
        url,
        `mutation { ${batch.map((id, n) => `t${n}: ${field(id)}`).join(' ')} }`,
      );
      tokens.push(...batch.map((_, n) => tokenOf(data[`t${n}`]!)));
    }
    return tokens;
  };
  const lifetime = 3600;
  const raterIds = externalIds.slice(0, raters);
  const gaugeIds = externalIds.slice(0, gauges);
  const customerTokens = await sign(
    (id) =>
      `createCustomerToken(externalId: ${JSON.stringify(id)}, expiresInSeconds: ${lifetime}) ${signed('CustomerToken')}`,
    raterIds,
  );
  const viewTokens = await sign(
    (id) => `createViewToken(externalId: ${JSON.stringify(id)}, expiresInSeconds: ${lifetime}) ${signed('ViewToken')}`,
    gaugeIds,
  );
  const { atRisk } = await secretGraphql<{ atRisk: { token?: string; message?: string } }>(
    url,
    `mutation { atRisk: createViewToken(atRisk: true, expiresInSeconds: ${lifetime}) ${signed('ViewToken')} }`,
  );
  return {
    raters: raterIds.map((externalId, i) => ({ externalId, customerToken: customerTokens[i]! })),
    gauges: gaugeIds.map((externalId, i) => ({ externalId, viewToken: viewTokens[i]! })),
    atRiskToken: tokenOf(atRisk),
  };
}
