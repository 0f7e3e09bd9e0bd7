// `pulso key create | list | revoke`: a workspace's API keys; a new key is printed once. Issuing a
// secret key is how an operator recovers a workspace whose keys were lost.
import { parseArgs } from 'node:util';
import type { NewApiKey } from '@pulso/core';
import { pulsoCommand } from '@pulso/database';
import { CommandError } from './command-error.ts';
import type { Command } from './command-context.ts';
import { openOperator } from './open-operator.ts';
import { instant, onePositional, table } from './options.ts';

export const KEY_USAGE = `  key create --workspace SLUG --kind secret|read-only|publishable [--name NAME]
             [--origin URL]... (publishable keys: origins allowed; default any)
             [--expires DATE]  a date alone is 00:00 UTC of that day, or an instant with its
             zone (2027-01-31T18:00:00+01:00); prints the key, once
  key list --workspace SLUG [--all] [--json]   --all: revoked keys too
  key revoke --workspace SLUG KEY_ID`;

const KINDS: Record<string, NewApiKey['kind']> = {
  secret: 'SECRET',
  'read-only': 'READ_ONLY',
  publishable: 'PUBLISHABLE',
};

function workspaceOf(value: string | undefined): string {
  if (!value)
    throw new CommandError(`name the workspace: --workspace SLUG (see: ${pulsoCommand('workspace list')})`, 2);
  return value;
}

export const keyCommand: Command = async ([action, ...args], { io, env }) => {
  switch (action) {
    case 'create': {
      const { values, positionals } = parseArgs({
        args,
        options: {
          workspace: { type: 'string' },
          kind: { type: 'string' },
          name: { type: 'string' },
          origin: { type: 'string', multiple: true },
          expires: { type: 'string' },
        },
        allowPositionals: true,
      });
      if (positionals.length) throw new CommandError(`unexpected ${positionals.join(' ')}`, 2);
      const slug = workspaceOf(values.workspace);
      const kind = values.kind ? KINDS[values.kind] : undefined;
      if (!kind)
        throw new CommandError(
          `--kind must be secret, read-only or publishable${values.kind ? `, got "${values.kind}"` : ''}`,
          2,
        );
      const expiresAt = values.expires ? instant(values.expires, 'expires') : null;
      const operator = await openOperator(env);
      try {
        const created = await operator.createKey(slug, {
          name: values.name ?? `${values.kind} key (pulso command, ${new Date().toISOString().slice(0, 10)})`,
          kind,
          allowedOrigins: values.origin ?? [],
          expiresAt,
        });
        io.out(`Created a ${values.kind} key for ${slug} (id ${created.id}), shown this once:`);
        io.out(`  ${created.key}`);
        return 0;
      } finally {
        await operator.close();
      }
    }
    case 'list': {
      const { values } = parseArgs({
        args,
        options: {
          workspace: { type: 'string' },
          all: { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
        },
      });
      const slug = workspaceOf(values.workspace);
      const operator = await openOperator(env);
      try {
        const keys = await operator.listKeys(slug, values.all);
        if (values.json) io.out(JSON.stringify(keys, null, 2));
        else
          for (const line of table(
            ['ID', 'KIND', 'PREFIX', 'NAME', 'CREATED', 'STATE'],
            keys.map((k) => [
              k.id,
              k.kind.toLowerCase().replace('_', '-'),
              `${k.prefix}…`,
              k.name,
              k.createdAt.toISOString().slice(0, 10),
              k.revokedAt
                ? `revoked ${k.revokedAt.toISOString().slice(0, 10)}`
                : k.expiresAt && k.expiresAt.getTime() <= Date.now()
                  ? 'expired'
                  : k.expiresAt
                    ? `expires ${k.expiresAt.toISOString().slice(0, 10)}`
                    : 'active',
            ]),
          ))
            io.out(line);
        return 0;
      } finally {
        await operator.close();
      }
    }
    case 'revoke': {
      const { values, positionals } = parseArgs({
        args,
        options: { workspace: { type: 'string' } },
        allowPositionals: true,
      });
      const slug = workspaceOf(values.workspace);
      const id = onePositional(positionals, 'key (its id, from key list)');
      const operator = await openOperator(env);
      try {
        const revoked = await operator.revokeKey(slug, id);
        io.out(`Revoked ${revoked.prefix}… (${revoked.name}) of ${slug}: refused within 5 seconds.`);
        return 0;
      } finally {
        await operator.close();
      }
    }
    default:
      throw new CommandError(
        action ? `unknown key action "${action}": create, list or revoke` : 'key what? create, list or revoke',
        2,
      );
  }
};
