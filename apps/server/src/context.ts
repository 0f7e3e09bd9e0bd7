import type { AddressPolicy } from '@pulso/webhooks';
import type { Logger } from 'pino';
import type { PrismaClient } from '@pulso/database';
import type { GroupCommit, RescoreRunner } from '@pulso/core';
import type { Caller } from './auth/api-key-callers.ts';
import type { LivePubSub } from './pubsub.ts';
import type { SigningSecrets } from './auth/signing-secrets.ts';

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
  /** The server's logger, for work a resolver leaves running after its answer. */
  logger: Logger;
}
