// One attempt at one claimed delivery: sign, send, decide what happens next, record it.
import type { Dispatcher } from 'undici';
import { deliverOnce, type DeliveryResult } from '../../integrations/webhooks/deliver.js';
import { signedHeaders } from '../../integrations/webhooks/signing.js';
import type { ClaimedDelivery } from './claim.js';
import type { WebhooksDb } from './db.js';
import { decide, parkClaimed, type AttemptWrite, type Decision } from './record.js';

export interface AttemptReport {
  deliveryId: string;
  webhookId: string;
  event: string;
  attempt: number;
  result: DeliveryResult;
  decision: Decision;
  /** False when the lease had passed to another worker before the attempt was recorded. */
  recorded: boolean;
}

export interface AttemptContext {
  db: WebhooksDb;
  dispatcher: Dispatcher;
  schedule: readonly number[];
  clock: () => Date;
  owner: string;
  timeoutMs: number;
  /** The signing secret as stored (sealed at rest) → as used. */
  openSecret: (stored: string) => string;
  /** Writes the attempt back; false when the lease had passed to another worker. */
  record: (write: AttemptWrite) => Promise<boolean>;
}

/** Returns null when the delivery was parked unsent because its endpoint is gone or disabled. */
export async function attemptDelivery(ctx: AttemptContext, d: ClaimedDelivery): Promise<AttemptReport | null> {
  if (d.endpointDeletedAt || d.endpointDisabledAt) {
    await parkClaimed(ctx.db, d.id, ctx.owner, d.endpointDeletedAt ? 'webhook deleted' : 'endpoint disabled');
    return null;
  }
  const attemptedAt = ctx.clock();
  const attempt = d.attempts + 1;
  let result: DeliveryResult;
  try {
    // Signed per attempt: webhook-timestamp must be fresh or receivers reject the retry as a replay.
    const headers = signedHeaders({ secret: ctx.openSecret(d.secret), eventType: d.event, msgId: d.id, nowMs: attemptedAt.getTime(), rawBody: d.payload });
    result = await deliverOnce({ url: d.url, headers, body: d.payload, dispatcher: ctx.dispatcher, timeoutMs: ctx.timeoutMs });
  } catch (err) {
    result = { ok: false, statusCode: null, latencyMs: 0, retryAfterSeconds: null, error: (err as Error).message, responseSnippet: null };
  }
  const now = ctx.clock();
  const decision = decide({
    result,
    attempt,
    retryBase: d.retryBase,
    failingSince: d.failingSince,
    attemptedAt,
    nowMs: now.getTime(),
    schedule: ctx.schedule,
  });
  const recorded = await ctx.record({
    deliveryId: d.id,
    webhookId: d.webhookId,
    owner: ctx.owner,
    attempt,
    attemptedAt,
    result,
    decision,
    now,
  });
  return { deliveryId: d.id, webhookId: d.webhookId, event: d.event, attempt, result, decision, recorded };
}
