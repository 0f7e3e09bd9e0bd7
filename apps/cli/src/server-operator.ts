// The operator through a running server's admin fields (GraphQL over HTTP with an administrator
// key): for a PGlite folder the server holds, the key it left beside the folder for this machine.
// A refusal (WorkspaceError, ApiKeyError, a GraphQL error) becomes a one-line command error.
import type { ApiKeySummary, DeletedWorkspace, WorkspaceSummary } from '@pulso/core';
import { CommandError } from './command-error.ts';
import type { Operator } from './operator.ts';

const WORKSPACE =
  'id slug name createdAt customers: customerCount interactions: interactionCount activeApiKeys: activeApiKeyCount';
const KEY = 'id name kind prefix allowedOrigins createdAt lastUsedAt expiresAt revokedAt';
const REFUSAL = '__typename ... on UserError { message }';

type Raw = Record<string, unknown>;

function workspace(raw: Raw): WorkspaceSummary {
  return { ...(raw as unknown as WorkspaceSummary), createdAt: new Date(raw.createdAt as string) };
}

function key(raw: Raw): ApiKeySummary {
  const date = (value: unknown) => (value ? new Date(value as string) : null);
  return {
    ...(raw as unknown as ApiKeySummary),
    createdAt: new Date(raw.createdAt as string),
    lastUsedAt: date(raw.lastUsedAt),
    expiresAt: date(raw.expiresAt),
    revokedAt: date(raw.revokedAt),
  };
}

export function serverOperator(url: string, adminKey: string, where = `the server at ${url}`): Operator {
  async function call(query: string, variables: Record<string, unknown> = {}): Promise<Raw> {
    let response: Response;
    try {
      response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      throw new CommandError(`cannot reach ${where}: ${(error as Error).cause ?? (error as Error).message}`);
    }
    const body = (await response.json().catch(() => ({}))) as { data?: Raw; errors?: { message: string }[] };
    if (body.errors?.length) throw new CommandError(`${where} refused: ${body.errors[0]!.message}`);
    if (!body.data) throw new CommandError(`${where} answered HTTP ${response.status} without data`);
    return body.data;
  }

  /** The single root field's result, or its typed refusal as an error. */
  async function mutate(field: string, query: string, variables: Record<string, unknown>): Promise<Raw> {
    const result = (await call(query, variables))[field] as Raw;
    if (String(result.__typename).endsWith('Error')) throw new CommandError(String(result.message));
    return result;
  }

  return {
    where,
    serverUrl: url,
    createWorkspace: async (input) => {
      const created = await mutate(
        'adminCreateWorkspace',
        `mutation ($name: String!, $slug: String) { adminCreateWorkspace(name: $name, slug: $slug) {
          ... on CreatedWorkspace { secretKey publishableKey workspace { slug name } } ${REFUSAL} } }`,
        { name: input.name, slug: input.slug },
      );
      const { slug, name } = created.workspace as { slug: string; name: string };
      return { slug, name, secretKey: created.secretKey as string, publishableKey: created.publishableKey as string };
    },
    listWorkspaces: async () =>
      ((await call(`{ adminWorkspaces { ${WORKSPACE} } }`)).adminWorkspaces as Raw[]).map(workspace),
    renameWorkspace: async (slug, change) =>
      workspace(
        await mutate(
          'adminRenameWorkspace',
          `mutation ($workspace: String!, $name: String, $slug: String) { adminRenameWorkspace(workspace: $workspace, name: $name, slug: $slug) {
            ... on AdminWorkspace { ${WORKSPACE} } ${REFUSAL} } }`,
          { workspace: slug, name: change.name, slug: change.slug },
        ),
      ),
    deleteWorkspace: async (slug) =>
      (await mutate(
        'adminDeleteWorkspace',
        `mutation ($workspace: String!) { adminDeleteWorkspace(workspace: $workspace) {
          ... on DeletedWorkspace { slug name customers: customerCount interactions: interactionCount apiKeys: apiKeyCount } ${REFUSAL} } }`,
        { workspace: slug },
      )) as unknown as DeletedWorkspace,
    createKey: async (slug, input) => {
      const created = await mutate(
        'adminCreateApiKey',
        `mutation ($workspace: String!, $name: String!, $kind: ApiKeyKind!, $origins: [String!], $expiresAt: DateTime) {
          adminCreateApiKey(workspace: $workspace, name: $name, kind: $kind, allowedOrigins: $origins, expiresAt: $expiresAt) {
            ... on CreatedApiKey { key apiKey { id } } ${REFUSAL} } }`,
        {
          workspace: slug,
          name: input.name,
          kind: input.kind,
          origins: input.allowedOrigins,
          expiresAt: input.expiresAt?.toISOString(),
        },
      );
      return { key: created.key as string, id: (created.apiKey as { id: string }).id };
    },
    listKeys: async (slug, includeRevoked) =>
      (
        (
          await call(
            `query ($workspace: String!, $all: Boolean) { adminApiKeys(workspace: $workspace, includeRevoked: $all) { ${KEY} } }`,
            { workspace: slug, all: includeRevoked },
          )
        ).adminApiKeys as Raw[]
      ).map(key),
    revokeKey: async (slug, id) =>
      key(
        await mutate(
          'adminRevokeApiKey',
          `mutation ($workspace: String!, $id: ID!) { adminRevokeApiKey(workspace: $workspace, id: $id) { ... on ApiKey { ${KEY} } ${REFUSAL} } }`,
          { workspace: slug, id },
        ),
      ),
    close: async () => {},
  };
}
