// `pulso workspace create | list | rename | delete`: a company's workspace, its first keys printed
// once; deleting names what goes and asks first.
import { parseArgs } from 'node:util';
import { pulsoCommand } from '@pulso/database';
import { targetFromEnv } from './open-database.ts';
import { CommandError } from './command-error.ts';
import type { Command } from './command-context.ts';
import { confirmDelete, contents } from './confirm-delete.ts';
import { openOperator } from './open-operator.ts';
import { onePositional, table } from './options.ts';
import type { CreatedWorkspaceKeys, Operator } from './operator.ts';

export const WORKSPACE_USAGE = `  workspace create --name NAME [--slug SLUG]
                       a workspace with the default scoring model; prints its first secret and
                       publishable keys, once
  workspace list [--json]
  workspace rename SLUG [--name NAME] [--slug NEW_SLUG]
  workspace delete SLUG [--yes]   says what it removes and asks (--yes: do not ask)`;

const DEFAULT_SERVER_URL = 'http://127.0.0.1:4000';

/**
 * Where the server answers, seen from this machine, when the command did not go through it: the
 * address the server would take from the same environment (PULSO_SERVER_URL, else PORT and HOST,
 * as apps/server's config reads them), or undefined when nothing says (then it is the default).
 */
export function serverUrlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const named = env.PULSO_SERVER_URL?.trim();
  if (named) return named.replace(/\/+$/, '');
  const portText = env.PORT?.trim();
  const hostText = env.HOST?.trim();
  if (!portText && !hostText) return undefined;
  const port = portText ? Number(portText) : 4000;
  // PORT=0 asks for any free port: only the server's own banner knows which.
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  // A wildcard address is not one to connect to: the server is reached on the loopback.
  let host = !hostText || hostText === '0.0.0.0' ? '127.0.0.1' : hostText === '::' ? '::1' : hostText;
  if (host.includes(':') && !host.startsWith('[')) host = `[${host}]`;
  return `http://${host}:${port}`;
}

export function printCreated(
  out: (line: string) => void,
  created: CreatedWorkspaceKeys,
  serverUrl: string | undefined,
  env: NodeJS.ProcessEnv = {},
) {
  const known = serverUrl ?? serverUrlFromEnv(env);
  const url = known ?? DEFAULT_SERVER_URL;
  out(`Created workspace ${created.slug} (${created.name}) with the default scoring model.`);
  out('');
  out('Its keys, shown this once (only their hashes are stored): keep them now.');
  out(`  secret:      ${created.secretKey}   (your backend only)`);
  out(`  publishable: ${created.publishableKey}   (public pages: micro-ratings only, from any site)`);
  // Said where the key is handed over: a publishable key sits in public pages, and without allowed
  // origins whoever copies it can rate from their own site.
  out(
    `  Limit ratings to your site: ${pulsoCommand(`key create --workspace ${created.slug} --kind publishable --origin https://your.site`, targetFromEnv(env), env)}`,
  );
  out('');
  out(
    known
      ? 'Query with it:'
      : `Query with it (${DEFAULT_SERVER_URL} is the server's default address: put yours if it listens elsewhere):`,
  );
  out(
    `  curl -s ${url}/graphql -H "Authorization: Bearer ${created.secretKey}" -H 'content-type: application/json' -d '{"query":"{ workspace { name customerCount } }"}'`,
  );
  // With the same database setting as the command just typed (PULSO_DATA_DIR, DATABASE_URL): without
  // it, the hint ran against the default folder, another database, and could issue a key there.
  out(`Lost a key? ${pulsoCommand(`key create --workspace ${created.slug} --kind secret`, targetFromEnv(env), env)}`);
}

async function withOperator(
  env: NodeJS.ProcessEnv,
  run: (operator: Operator) => Promise<number>,
  options: { mayCreate?: boolean } = {},
): Promise<number> {
  const operator = await openOperator(env, options);
  try {
    return await run(operator);
  } finally {
    await operator.close();
  }
}

export const workspaceCommand: Command = async ([action, ...args], { io, env }) => {
  switch (action) {
    case 'create': {
      const { values, positionals } = parseArgs({
        args,
        options: { name: { type: 'string' }, slug: { type: 'string' } },
        allowPositionals: true,
      });
      if (positionals.length)
        throw new CommandError(`unexpected ${positionals.join(' ')}: give the name with --name "Acme"`, 2);
      if (!values.name) throw new CommandError('give the company\'s name: --name "Acme"', 2);
      const name = values.name;
      return withOperator(
        env,
        async (operator) => {
          printCreated(io.out, await operator.createWorkspace({ name, slug: values.slug }), operator.serverUrl, env);
          return 0;
        },
        { mayCreate: true },
      );
    }
    case 'list': {
      const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
      return withOperator(env, async (operator) => {
        const all = await operator.listWorkspaces();
        if (values.json) io.out(JSON.stringify(all, null, 2));
        else if (all.length === 0)
          io.note(`No workspace yet in ${operator.where}: ${pulsoCommand('workspace create --name "Acme"')}`);
        else
          for (const line of table(
            ['SLUG', 'NAME', 'CUSTOMERS', 'INTERACTIONS', 'ACTIVE KEYS', 'CREATED'],
            all.map((w) => [
              w.slug,
              w.name,
              String(w.customers),
              String(w.interactions),
              String(w.activeApiKeys),
              w.createdAt.toISOString(),
            ]),
          ))
            io.out(line);
        return 0;
      });
    }
    case 'rename': {
      const { values, positionals } = parseArgs({
        args,
        options: { name: { type: 'string' }, slug: { type: 'string' } },
        allowPositionals: true,
      });
      const slug = onePositional(positionals, 'workspace (its slug)');
      if (values.name === undefined && values.slug === undefined)
        throw new CommandError('give a new --name, a new --slug, or both', 2);
      return withOperator(env, async (operator) => {
        const renamed = await operator.renameWorkspace(slug, { name: values.name, slug: values.slug });
        io.out(`Workspace ${slug} is now ${renamed.slug} (${renamed.name}).`);
        return 0;
      });
    }
    case 'delete': {
      const { values, positionals } = parseArgs({
        args,
        options: { yes: { type: 'boolean', default: false } },
        allowPositionals: true,
      });
      const slug = onePositional(positionals, 'workspace (its slug)');
      return withOperator(env, async (operator) => {
        await deleteWithConfirmation(operator, io, slug, values.yes);
        return 0;
      });
    }
    default:
      throw new CommandError(
        action
          ? `unknown workspace action "${action}": create, list, rename or delete`
          : 'workspace what? create, list, rename or delete',
        2,
      );
  }
};

export async function deleteWithConfirmation(
  operator: Operator,
  io: { note(line: string): void; out(line: string): void; ask(q: string): Promise<string | null> },
  slug: string,
  yes: boolean,
): Promise<void> {
  const workspace = (await operator.listWorkspaces()).find((w) => w.slug === slug);
  if (!workspace) throw new CommandError(`workspace: no workspace "${slug}"`);
  await confirmDelete(io, workspace, yes);
  const deleted = await operator.deleteWorkspace(slug);
  io.out(`Deleted workspace ${deleted.slug} (${deleted.name}): ${contents(deleted, deleted.apiKeys)}.`);
}
