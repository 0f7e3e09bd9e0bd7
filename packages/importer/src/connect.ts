// Chooses where an import writes, as the `pulso` command chooses where it acts:
// - a server URL given (--server, or PULSO_SERVER_URL): through that server's API, with a workspace
//   secret key (--key, or PULSO_API_KEY), or with an administrator key (PULSO_ADMIN_KEY);
// - DATABASE_URL: that PostgreSQL database, opened directly (any number of processes share it);
// - else the PGlite folder PULSO_DATA_DIR: opened directly when no server holds it; when one does,
//   through that server, with the administrator key it left beside the folder for this start
//   (readLocalAdmin in @pulso/database).
// An administrator key reads no workspace's data: with one, the import issues itself a key of the
// workspace for this run (secret, or read-only for a dry run; named "pulso import", expiring in a
// day) and revokes it when it ends (Ctrl-C and SIGTERM included). A server restarted meanwhile
// holds a new administrator key: the one beside the folder is read again for the revoke; failing
// that, the key left is named on stderr with the command that revokes it.
import {
  DataFolderInUseError,
  type Database,
  DatabaseUnreachableError,
  databaseTargetFromEnv,
  describeTarget,
  openDatabase,
  type PrismaClient,
  readLocalAdmin,
} from '@pulso/database';
import { directSink } from './direct-sink.ts';
import { graphqlClient, ServerError } from './graphql-client.ts';
import { serverSink } from './server-sink.ts';
import type { ImportSink } from './sink.ts';

/** Refused before anything was read: exit 2 (usage) or 1. */
export class ConnectError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** What DATABASE_URL must look like; anything else was read as a host name ("getaddrinfo ENOTFOUND base"). */
export const POSTGRES_URL = /^postgres(ql)?:\/\//i;
export const NOT_A_POSTGRES_URL =
  'DATABASE_URL is not a postgres:// URL: set it like postgres://user:password@host:5432/pulso, or unset it to use the embedded database (PULSO_DATA_DIR)';

export interface ConnectOptions {
  env: NodeJS.ProcessEnv;
  /** --server */
  server?: string;
  /** --key: a workspace's secret key (read-only is enough for a dry run). */
  key?: string;
  /** --workspace */
  workspace?: string;
  dryRun: boolean;
  signal?: AbortSignal;
  onWait?: (message: string) => void;
  /** Told what the operator must know at the end (a temporary key that could not be revoked). */
  onNote?: (line: string) => void;
}

export async function resolveWorkspace(
  prisma: PrismaClient,
  slug: string | undefined,
): Promise<{ id: string; slug: string }> {
  if (slug) {
    const found = await prisma.workspace.findUnique({ where: { slug }, select: { id: true, slug: true } });
    if (!found) throw new ConnectError(`no workspace "${slug}" in this database`);
    return found;
  }
  const all = await prisma.workspace.findMany({ select: { id: true, slug: true }, take: 2 });
  if (all.length !== 1)
    throw new ConnectError(
      all.length
        ? 'this database has several workspaces: name one with --workspace <slug>'
        : 'this database has no workspace yet: create one with `npm run pulso -- workspace create --name "Acme"`',
      all.length ? 2 : 1,
    );
  return all[0]!;
}

export async function connect(options: ConnectOptions): Promise<ImportSink> {
  const { env } = options;
  const url = (options.server ?? env.PULSO_SERVER_URL)?.trim().replace(/\/+$/, '');
  const key = (options.key ?? env.PULSO_API_KEY)?.trim();
  if (url) {
    if (key) return withKey(url, key, options, `the server at ${url}`);
    const adminKey = env.PULSO_ADMIN_KEY?.trim();
    if (!adminKey)
      throw new ConnectError(
        `importing through the server at ${url} needs a workspace's secret key (--key or PULSO_API_KEY), or PULSO_ADMIN_KEY`,
        2,
      );
    return withAdminKey({ url, key: adminKey }, options, `the server at ${url}`);
  }
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl && !POSTGRES_URL.test(databaseUrl)) throw new ConnectError(NOT_A_POSTGRES_URL);
  const target = databaseTargetFromEnv(env);
  let database: Database;
  try {
    database = await openDatabase(target);
  } catch (error) {
    if (error instanceof DatabaseUnreachableError) throw new ConnectError(error.message);
    if (!(error instanceof DataFolderInUseError)) throw error;
    const admin = readLocalAdmin(error.dataDir);
    if (!admin || admin.pid !== error.holderPid)
      throw new ConnectError(
        `the data folder ${error.dataDir} is held by process ${error.holderPid}, which left no way in: if it is a server still starting, retry once it prints its URL; otherwise stop it first`,
      );
    const where = `the server holding ${error.dataDir} (${admin.url}, pid ${admin.pid})`;
    const dataDir = error.dataDir;
    return key
      ? withKey(admin.url, key, options, where)
      : withAdminKey(admin, options, where, () => readLocalAdmin(dataDir));
  }
  try {
    await database.migrate();
    const workspace = await resolveWorkspace(database.prisma, options.workspace);
    return directSink(database, workspace, describeTarget(target), options.signal);
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}

