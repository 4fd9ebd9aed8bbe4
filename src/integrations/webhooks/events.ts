// The event catalogue and payload shapes from the Convo API v1 reference. Data objects are
// strict so a typo in an emitting module fails loudly instead of reaching receivers.
import { z } from 'zod';

export const WEBHOOK_EVENTS = [
  'conversation.created',
  'conversation.updated',
  'conversation.keypoints.ready',
  'conversation.summary.ready',
  'conversation.action_items.ready',
  'conversation.feedback.ready',
  'conversation.shared',
  'conversation.deleted',
  'transcript.ready',
  'transcript.failed',
  'action_item.updated',
  'webhook.test',
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const webhookEventSchema = z.enum(WEBHOOK_EVENTS);

const conversationId = z.string().min(1);
const count = z.number().int().nonnegative();

export const eventDataSchemas = {
  'conversation.created': z.strictObject({ conversationId }),
  'conversation.updated': z.strictObject({ conversationId, title: z.string(), changedFields: z.array(z.string()).optional() }),
  'conversation.keypoints.ready': z.strictObject({ conversationId, title: z.string() }),
  'conversation.summary.ready': z.strictObject({ conversationId, title: z.string(), sectionCount: count }),
  'conversation.action_items.ready': z.strictObject({ conversationId, actionItemCount: count }),
  'conversation.feedback.ready': z.strictObject({ conversationId, overallScore: z.number().min(0).max(10) }),
  'conversation.shared': z.strictObject({ conversationId, shareUrl: z.url() }),
  'conversation.deleted': z.strictObject({ conversationId }),
  'transcript.ready': z.strictObject({ conversationId, segmentCount: count }),
  'transcript.failed': z.strictObject({ conversationId, error: z.string() }),
  // Colloquy's addition: a tracked action item changed (a person's edit, or a later conversation
  // mentioning it). `changedFields` names what changed: status, owner, dueDate, suggestedStatus, mentions.
  'action_item.updated': z.strictObject({
    actionItemId: z.string().min(1),
    conversationId,
    item: z.string(),
    status: z.enum(['open', 'done', 'dismissed']),
    owner: z.string().nullable(),
    dueDate: z.string().nullable(),
    suggestedStatus: z.enum(['done']).nullable(),
    mentions: z.array(z.strictObject({ conversationId, segmentIndex: count })),
    changedFields: z.array(z.string()),
  }),
  'webhook.test': z.strictObject({ message: z.string() }),
} as const satisfies Record<WebhookEvent, z.ZodType>;

export type WebhookEventData<E extends WebhookEvent> = z.infer<(typeof eventDataSchemas)[E]>;

export interface WebhookPayload<E extends WebhookEvent = WebhookEvent> {
  event: E;
  data: WebhookEventData<E>;
  timestamp: string;
}

export function isWebhookEvent(value: unknown): value is WebhookEvent {
  return typeof value === 'string' && (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

/**
 * The raw JSON body for an event: `{ event, data, timestamp }` with an ISO-8601 timestamp.
 * Returned as a string because signatures cover exact bytes: store and send this string as
 * is, never a re-serialised copy (jsonb, for one, reorders keys).
 */
export function buildPayload<E extends WebhookEvent>(event: E, data: WebhookEventData<E>, now: Date | number): string {
  if (!isWebhookEvent(event)) throw new Error(`unknown webhook event: ${String(event)}`);
  const parsed = eventDataSchemas[event].safeParse(data);
  if (!parsed.success) {
    throw new Error(`invalid data for ${event}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const at = now instanceof Date ? now : new Date(now);
  if (Number.isNaN(at.getTime())) throw new Error('buildPayload: invalid timestamp');
  return JSON.stringify({ event, data: parsed.data, timestamp: at.toISOString() });
}

const payloadEnvelope = z.object({ event: webhookEventSchema, data: z.unknown(), timestamp: z.iso.datetime() });

/** Parses and validates a received body; unknown extra fields are tolerated, as promised to clients. */
export function parsePayload(rawBody: string | Uint8Array): WebhookPayload {
  const text = typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody);
  const envelope = payloadEnvelope.parse(JSON.parse(text));
  const data = eventDataSchemas[envelope.event].loose().parse(envelope.data);
  return { event: envelope.event, data, timestamp: envelope.timestamp } as WebhookPayload;
}
