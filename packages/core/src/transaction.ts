// The transaction client Prisma hands to `$transaction(async (tx) => ...)`. Domain functions that
// must commit together with their caller's other writes take it; it has its own module so that
// the modules sharing it (scores, outbox, recording, model) need not import each other for a type.
import type { PrismaClient } from '@pulso/database';

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
