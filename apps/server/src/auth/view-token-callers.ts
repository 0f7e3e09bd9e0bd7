// View tokens as callers: an internal-portal widget sends `Authorization: Bearer <view token>`
// (a JWT its portal's backend signed with the workspace's token signing secret) and may then read
// exactly what the token names: one customer's score, or the at-risk list.
import { isUuid, type PrismaClient } from '@pulso/database';
import type { SigningSecrets } from './signing-secrets.ts';
import { TokenError, looksLikeToken, unverifiedViewTokenWorkspace, verifyViewToken } from '@pulso/tokens';

/** What a view-token caller may read. */
export type ViewGrant = { kind: 'customer'; customerId: string; externalId: string } | { kind: 'at_risk' };

export class ViewTokenError extends Error {
  override readonly name = 'ViewTokenError';
}

/** True when a bearer credential is a token rather than an API key. */
export function isSignedToken(credential: string): boolean {
  return !credential.startsWith('pulso_') && looksLikeToken(credential);
}

/**
 * True for a JWT with an empty signature, the shape of an `"alg": "none"` token: refused as an
 * unsigned token, where it would otherwise read as a malformed API key.
 */
export function isUnsignedToken(credential: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.$/.test(credential);
}

/** Verifies a view token; throws a ViewTokenError that says why it is refused. */
export async function resolveViewToken(
  prisma: PrismaClient,
  signingSecrets: SigningSecrets,
  token: string,
  now: Date = new Date(),
): Promise<{ workspaceId: string; grant: ViewGrant; expiresAt: Date }> {
  const workspaceId = unverifiedViewTokenWorkspace(token);
  if (!workspaceId)
    throw new ViewTokenError(
      'the bearer token is not a Pulso view token (audience "pulso:view" with the workspace id as "iss")',
    );
  const secrets = isUuid(workspaceId) ? await signingSecrets.secretsOf(workspaceId) : null;
  // An unknown workspace answers like a bad signature: nothing tells a prober which ids exist.
  if (secrets === null)
    throw new ViewTokenError(
      "the view token signature is invalid: it was not signed with this workspace's token signing secret",
    );
  let verified: Awaited<ReturnType<typeof verifyViewToken>>;
  try {
    verified = await verifyViewToken(token, secrets, workspaceId, now);
  } catch (error) {
    if (error instanceof TokenError) throw new ViewTokenError(error.message);
    throw error;
  }
  const { expiresAt } = verified;
  if (verified.grant.kind === 'at_risk') return { workspaceId, grant: { kind: 'at_risk' }, expiresAt };
  const customer = await prisma.customer.findUnique({
    where: { workspaceId_externalId: { workspaceId, externalId: verified.grant.externalId } },
    select: { id: true },
  });
  if (!customer)
    throw new ViewTokenError(`the view token names customer "${verified.grant.externalId}", which does not exist`);
  return {
    workspaceId,
    grant: { kind: 'customer', customerId: customer.id, externalId: verified.grant.externalId },
    expiresAt,
  };
}
