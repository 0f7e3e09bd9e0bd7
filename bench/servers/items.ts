// The 60-object list every contender of the GraphQL-overhead benchmark returns, built per request
// (as a resolver reading from memory would), and the queries they all answer.
export const LIST_SIZE = 60;

export interface Item {
  id: string;
  name: string;
  score: number;
  active: boolean;
  tags: string[];
}

export function items(): Item[] {
  const list: Item[] = [];
  for (let i = 0; i < LIST_SIZE; i++)
    list.push({
      id: `item-${i}`,
      name: `Customer ${i}`,
      score: (i * 37) % 100,
      active: i % 3 !== 0,
      tags: ['alpha', 'beta'],
    });
  return list;
}

export const TRIVIAL_QUERY = '{ __typename }';
export const LIST_QUERY = '{ benchItems { id name score active tags } }';

/** Prints the line the harness waits for. */
export function announce(url: string, extra = ''): void {
  process.stdout.write(`listening ${url}${extra ? ` ${extra}` : ''}\n`);
}
