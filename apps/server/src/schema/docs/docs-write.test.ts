// The ready-to-use write operations in docs/api/write run, with the key and example variables
// written in each file, against the demo workspace: documentation that drifts fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCustomerToken } from '@pulso/tokens';
import { createTestServer, type TestServer } from '../../testing.ts';

const folder = fileURLToPath(new URL('../../../../../docs/api/write/', import.meta.url));
const files = readdirSync(folder).filter((name) => name.endsWith('.graphql'));

/** `Key: <kind>.` and the JSON after `Variables:`, continued on indented comment lines. */
function header(source: string): { key: string; variables: Record<string, any> } {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.includes('Variables:'));
  let json = lines[start]!.slice(lines[start]!.indexOf('Variables:') + 'Variables:'.length);
  for (const line of lines.slice(start + 1)) {
    if (!/^#\s{2,}/.test(line)) break;
    json += line.slice(1);
  }
  return { key: /Key: ([a-z-]+)/.exec(source)![1]!, variables: JSON.parse(json) };
}

describe('docs/api/write operations', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', workspace: 'demo', demoCustomers: 8 });
  }, 60_000);
  afterAll(() => t?.close());

  it('cover recording, rating, live changes, tokens, evaluation, suggested weights and history grids', () => {
    expect(files.sort()).toEqual([
      'create-view-token.graphql',
      'evaluate-scoring-model.graphql',
      'recompute-score-history.graphql',
      'record-interaction.graphql',
      'record-interactions.graphql',
      'record-outcome.graphql',
      'score-changed.graphql',
      'submit-micro-rating.graphql',
      'suggest-scoring-model.graphql',
      'upsert-customer.graphql',
      'upsert-customers.graphql',
    ]);
  });

  it.each(files.filter((f) => f !== 'score-changed.graphql'))(
    '%s runs with its key and example variables',
    async (file) => {
      const source = readFileSync(folder + file, 'utf8');
      const { key, variables } = header(source);
      if (file === 'submit-micro-rating.graphql') {
        const secret = (await t.graphql(`{ tokenSigningSecret }`)).body.data.tokenSigningSecret;
        variables.input.customerToken = await signCustomerToken({ secret, externalId: variables.input.customer });
      }
      const { status, body } = await t.graphql(
        source,
        variables,
        key === 'publishable' ? t.publishableKey : t.secretKey,
      );
      expect(body.errors).toBeUndefined();
      expect(status).toBe(200);
      const [root] = Object.values(body.data as Record<string, any>);
      expect(root).not.toBeNull();
      if (typeof root === 'object')
        expect(['ValidationError', 'IdempotencyConflictError', 'CustomerTokenError']).not.toContain(root.__typename);
    },
  );

  it('score-changed.graphql streams a change over Server-Sent Events', async () => {
    const source = readFileSync(`${folder}score-changed.graphql`, 'utf8');
    const response = await t.subscribe(source, header(source).variables, 'text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await t.graphql(
      `mutation { recordInteraction(input: { customer: { externalId: "cus_0001" }, type: "meeting", idempotencyKey: "docs-live" }) { __typename } }`,
    );
    let text = '';
    while (!text.includes('data:')) text += (await reader.read()).value ?? '';
    const event = JSON.parse(text.slice(text.indexOf('data:') + 5).split('\n')[0]!);
    expect(event.errors).toBeUndefined();
    expect(event.data.scoreChanged.externalId).toBe('cus_0001');
    await reader.cancel();
  });
});
