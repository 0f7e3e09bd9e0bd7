// Signing secrets in the Standard Webhooks form: `whsec_` + base64 of random bytes. The spec asks
// for 24 to 64 bytes; 32 is what HMAC-SHA-256 can use in full.
import { randomBytes } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';

export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}
