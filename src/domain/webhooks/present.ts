import type { AttemptRow, DeliveryRow, WebhookRow } from './db.js';
import type { DeliveryStatus } from './record.js';
import { isoOrNull } from '../iso.js';


export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  /** Spelled as in the Convo list response; `createdAt` is the same instant in the usual casing. */
  created_at: string;
  createdAt: string;
  disabledAt: string | null;
  disabledReason: string | null;
}

export function presentWebhook(row: WebhookRow): WebhookView {
  const created = isoOrNull(row.created_at) as string;
  return {
    id: row.id,
    url: row.url,
    events: row.events as unknown as string[],
    created_at: created,
    createdAt: created,
    disabledAt: isoOrNull(row.disabled_at),
    disabledReason: row.disabled_reason,
  };
}

export interface AttemptView {
  attempt: number;
  attemptedAt: string;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

export interface DeliveryView {
  id: string;
  webhookId: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  responseCode: number | null;
  latencyMs: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  attemptLog: AttemptView[];
  payload?: string;
}

export function presentAttempt(a: AttemptRow): AttemptView {
  return { attempt: a.attempt, attemptedAt: isoOrNull(a.attempted_at) as string, statusCode: a.status_code, latencyMs: a.latency_ms, error: a.error };
}

export function presentDelivery(row: DeliveryRow, attempts: AttemptRow[], includePayload = false): DeliveryView {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    responseCode: row.response_code,
    latencyMs: row.latency_ms,
    lastError: row.last_error,
    // Only a pending delivery has a next attempt; a leftover value would suggest one is coming.
    nextAttemptAt: row.status === 'pending' ? isoOrNull(row.next_attempt_at) : null,
    lastAttemptAt: isoOrNull(row.last_attempt_at),
    deliveredAt: isoOrNull(row.delivered_at),
    createdAt: isoOrNull(row.created_at) as string,
    attemptLog: attempts.map(presentAttempt),
    ...(includePayload ? { payload: row.payload } : {}),
  };
}
