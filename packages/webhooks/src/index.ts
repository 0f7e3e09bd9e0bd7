export {
  WebhookWorker,
  startWebhookWorker,
  outboxState,
  type WebhookWorkerOptions,
  type WebhookAttempt,
  type WebhookMetrics,
} from './worker.ts';
export { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from './retry-policy.ts';
export { sendWebhook, signedHeaders, USER_AGENT, type SendResult, type OutgoingWebhook } from './send.ts';
export { generateWebhookSecret, SECRET_PREFIX } from './secret.ts';
export {
  createWebhookEndpoint,
  updateWebhookEndpoint,
  deleteWebhookEndpoint,
  rotateWebhookSecret,
  WebhookEndpointError,
  type WebhookEndpointErrorCode,
  type WebhookEndpointInput,
  type WebhookEndpointChanges,
  type BandChangedFilter,
  type ScoreDroppedFilter,
} from './endpoints.ts';
export { redeliverWebhookEvent, WebhookEventNotFoundError } from './redeliver.ts';
export { PUBLIC_ONLY, refusedAddress, refusedUrl, type AddressPolicy } from './address-policy.ts';
