// The `totalCount` of the Prisma-backed connections, described. The prisma plugin adds a
// `totalCount` itself when a connection is given a counter, but without a description; this field
// replaces it, keeping the plugin's marker so that a selection of `totalCount` alone runs only the
// count. Use: `fields: (c) => ({ totalCount: c.int(totalCountField('keys match')) })`.
export function totalCountField(counted: string) {
  return {
    description: `How many ${counted}, in all pages.`,
    extensions: { pothosPrismaTotalCount: true },
    resolve: (parent: object) => (parent as { totalCount: () => Promise<number> }).totalCount(),
  };
}
