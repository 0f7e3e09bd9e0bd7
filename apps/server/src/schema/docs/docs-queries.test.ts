// The ready-to-use queries in docs/api run, with the example variables written in each file,
// against the demo workspace: documentation that no longer matches the schema fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../../testing.ts';

const docs = fileURLToPath(new URL('../../../../../docs/api/', import.meta.url));
const files = readdirSync(docs).filter((name) => name.endsWith('.graphql'));

/** The JSON after `# Variables:`, continued on the comment lines below it. */
function exampleVariables(source: string): Record<string, unknown> {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.startsWith('# Variables:'));
  if (start < 0) return {};
  let json = lines[start]!.slice('# Variables:'.length);
  for (const line of lines.slice(start + 1)) {
    if (!/^#\s{2,}/.test(line)) break;
    json += line.slice(1);
  }
  return JSON.parse(json);
}

describe('docs/api queries', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', workspace: 'demo', demoCustomers: 12 });
  });
  afterAll(() => t?.close());

  it('covers the documented use cases', () => {
    expect(files.sort()).toEqual([
      'at-risk-customers.graphql',
      'customer-detail.graphql',
      'customer-gauge.graphql',
      'customers-list.graphql',
      'dashboard-statistics.graphql',
      'model-evaluation.graphql',
      'refetch-node.graphql',
      'scores-as-of.graphql',
      'scoring-model.graphql',
    ]);
  });

  it.each(files)('%s runs without errors with its example variables', async (file) => {
    const source = readFileSync(docs + file, 'utf8');
    const variables = exampleVariables(source);
    if (file === 'refetch-node.graphql') {
      const page = await t.graphql(`{ customers(first: 2) { edges { node { id } } } }`);
      variables.ids = page.body.data.customers.edges.map((e: any) => e.node.id);
    }
    const { status, body } = await t.graphql(source, variables);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    const [root] = Object.values(body.data as Record<string, unknown>);
    expect(root).not.toBeNull();
  });
});
