// Redelivery on request: an event (delivered, failed or still retrying) is queued again at once,
// with the same webhook-id, so a receiver that de-duplicates by it can tell. It takes its place in
// its customer's order again: later events of that customer for that endpoint wait until it is
// acknowledged.
import { isUuid, type PrismaClient, type WebhookEvent, workspaceKey } from '@pulso/database';

export class WebhookEventNotFoundError extends Error {
  override readonly name = 'WebhookEventNotFoundError';
  readonly field = 'id';
  readonly code = 'NOT_FOUND';
  constructor(readonly id: string) {
    super(`id: no webhook event ${id} in this workspace`);
  }
}

/** Queues an event again; `id` is its database id or its webhook-id (`evt_...`). */
export async function redeliverWebhookEvent(
  prisma: PrismaClient,
  workspaceId: string,
  id: string,
): Promise<WebhookEvent> {
  const where = isUuid(id) ? { id, workspaceId } : { messageId: id, workspaceId };
  const event = await prisma.webhookEvent.findFirst({ where, select: { id: true } });
  if (!event) throw new WebhookEventNotFoundError(id);
  // The claim of an attempt under way is dropped: its outcome is no longer recorded (the worker
  // records only under its own claim), and the event is due again now.
  return prisma.webhookEvent.update({
    where: workspaceKey(workspaceId, event.id),
    data: { status: 'PENDING', nextAttemptAt: new Date(), claimedUntil: null, giveUpAt: null, deliveredAt: null },
  });
}
