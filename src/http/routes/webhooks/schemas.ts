import { z } from 'zod';
import { WEBHOOK_EVENTS } from '../../../integrations/webhooks/events.js';

export const webhookIdParams = z.object({ id: z.string().min(1).max(100) });
export const deliveryParams = webhookIdParams.extend({ deliveryId: z.string().min(1).max(300) });

export const eventName = z.enum(WEBHOOK_EVENTS, { error: `Unknown event; one of ${WEBHOOK_EVENTS.join(', ')}` });

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  created_at: z.string(),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
  disabledReason: z.string().nullable(),
});

export const deliveryStatus = z.enum(['pending', 'delivered', 'failed', 'disabled'], { error: 'Must be pending, delivered, failed or disabled' });

export const attemptSchema = z.object({
  attempt: z.number().int(),
  attemptedAt: z.string(),
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().int(),
  error: z.string().nullable(),
});

export const deliverySchema = z.object({
  id: z.string().describe('The message id, sent as the webhook-id header on every attempt'),
  webhookId: z.string(),
  event: z.string(),
  status: deliveryStatus,
  attempts: z.number().int(),
  responseCode: z.number().int().nullable(),
  latencyMs: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
  attemptLog: z.array(attemptSchema),
  payload: z.string().optional().describe('The exact signed body; with include=payload'),
});