/** Through a server with a workspace key: its workspace is the key's. */
async function withKey(url: string, key: string, options: ConnectOptions, where: string): Promise<ImportSink> {
  const client = graphqlClient({ url, key, signal: options.signal, onWait: options.onWait });
  const { workspace } = await client
    .request<{ workspace: { slug: string } }>('{ workspace { id slug } }', {}, 1)
    .catch((error: unknown) => {
      throw error instanceof ServerError ? new ConnectError(error.message) : error;
    });
  if (options.workspace && options.workspace !== workspace.slug)
    throw new ConnectError(`--workspace ${options.workspace}: the key given is of workspace "${workspace.slug}"`);
  return serverSink(client, workspace, where);
}

/** Through a server with an administrator key: a key of the workspace is issued for this run, and revoked after. */
async function withAdminKey(
  server: { url: string; key: string },
  options: ConnectOptions,
  where: string,
  /** The administrator key where it was found, read again (a server restarted since has another). */
  reread?: () => { url: string; key: string } | null,
): Promise<ImportSink> {
  const { url } = server;
  const admin = graphqlClient({ url, key: server.key, signal: options.signal, onWait: options.onWait });
  const call = <T>(query: string, variables: Record<string, unknown> = {}) =>
    admin.request<T>(query, variables, 1).catch((error: unknown) => {
      throw error instanceof ServerError ? new ConnectError(error.message) : error;
    });
  let slug = options.workspace;
  if (!slug) {
    const { adminWorkspaces } = await call<{ adminWorkspaces: { slug: string }[] }>('{ adminWorkspaces { id slug } }');
    if (adminWorkspaces.length !== 1)
      throw new ConnectError(
        adminWorkspaces.length
          ? 'this server has several workspaces: name one with --workspace <slug>'
          : 'this server has no workspace yet: create one with `npm run pulso -- workspace create --name "Acme"`',
        adminWorkspaces.length ? 2 : 1,
      );
    slug = adminWorkspaces[0]!.slug;
  }
  const expiresAt = new Date(Date.now() + 86_400_000);
  const { adminCreateApiKey: issued } = await call<{
    adminCreateApiKey: { __typename: string; message?: string; key?: string; apiKey?: { id: string } };
  }>(
    `mutation ($workspace: String!, $kind: ApiKeyKind!, $expiresAt: DateTime) {
      adminCreateApiKey(workspace: $workspace, name: "pulso import", kind: $kind, expiresAt: $expiresAt) {
        __typename ... on CreatedApiKey { key apiKey { id } } ... on UserError { message } } }`,
    {
      workspace: slug,
      kind: options.dryRun ? 'READ_ONLY' : 'SECRET',
      expiresAt: expiresAt.toISOString(),
    },
  );
  if (!issued.key) throw new ConnectError(`${where} refused: ${issued.message ?? issued.__typename}`);
  const id = issued.apiKey!.id;
  const workspace = slug;
  const temporaryKey = { id, workspace, expiresAt };
  /** Revokes the key with this administrator key; the reason it could not, or null. */
  const revokeWith = async (with_: { url: string; key: string }): Promise<string | null> => {
    // Not stopped by the import's signal (Ctrl-C, SIGTERM): the revoke is what runs after it.
    const client = graphqlClient({ url: with_.url, key: with_.key, retryPausesMs: [500, 1_000, 2_000] });
    try {
      const { adminRevokeApiKey: answer } = await client.request<{
        adminRevokeApiKey: { __typename: string; message?: string };
      }>(
        `mutation ($workspace: String!, $id: ID!) { adminRevokeApiKey(workspace: $workspace, id: $id) {
          __typename ... on UserError { message } } }`,
        { workspace, id },
        1,
      );
      return answer.__typename.endsWith('Error') ? (answer.message ?? answer.__typename) : null;
    } catch (error) {
      return (error as Error).message;
    }
  };
  let sink: ImportSink;
  try {
    sink = await withKey(url, issued.key, { ...options, workspace: slug }, where);
  } catch (error) {
    await revokeWith(server);
    throw error;
  }
  let revoked = false;
  return {
    ...sink,
    temporaryKey,
    close: async () => {
      await sink.close();
      if (revoked) return;
      revoked = true;
      let failure = await revokeWith(server);
      const now = failure === null ? null : reread?.();
      if (failure !== null && now && (now.key !== server.key || now.url !== server.url))
        failure = await revokeWith(now);
      if (failure !== null) options.onNote?.(keyLeftNote(temporaryKey, failure));
    },
  };
}

/** What to say of the run's key when it could not be revoked: which one, until when, how to revoke it. */
export function keyLeftNote(key: { id: string; workspace: string; expiresAt: Date }, why?: string): string {
  return `import: the temporary key "pulso import" (id ${key.id}) of workspace ${key.workspace} is left active until it expires at ${key.expiresAt.toISOString()}${why ? ` (the revoke failed: ${why})` : ''}: revoke it with \`npm run pulso -- key revoke --workspace ${key.workspace} ${key.id}\``;
}
