// Public surface of the webhook building blocks; `verifyWebhook` is the helper receivers use.
export {
  verifyWebhook,
  WebhookVerificationError,
  generateWebhookSecret,
  convoSignature,
  standardSignature,
  signedHeaders,
  type VerifiedWebhook,
  type VerificationFailure,
  type HeaderSource,
  type SignedHeaders,
} from './signing.js';
export { deliverOnce, parseRetryAfter, type DeliverInput, type DeliveryResult } from './deliver.js';
export { DEFAULT_RETRY_SCHEDULE, parseSchedule, nextAttemptAt, shouldDisable, type DisableDecision } from './schedule.js';
export { WEBHOOK_EVENTS, eventDataSchemas, buildPayload, parsePayload, isWebhookEvent, type WebhookEvent, type WebhookEventData, type WebhookPayload } from './events.js';
