import type { PrismaClient } from '@pulso/database';
import type { Caller } from './auth.ts';

/** What every resolver gets. */
export interface Context {
  prisma: PrismaClient;
  /** The authenticated caller, or null for a request without an API key. */
  caller: Caller | null;
}
