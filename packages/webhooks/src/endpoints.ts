// Webhook endpoints of a workspace: what they listen to, checked before anything is stored, and
// their signing secrets (created with the endpoint, rotated on demand). Every function takes the
// caller's workspace and finds nothing of another one.
import { isUuid, type Band, type PrismaClient, type WebhookEndpoint, workspaceKey } from '@pulso/database';
import { PUBLIC_ONLY, refusedUrl, type AddressPolicy } from './address-policy.ts';
import { generateWebhookSecret } from './secret.ts';

export type WebhookEndpointErrorCode =
  | 'INVALID_URL'
  | 'ADDRESS_NOT_ALLOWED'
  | 'NO_EVENT_TYPES'
  | 'OUT_OF_RANGE'
  | 'TOO_LONG'
  | 'NOT_FOUND';

/** A refused endpoint operation: nothing was changed. */
export class WebhookEndpointError extends Error {
  override readonly name = 'WebhookEndpointError';
  constructor(
    readonly field: string,
    readonly code: WebhookEndpointErrorCode,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** `band.changed`, optionally only from or to some bands (empty or absent: any). */
export interface BandChangedFilter {
  from?: Band[] | null;
  to?: Band[] | null;
}

/** `score.dropped`: a score that fell by at least `threshold` points (0 < threshold ≤ 100) in one change. */
export interface ScoreDroppedFilter {
  threshold: number;
}

export interface WebhookEndpointInput {
  url: string;
  description?: string | null;
  enabled?: boolean | null;
  /** Subscribes to `band.changed` when given. */
  bandChanged?: BandChangedFilter | null;
  /** Subscribes to `score.dropped` when given. */
  scoreDropped?: ScoreDroppedFilter | null;
  /** Subscribes to `customer.churned` when true. */
  customerChurned?: boolean | null;
}

/** Fields left undefined stay as they are; `null` for a filter unsubscribes from its event type. */
export type WebhookEndpointChanges = Partial<WebhookEndpointInput>;

const MAX_URL = 2_000;
const MAX_DESCRIPTION = 500;
function checkedUrl(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length > MAX_URL)
    throw new WebhookEndpointError('url', 'TOO_LONG', `at most ${MAX_URL} characters, got ${trimmed.length}`);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new WebhookEndpointError(
      'url',
      'INVALID_URL',
      `"${value}" is not a URL such as https://example.com/pulso-webhooks`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new WebhookEndpointError(
      'url',
      'INVALID_URL',
      `only http and https URLs receive webhooks, got ${url.protocol}`,
    );
  if (url.hash)
    throw new WebhookEndpointError(
      'url',
      'INVALID_URL',
      'a URL with a #fragment: the fragment is never sent, remove it',
    );
  // fetch refuses to send a URL with credentials, so every delivery would fail; and they would be
  // stored and listed in clear. The message does not repeat them.
  if (url.username || url.password)
    throw new WebhookEndpointError(
      'url',
      'INVALID_URL',
      `a URL with credentials (user:password@): they cannot be sent with a webhook; remove them and have your receiver verify the webhook-signature header with the endpoint's signing secret instead`,
    );
  return url.toString();
}

/** Refuses a URL whose address may not receive webhooks (address-policy.ts), naming the setting. */
async function checkAddress(url: string, policy: AddressPolicy): Promise<void> {
  const reason = await refusedUrl(new URL(url), policy);
  if (reason) {
    throw new WebhookEndpointError(
      'url',
      'ADDRESS_NOT_ALLOWED',
      `${reason}: webhooks go to public addresses only (a self-hosted Pulso whose receivers are on its own network can allow them with PULSO_WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true)`,
    );
  }
}

function checkedDescription(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed.length > MAX_DESCRIPTION)
    throw new WebhookEndpointError(
      'description',
      'TOO_LONG',
      `at most ${MAX_DESCRIPTION} characters, got ${trimmed.length}`,
    );
  return trimmed || null;
}

function bandColumns(filter: BandChangedFilter | null) {
  return {
    bandChanged: filter !== null,
    bandChangedFrom: [...new Set(filter?.from ?? [])],
    bandChangedTo: [...new Set(filter?.to ?? [])],
  };
}

function dropColumn(filter: ScoreDroppedFilter | null): number | null {
  if (filter === null) return null;
  const { threshold } = filter;
  if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 100) {
    throw new WebhookEndpointError(
      'scoreDropped.threshold',
      'OUT_OF_RANGE',
      `a drop of more than 0 and at most 100 points, got ${threshold}`,
    );
  }
  return threshold;
}

