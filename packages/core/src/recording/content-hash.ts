// What a write says, as one hash: stored beside its idempotency key, it tells an honest retry
// (same key, same content) from a key reused for other content.
import { createHash } from 'node:crypto';

export function contentHashOf(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
