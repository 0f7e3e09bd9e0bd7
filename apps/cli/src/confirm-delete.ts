// Deleting a workspace is for good: the command says what goes and the operator types the slug,
// or passes --yes (scripts; without a terminal, nothing is deleted without it).
import type { WorkspaceSummary } from '@pulso/core';
import { CommandError } from './command-error.ts';
import type { Io } from './io.ts';

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

export function contents(w: { customers: number; interactions: number }, keys: number, keyWord = 'API key'): string {
  return `${count(w.customers, 'customer', 'customers')}, ${count(w.interactions, 'interaction', 'interactions')} and ${count(keys, keyWord, `${keyWord}s`)}`;
}

export async function confirmDelete(io: Io, workspace: WorkspaceSummary, yes: boolean): Promise<void> {
  io.note(
    `This deletes workspace ${workspace.slug} (${workspace.name}) for good: ${contents(workspace, workspace.activeApiKeys, 'active API key')}, with its scores, history, webhooks and model.`,
  );
  if (yes) return;
  const answer = await io.ask(`Type ${workspace.slug} to delete it: `);
  if (answer === null) throw new CommandError('not deleted: pass --yes to delete without a terminal to confirm in', 2);
  if (answer.trim() !== workspace.slug) throw new CommandError('not deleted: the answer was not the slug');
}
