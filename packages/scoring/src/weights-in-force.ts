// The weight of each category as it applies to one customer now, for display beside the score:
// the precedence the engine scores with (customer, then segment, then workspace), and each
// weight's share of the whole. Read from stored weights without compiling a model.
import type { WeightSource } from './types.ts';

export interface WeightInForce {
  categoryKey: string;
  categoryName: string;
  weight: number;
  source: WeightSource;
  /** The weight's share (0–1, four decimals) of all the customer's weights, before redistribution. */
  share: number;
}

/**
 * Each category's weight for one customer, in the categories' order. The lookups answer the
 * customer's own and its segment's override of a category, or undefined when there is none.
 */
export function weightsInForce<Category extends { key: string; name: string; weight: number }>(
  categories: readonly Category[],
  customerWeight: (category: Category) => number | undefined,
  segmentWeight: (category: Category) => number | undefined,
): WeightInForce[] {
  const rows = categories.map((category): WeightInForce => {
    const own = customerWeight(category);
    const segment = segmentWeight(category);
    const [weight, source]: [number, WeightSource] =
      own !== undefined
        ? [own, 'customer']
        : segment !== undefined
          ? [segment, 'segment']
          : [category.weight, 'workspace'];
    return { categoryKey: category.key, categoryName: category.name, weight, source, share: 0 };
  });
  const total = rows.reduce((sum, row) => sum + row.weight, 0);
  for (const row of rows) row.share = total > 0 ? Math.round((row.weight / total) * 10_000) / 10_000 : 0;
  return rows;
}
