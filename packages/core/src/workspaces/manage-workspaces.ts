// What an operator does with workspaces, for the `pulso` command and the administrator's GraphQL
// fields alike: add one for a company (the default scoring model and its first two keys, in one
// transaction), list them with what they hold, rename them, and delete one with everything in it,
// saying what went. A workspace is named by its slug, the short name operators type.
import type { PrismaClient } from '@pulso/database';
import type { Tx } from '../transaction.ts';
import { createWorkspace, type CreatedWorkspace } from './create-workspace.ts';
import { WorkspaceError } from './workspace-error.ts';

export const MAX_WORKSPACE_NAME = 100;
export const MAX_WORKSPACE_SLUG = 48;
const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
// The demo page at `/` shows the customers of the workspace called `demo` to anyone, and
// `demo-seeding` is the demo while it is written: a company's workspace never takes either.
const RESERVED_SLUGS = new Set(['demo', 'demo-seeding']);

export interface WorkspaceSummary {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
  customers: number;
  interactions: number;
  /** Keys neither revoked nor expired. */
  activeApiKeys: number;
}

/** What deleting a workspace removed (keys counted whether active or not). */
export interface DeletedWorkspace {
  slug: string;
  name: string;
  customers: number;
  interactions: number;
  apiKeys: number;
}

/** A slug from a company's name: `Ação & Cia` → `acao-cia`; empty when nothing Latin is left. */
export function slugFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_WORKSPACE_SLUG)
    .replace(/-+$/, '');
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > MAX_WORKSPACE_NAME)
    throw new WorkspaceError('name', 'MISSING_VALUE', `a name of 1 to ${MAX_WORKSPACE_NAME} characters is needed`);
  return trimmed;
}

function checkSlug(slug: string): string {
  if (slug.length > MAX_WORKSPACE_SLUG || !SLUG.test(slug))
    throw new WorkspaceError(
      'slug',
      'INVALID_SLUG',
      `"${slug}" is not a slug: 1 to ${MAX_WORKSPACE_SLUG} lowercase letters, digits and dashes, starting and ending with a letter or digit`,
    );
  if (RESERVED_SLUGS.has(slug))
    throw new WorkspaceError('slug', 'INVALID_SLUG', `"${slug}" is kept for the demo workspace: choose another slug`);
  return slug;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002';
}

const taken = (slug: string) =>
  new WorkspaceError('slug', 'SLUG_TAKEN', `a workspace "${slug}" exists already: choose another slug`);

/** The workspace with this slug, or NOT_FOUND. */
export async function findWorkspace(
  prisma: PrismaClient | Tx,
  slug: string,
): Promise<{ id: string; slug: string; name: string }> {
  const found = await prisma.workspace.findUnique({ where: { slug }, select: { id: true, slug: true, name: true } });
  if (!found) throw new WorkspaceError('workspace', 'NOT_FOUND', `no workspace "${slug}"`);
  return found;
}

/**
 * A new workspace for a company, its slug taken from its name unless given, with the default
 * scoring model and a secret and a publishable key (shown in the answer, and never again).
 */
export async function addWorkspace(
  prisma: PrismaClient,
  input: { name: string; slug?: string | null | undefined },
): Promise<CreatedWorkspace & { slug: string; name: string }> {
  const name = checkName(input.name);
  const given = input.slug?.trim();
  const slug = given ? checkSlug(given) : slugFromName(name);
  if (!slug)
    throw new WorkspaceError('slug', 'MISSING_VALUE', `no slug can be made from "${name}": give one (e.g. acme)`);
  if (!given) checkSlug(slug);
  if (await prisma.workspace.findUnique({ where: { slug }, select: { id: true } })) throw taken(slug);
  try {
    return { ...(await createWorkspace(prisma, { slug, name })), slug, name };
  } catch (error) {
    // Created by someone else between the check and the insert.
    if (isUniqueViolation(error)) throw taken(slug);
    throw error;
  }
}

async function summaries(prisma: PrismaClient | Tx, where: { slug?: string }, now: Date): Promise<WorkspaceSummary[]> {
  const rows = await prisma.workspace.findMany({
    where,
    orderBy: [{ createdAt: 'asc' }, { slug: 'asc' }],
    select: {
      id: true,
      slug: true,
      name: true,
      createdAt: true,
      _count: {
        select: {
          customers: true,
          interactions: true,
          apiKeys: { where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } },
        },
      },
    },
  });
  return rows.map(({ _count, ...row }) => ({
    ...row,
    customers: _count.customers,
    interactions: _count.interactions,
    activeApiKeys: _count.apiKeys,
  }));
}

/** Every workspace, oldest first, with what it holds. */
export function listWorkspaces(prisma: PrismaClient, now = new Date()): Promise<WorkspaceSummary[]> {
  return summaries(prisma, {}, now);
}

/** One workspace with what it holds (what deleting it would remove), or NOT_FOUND. */
export async function describeWorkspace(
  prisma: PrismaClient,
  slug: string,
  now = new Date(),
): Promise<WorkspaceSummary> {
  const [found] = await summaries(prisma, { slug }, now);
  if (!found) throw new WorkspaceError('workspace', 'NOT_FOUND', `no workspace "${slug}"`);
  return found;
}

/** Gives a workspace a new name, a new slug, or both; keys and data stay. */
export async function renameWorkspace(
  prisma: PrismaClient,
  slug: string,
  change: { name?: string | null | undefined; slug?: string | null | undefined },
): Promise<WorkspaceSummary> {
  const name = change.name == null ? undefined : checkName(change.name);
  const newSlug = change.slug == null ? undefined : checkSlug(change.slug.trim());
  if (name === undefined && newSlug === undefined)
    throw new WorkspaceError('name', 'MISSING_VALUE', 'give a new name, a new slug, or both');
  const workspace = await findWorkspace(prisma, slug);
  try {
    await prisma.workspace.update({ where: { id: workspace.id }, data: { name, slug: newSlug }, select: { id: true } });
  } catch (error) {
    if (isUniqueViolation(error)) throw taken(newSlug!);
    throw error;
  }
  return describeWorkspace(prisma, newSlug ?? slug);
}

/**
 * Deletes a workspace and everything in it (customers, interactions, scores and their history,
 * keys, webhooks, model versions) in one transaction, and says what it removed. A slug that names
 * nothing is NOT_FOUND.
 */
export async function deleteWorkspace(prisma: PrismaClient, slug: string): Promise<DeletedWorkspace> {
  return prisma.$transaction(async (tx: Tx) => {
    const workspace = await findWorkspace(tx, slug);
    // One after the other: a transaction is one connection.
    const customers = await tx.customer.count({ where: { workspaceId: workspace.id } });
    const interactions = await tx.interaction.count({ where: { workspaceId: workspace.id } });
    const apiKeys = await tx.apiKey.count({ where: { workspaceId: workspace.id } });
    // Interactions first: they hold their type with ON DELETE RESTRICT, which a cascade from the
    // workspace could meet before it reaches them.
    await tx.interaction.deleteMany({ where: { workspaceId: workspace.id } });
    await tx.workspace.delete({ where: { id: workspace.id }, select: { id: true } });
    return { slug: workspace.slug, name: workspace.name, customers, interactions, apiKeys };
  });
}
