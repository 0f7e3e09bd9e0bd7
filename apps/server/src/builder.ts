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
import type { Context } from './context.ts';

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
    }),
    // Refusals are expected errors: GraphQLErrors pass yoga's masking with their message.
    unauthorizedError: (_parent, context, info) =>
      context.caller
        ? new GraphQLError(`a ${context.caller.kind === 'VIEW' ? 'view token' : `${context.caller.kind.toLowerCase().replace('_', '-')} API key`} may not use ${info.parentType.name}.${info.fieldName}`, {
            extensions: { code: 'FORBIDDEN' },
          })
        : new GraphQLError('an API key is required: send Authorization: Bearer <key>', { extensions: { code: 'UNAUTHENTICATED' } }),
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
  errors: { defaultTypes: [] },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
  },
});
