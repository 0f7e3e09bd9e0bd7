// What resolvers get: the request's caller and the services composed where the server is built.
// Fields with auth scopes get a CallerContext instead (builder.ts's AuthContexts): every scope
// needs a caller, so once the scope-auth plugin let a request through, its caller is there.
import type { AddressPolicy } from '@pulso/webhooks';
import type { Logger } from 'pino';
import type { PrismaClient } from '@pulso/database';
import type { GroupCommit, RescoreRunner } from '@pulso/core';
import type { Caller } from './auth/api-key-callers.ts';
import type { LivePubSub } from './pubsub.ts';
import type { SigningSecrets } from './auth/signing-secrets.ts';
import type { PulsoMetrics } from './metrics/pulso-metrics.ts';

/** What every resolver gets. */
export interface Context {
  prisma: PrismaClient;
  /** The authenticated caller, or null for a request without an API key. */
  caller: Caller | null;
  /** Live score events (in memory, or through Redis with REDIS_URL). */
  live: LivePubSub;
  /** The request's Origin header, checked against a publishable key's allowed origins. */
  origin: string | null;
  /** Token signing secrets by workspace, cached a few seconds (signing-secrets.ts). */
  signingSecrets: SigningSecrets;
  /** Which addresses webhook endpoints may have. */
  webhookAddresses: AddressPolicy;
  /** The process's rescoring runner: kicked after queuing a run (rescore-runner.ts). */
  rescoreRunner: RescoreRunner;
  /** The process's group commit for single writes arriving together (group-commit.ts). */
  groupCommit: GroupCommit;
  /** The server's metrics: writes count the interactions they stored and the scores they computed. */
  metrics: PulsoMetrics;
  /** The server's logger, for work a resolver leaves running after its answer. */
  logger: Logger;
}

/** The context of a field whose auth scopes passed: the caller is known. */
export interface CallerContext extends Context {
  caller: Caller;
}

/**
 * The caller, for fields below a root field whose scopes passed (nested fields carry no scopes
 * of their own). Throws should one ever be reached without a caller, instead of assuming.
 */
export function callerOf(ctx: Context): Caller {
  if (!ctx.caller) throw new Error('no caller: this field is only reachable through fields with auth scopes');
  return ctx.caller;
}