/** `policy`: which addresses may receive webhooks (default public ones only). */
export async function createWebhookEndpoint(
  prisma: PrismaClient,
  workspaceId: string,
  input: WebhookEndpointInput,
  policy: AddressPolicy = PUBLIC_ONLY,
): Promise<WebhookEndpoint> {
  const url = checkedUrl(input.url);
  const description = checkedDescription(input.description);
  if (!input.bandChanged && !input.scoreDropped && !input.customerChurned) {
    throw new WebhookEndpointError(
      'bandChanged',
      'NO_EVENT_TYPES',
      'subscribe to at least one event type: bandChanged, scoreDropped, customerChurned',
    );
  }
  const scoreDropPoints = dropColumn(input.scoreDropped ?? null);
  await checkAddress(url, policy);
  return prisma.webhookEndpoint.create({
    data: {
      workspaceId,
      url,
      description,
      enabled: input.enabled ?? true,
      secret: generateWebhookSecret(),
      ...bandColumns(input.bandChanged ?? null),
      scoreDropPoints,
      customerChurned: input.customerChurned ?? false,
    },
  });
}

async function endpointOf(prisma: PrismaClient, workspaceId: string, id: string): Promise<WebhookEndpoint> {
  const endpoint = isUuid(id) ? await prisma.webhookEndpoint.findFirst({ where: { id, workspaceId } }) : null;
  if (!endpoint) throw new WebhookEndpointError('id', 'NOT_FOUND', `no webhook endpoint ${id} in this workspace`);
  return endpoint;
}

export async function updateWebhookEndpoint(
  prisma: PrismaClient,
  workspaceId: string,
  id: string,
  changes: WebhookEndpointChanges,
  policy: AddressPolicy = PUBLIC_ONLY,
): Promise<WebhookEndpoint> {
  const endpoint = await endpointOf(prisma, workspaceId, id);
  const data: Partial<WebhookEndpoint> = {};
  if (changes.url != null) data.url = checkedUrl(changes.url);
  if (changes.description !== undefined) data.description = checkedDescription(changes.description);
  if (changes.enabled != null) data.enabled = changes.enabled;
  if (changes.bandChanged !== undefined) Object.assign(data, bandColumns(changes.bandChanged));
  if (changes.scoreDropped !== undefined) data.scoreDropPoints = dropColumn(changes.scoreDropped);
  if (changes.customerChurned != null) data.customerChurned = changes.customerChurned;
  const bandChanged = data.bandChanged ?? endpoint.bandChanged;
  const scoreDropPoints = data.scoreDropPoints !== undefined ? data.scoreDropPoints : endpoint.scoreDropPoints;
  const customerChurned = data.customerChurned ?? endpoint.customerChurned;
  if (!bandChanged && scoreDropPoints === null && !customerChurned) {
    throw new WebhookEndpointError(
      'bandChanged',
      'NO_EVENT_TYPES',
      'an endpoint listens to at least one event type: keep bandChanged, scoreDropped or customerChurned, or delete the endpoint',
    );
  }
  if (data.url !== undefined) await checkAddress(data.url, policy);
  return prisma.webhookEndpoint.update({ where: workspaceKey(endpoint.workspaceId, endpoint.id), data });
}

/** Deletes an endpoint and its events (delivered or not). */
export async function deleteWebhookEndpoint(
  prisma: PrismaClient,
  workspaceId: string,
  id: string,
): Promise<WebhookEndpoint> {
  const endpoint = await endpointOf(prisma, workspaceId, id);
  await prisma.webhookEndpoint.delete({ where: workspaceKey(workspaceId, endpoint.id) });
  return endpoint;
}

/** A new signing secret, used from the next attempt on (the old one stops signing at once). */
export async function rotateWebhookSecret(
  prisma: PrismaClient,
  workspaceId: string,
  id: string,
): Promise<WebhookEndpoint> {
  const endpoint = await endpointOf(prisma, workspaceId, id);
  return prisma.webhookEndpoint.update({
    where: workspaceKey(workspaceId, endpoint.id),
    data: { secret: generateWebhookSecret() },
  });
}
