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

/** One thing wrong with an endpoint operation: the field and why. */
export interface WebhookEndpointProblem {
  field: string;
  code: WebhookEndpointErrorCode;
  message: string;
}

/**
 * A refused endpoint operation: nothing was changed. `problems` lists every problem found in the
 * input (the URL, the description, the event types, the threshold, then the URL's address); `field`
 * and `code` are the first's.
 */
export class WebhookEndpointError extends Error {
  override readonly name = 'WebhookEndpointError';
  readonly problems: readonly WebhookEndpointProblem[];
  constructor(
    readonly field: string,
    readonly code: WebhookEndpointErrorCode,
    message: string,
    more: readonly WebhookEndpointProblem[] = [],
  ) {
    const problems = [{ field, code, message }, ...more];
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.problems = problems;
  }
}

/** Throws the problems found, if any, as one WebhookEndpointError. */
function refuse(problems: readonly WebhookEndpointProblem[]): void {
  const [first, ...more] = problems;
  if (first) throw new WebhookEndpointError(first.field, first.code, first.message, more);
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
/** The URL as stored, or null with its problem added to `problems`. */
function checkedUrl(value: string, problems: WebhookEndpointProblem[]): string | null {
  const refused = (code: WebhookEndpointErrorCode, message: string) => {
    problems.push({ field: 'url', code, message });
    return null;
  };
  const trimmed = value.trim();
  if (trimmed.length > MAX_URL) return refused('TOO_LONG', `at most ${MAX_URL} characters, got ${trimmed.length}`);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return refused('INVALID_URL', `"${value}" is not a URL such as https://example.com/pulso-webhooks`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return refused('INVALID_URL', `only http and https URLs receive webhooks, got ${url.protocol}`);
  if (url.hash) return refused('INVALID_URL', 'a URL with a #fragment: the fragment is never sent, remove it');
  // fetch refuses to send a URL with credentials, so every delivery would fail; and they would be
  // stored and listed in clear. The message does not repeat them.
  if (url.username || url.password)
    return refused(
      'INVALID_URL',
      `a URL with credentials (user:password@): they cannot be sent with a webhook; remove them and have your receiver verify the webhook-signature header with the endpoint's signing secret instead`,
    );
  return url.toString();
}

/**
 * Adds the problem of a URL whose address may not receive webhooks (address-policy.ts), naming the
 * setting. Checked last: it may resolve the host name.
 */
async function checkAddress(url: string, policy: AddressPolicy, problems: WebhookEndpointProblem[]): Promise<void> {
  const reason = await refusedUrl(new URL(url), policy);
  if (reason)
    problems.push({
      field: 'url',
      code: 'ADDRESS_NOT_ALLOWED',
      message: `${reason}: webhooks go to public addresses only (a self-hosted Pulso whose receivers are on its own network can allow them with PULSO_WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true)`,
    });
}

function checkedDescription(value: string | null | undefined, problems: WebhookEndpointProblem[]): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed.length > MAX_DESCRIPTION)
    problems.push({
      field: 'description',
      code: 'TOO_LONG',
      message: `at most ${MAX_DESCRIPTION} characters, got ${trimmed.length}`,
    });
  return trimmed || null;
}

function bandColumns(filter: BandChangedFilter | null) {
  return {
    bandChanged: filter !== null,
    bandChangedFrom: [...new Set(filter?.from ?? [])],
    bandChangedTo: [...new Set(filter?.to ?? [])],
  };
}

function dropColumn(filter: ScoreDroppedFilter | null, problems: WebhookEndpointProblem[]): number | null {
  if (filter === null) return null;
  const { threshold } = filter;
  if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 100)
    problems.push({
      field: 'scoreDropped.threshold',
      code: 'OUT_OF_RANGE',
      message: `a drop of more than 0 and at most 100 points, got ${threshold}`,
    });
  return threshold;
}

/** `policy`: which addresses may receive webhooks (default public ones only). */
export async function createWebhookEndpoint(
  prisma: PrismaClient,
  workspaceId: string,
  input: WebhookEndpointInput,
  policy: AddressPolicy = PUBLIC_ONLY,
): Promise<WebhookEndpoint> {
  const problems: WebhookEndpointProblem[] = [];
  const url = checkedUrl(input.url, problems);
  const description = checkedDescription(input.description, problems);
  if (!input.bandChanged && !input.scoreDropped && !input.customerChurned)
    problems.push({
      field: 'bandChanged',
      code: 'NO_EVENT_TYPES',
      message: 'subscribe to at least one event type: bandChanged, scoreDropped, customerChurned',
    });
  const scoreDropPoints = dropColumn(input.scoreDropped ?? null, problems);
  if (url !== null) await checkAddress(url, policy, problems);
  refuse(problems);
  return prisma.webhookEndpoint.create({
    data: {
      workspaceId,
      url: url!,
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
  const problems: WebhookEndpointProblem[] = [];
  const url = changes.url != null ? checkedUrl(changes.url, problems) : null;
  if (url !== null) data.url = url;
  if (changes.description !== undefined) data.description = checkedDescription(changes.description, problems);
  if (changes.enabled != null) data.enabled = changes.enabled;
  if (changes.bandChanged !== undefined) Object.assign(data, bandColumns(changes.bandChanged));
  if (changes.scoreDropped !== undefined) data.scoreDropPoints = dropColumn(changes.scoreDropped, problems);
  if (changes.customerChurned != null) data.customerChurned = changes.customerChurned;
  const bandChanged = data.bandChanged ?? endpoint.bandChanged;
  const scoreDropPoints = data.scoreDropPoints !== undefined ? data.scoreDropPoints : endpoint.scoreDropPoints;
  const customerChurned = data.customerChurned ?? endpoint.customerChurned;
  if (!bandChanged && scoreDropPoints === null && !customerChurned)
    problems.push({
      field: 'bandChanged',
      code: 'NO_EVENT_TYPES',
      message:
        'an endpoint listens to at least one event type: keep bandChanged, scoreDropped or customerChurned, or delete the endpoint',
    });
  if (url !== null) await checkAddress(url, policy, problems);
  refuse(problems);
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
