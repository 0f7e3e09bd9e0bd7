// Scopes for fields a view token may use. A view token reads exactly what it names: the one
// customer of its grant (by id or external id), or the at-risk list; keys that read pass as usual.
import type { Context } from '../../context.ts';
import { databaseId } from '../common/global-id.ts';

export interface CustomerTarget {
  id?: string | null;
  customerId?: string | null;
  externalId?: string | null;
}

/** The database id a target names when it is the view token's own customer; '' otherwise. */
function viewedCustomer(target: CustomerTarget, ctx: Context): string {
  const view = ctx.caller?.view;
  if (view?.kind !== 'customer') return '';
  const id = target.id ?? target.customerId;
  if (id != null) return databaseId(String(id), 'Customer') ?? '';
  return target.externalId != null && target.externalId === view.externalId ? view.customerId : '';
}

/** For `customer(id | externalId)`: a key that reads, or a view token for that customer. */
export function customerReadScopes(target: CustomerTarget, ctx: Context) {
  return { read: true, viewCustomer: viewedCustomer(target, ctx) };
}

/** For `atRiskCustomers`: a key that reads, or an at-risk view token. */
export const atRiskReadScopes = { read: true, viewAtRisk: true } as const;

/** For live streams: one customer (a key or that customer's view token), or the workspace (a key or an at-risk view token). */
export function liveScopes(target: CustomerTarget, ctx: Context) {
  const named = target.customerId != null || target.externalId != null;
  // Left out rather than `viewAtRisk: false`: the scope-auth plugin checks a boolean scope by the
  // caller's value alone, so `false` still let an at-risk token open a named customer's stream.
  return named
    ? { read: true, viewCustomer: viewedCustomer(target, ctx) }
    : { read: true, viewCustomer: viewedCustomer(target, ctx), viewAtRisk: true };
}
