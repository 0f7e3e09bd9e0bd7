// Sets up the schema builder: plugins, scalars, context and the generated Prisma types.
// The types themselves are defined in schema/, one file per domain.
import SchemaBuilder from '@pothos/core';
import { GraphQLError } from 'graphql';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type PrismaTypes from '@pulso/database/pothos-types';
import { getDatamodel } from '@pulso/database/pothos-types';
import type { CallerContext, Context } from './context.ts';
import { decodeNodeGlobalID } from './global-ids.ts';
import { UNAUTHENTICATED_HTTP } from './auth/api-key-callers.ts';

/** The most ids `nodes` takes in one call (GitHub's limit for its own `nodes`). */
export const MAX_NODE_IDS = 100;

const capitalize = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    ID: { Input: string; Output: string };
  };
  AuthScopes: {
    /** Secret and read-only keys. */
    read: boolean;
    /** Secret keys. */
    write: boolean;
    /** Secret and publishable keys: may submit micro-ratings. */
    rate: boolean;
    /** A view token for the customer with this (database) id. */
    viewCustomer: string;
    /** A view token for the at-risk list. */
    viewAtRisk: boolean;
    /** The instance administrator key (PULSO_ADMIN_KEY): the admin fields. */
    admin: boolean;
  };
  // Every scope needs a caller: a field opened with t.withAuth(scopes) gets it without `!`.
  AuthContexts: {
    read: CallerContext;
    write: CallerContext;
    rate: CallerContext;
    viewCustomer: CallerContext;
    viewAtRisk: CallerContext;
    admin: CallerContext;
  };
}>({
  // Errors before Prisma, so prisma fields can declare `errors` too (the plugin's README).
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // Check a subscription's scopes when it starts, not only as each event is delivered.
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      read: ctx.caller?.kind === 'SECRET' || ctx.caller?.kind === 'READ_ONLY',
      write: ctx.caller?.kind === 'SECRET',
      rate: ctx.caller?.kind === 'SECRET' || ctx.caller?.kind === 'PUBLISHABLE',
      viewCustomer: (customerId) => ctx.caller?.view?.kind === 'customer' && ctx.caller.view.customerId === customerId,
      viewAtRisk: ctx.caller?.view?.kind === 'at_risk',
      admin: ctx.caller?.kind === 'ADMIN',
    }),
    // Refusals are expected errors: GraphQLErrors pass yoga's masking with their message.
    unauthorizedError: (_parent, context, info) => {
      const field = `${info.parentType.name}.${info.fieldName}`;
      if (!context.caller)
        return new GraphQLError('an API key is required: send Authorization: Bearer <key>', {
          extensions: { code: 'UNAUTHENTICATED', http: UNAUTHENTICATED_HTTP },
        });
      if (info.fieldName.startsWith('admin'))
        return new GraphQLError(`${field} needs the instance administrator key (PULSO_ADMIN_KEY, pulso_ak_...)`, {
          extensions: { code: 'FORBIDDEN' },
        });
      const who =
        context.caller.kind === 'ADMIN'
          ? "the administrator key (it manages workspaces; use a workspace's own key)"
          : context.caller.kind === 'VIEW'
            ? 'a view token'
            : `a ${context.caller.kind.toLowerCase().replace('_', '-')} API key`;
      return new GraphQLError(`${who} may not use ${field}`, { extensions: { code: 'FORBIDDEN' } });
    },
  },
  prisma: {
    // The client comes from the context: the server opens its database at start (PGlite or
    // PostgreSQL, chosen by configuration), after this module has been loaded.
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    defaultConnectionSize: 20,
    maxConnectionSize: 100,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
  },
  // Expected failures (validation of a model change, a key that cannot be revoked...) are typed
  // results listed per field; anything else stays a GraphQL error and is masked by yoga.
  // The unions get designed names, not the builder's `MutationRecordInteractionResult`: they end up
  // in every client's generated types. A mutation's is `<Mutation>Payload` (Relay's and GitHub's
  // convention), a query's `<Field>Result`; schema-names.test.ts refuses any builder default.
  errors: {
    defaultTypes: [],
    defaultUnionOptions: {
      name: ({ parentTypeName, fieldName }) =>
        `${capitalize(fieldName)}${parentTypeName === 'Mutation' ? 'Payload' : 'Result'}`,
    },
    defaultResultOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Success` },
  },
  // Descriptions of what the Relay plugin generates: the Node interface, node/nodes, PageInfo and
  // every connection's edges, cursors and paging arguments (all connections page 20 by default, 100 at most).
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // node/nodes: an id that names no Customer or Interaction answers null like an unknown one,
    // instead of an uncoded error that also spells out the schema's type names.
    decodeGlobalID: decodeNodeGlobalID,
    nodeTypeOptions: {
      description:
        'A record that can be fetched again by its global id with `node` or `nodes` (Customer, Interaction).',
    },
    idFieldOptions: { description: 'Global id (Relay), opaque: pass it to `node` or `nodes`.' },
    // Scoped like every other read, so a publishable key or view token is refused FORBIDDEN
    // whatever id it sends (test/publishable-scope.test.ts); the loaders refuse them too.
    nodeQueryOptions: {
      authScopes: { read: true },
      description:
        'Any record by its global id; null when no record of the workspace has it. Secret and read-only keys only (view tokens and publishable keys are refused).',
      args: { id: { description: 'A global id, as returned in an `id` field.' } },
    },
    nodesQueryOptions: {
      authScopes: { read: true },
      description: `Several records by global id (at most ${MAX_NODE_IDS}), in the order asked, null for each unknown id. Secret and read-only keys only.`,
      args: { ids: { description: `Global ids, as returned in \`id\` fields: ${MAX_NODE_IDS} at most.` } },
      // Unbounded, 10,000 ids with their interactions read for 10 s and answered 18.6 MB: capped as
      // GitHub caps its own `nodes`, and each id counted in the operation's cost (plugins/cost-limit.ts).
      resolve: (_root, args, _context, _info, resolveNodes) => {
        if (args.ids.length > MAX_NODE_IDS) {
          throw new GraphQLError(
            `nodes takes at most ${MAX_NODE_IDS} ids, got ${args.ids.length}: ask in pages of ${MAX_NODE_IDS}`,
            {
              extensions: { code: 'BAD_USER_INPUT', argument: 'ids', max: MAX_NODE_IDS },
            },
          );
        }
        return resolveNodes(args.ids);
      },
    },
    pageInfoTypeOptions: {
      description: 'Where a page sits in the whole list: pass its cursors back to page forwards or backwards.',
    },
    hasNextPageFieldOptions: { description: 'True when more items follow this page (ask with `after: endCursor`).' },
    hasPreviousPageFieldOptions: { description: 'True when items precede this page (ask with `before: startCursor`).' },
    startCursorFieldOptions: { description: "The first item's cursor; null on an empty page." },
    endCursorFieldOptions: { description: "The last item's cursor; null on an empty page." },
    pageInfoFieldOptions: { description: 'Cursors and whether more pages exist, either way.' },
    edgesFieldOptions: { description: 'The items of this page, each with its cursor.' },
    // GitHub's shortcut: the items without their edges, for a client that needs no cursor per item.
    nodesOnConnection: { description: 'The items of this page, without cursors (the same as `edges { node }`).' },
    nodeFieldOptions: { description: 'The item.' },
    cursorFieldOptions: {
      description: 'Opaque position of this item: pass it as `after` or `before` to page from here.',
    },
    firstArgOptions: { description: 'Page forwards: at most this many items (default 20, at most 100).' },
    afterArgOptions: { description: 'Start after this cursor (an `endCursor` or edge `cursor`).' },
    lastArgOptions: { description: 'Page backwards: at most this many items before `before` (at most 100).' },
    beforeArgOptions: { description: 'End before this cursor (a `startCursor` or edge `cursor`).' },
  },
});
