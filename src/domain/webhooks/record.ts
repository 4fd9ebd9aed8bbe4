// Writing back the outcome of one attempt: the attempt row, the delivery's new state, and the
// endpoint's health (failing_since; disabling). Every write-back of a leased delivery is fenced
// on the claiming worker's id, so a worker that lost its lease cannot clobber the new owner's result.
import { sql } from 'kysely';
import type { DeliveryResult } from '../../integrations/webhooks/deliver.js';
import { nextAttemptAt, shouldDisable, type DisableReason } from '../../integrations/webhooks/schedule.js';
import type { WebhooksDb } from './db.js';
import { recordAttempts } from './record-batch.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'disabled';

export interface Decision {
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  disable: DisableReason | null;
}

/** What happens after an attempt; pure, so the whole retry policy is testable without a database. */
export function decide(input: {
  result: Pick<DeliveryResult, 'ok' | 'statusCode' | 'retryAfterSeconds'>;
  /** Number of this attempt, counted over the delivery's whole life. */
  attempt: number;
  /** Attempts made before the current retry run (0 unless replayed). */
  retryBase: number;
  failingSince: Date | null;
  attemptedAt: Date;
  nowMs: number;
  schedule: readonly number[];
}): Decision {
  const { result, attempt, retryBase, failingSince, attemptedAt, nowMs, schedule } = input;
  if (result.ok) return { status: 'delivered', nextAttemptAt: null, disable: null };
  const verdict = shouldDisable({ statusCode: result.statusCode, firstFailureAtMs: (failingSince ?? attemptedAt).getTime(), nowMs });
  if (verdict.disable) return { status: 'disabled', nextAttemptAt: null, disable: verdict.reason };
  const next = nextAttemptAt({ attempt: Math.max(1, attempt - retryBase), schedule, nowMs, retryAfterSeconds: result.retryAfterSeconds });
  return next === null ? { status: 'failed', nextAttemptAt: null, disable: null } : { status: 'pending', nextAttemptAt: new Date(next), disable: null };
}

export interface AttemptWrite {
  deliveryId: string;
  webhookId: string;
  owner: string;
  attempt: number;
  attemptedAt: Date;
  result: DeliveryResult;
  decision: Decision;
  now: Date;
}

function attemptRow(w: AttemptWrite) {
  return {
    delivery_id: w.deliveryId,
    attempt: w.attempt,
    attempted_at: w.attemptedAt,
    status_code: w.result.statusCode,
    latency_ms: Math.round(w.result.latencyMs),
    error: w.result.error,
  };
}

function deliveryUpdate(w: AttemptWrite) {
  const { status, nextAttemptAt } = w.decision;
  // A delivery parked while its request was out (endpoint deleted or disabled meanwhile) keeps
  // its parked status, unless the request got through; its attempt is still counted.
  const stillPending = sql<boolean>`status = 'pending'`;
  return {
    status: status === 'delivered' ? status : sql<DeliveryStatus>`case when ${stillPending} then ${status} else status end`,
    attempts: w.attempt,
    last_attempt_at: w.attemptedAt,
    response_code: w.result.statusCode,
    latency_ms: Math.round(w.result.latencyMs),
    last_error: w.result.error,
    next_attempt_at: nextAttemptAt === null ? null : sql<Date | null>`case when ${stillPending} then ${nextAttemptAt}::timestamptz else null end`,
    delivered_at: status === 'delivered' ? w.now : null,
    locked_until: null,
    locked_by: null,
  };
}

/**
 * Records one attempt by a worker. Returns false when the lease had passed to another worker
 * (that worker's result stands); the attempt row is kept either way, since the request was made.
 */
export async function recordAttempt(db: WebhooksDb, w: AttemptWrite): Promise<boolean> {
  if (w.decision.disable) return recordDisabling(db, w, w.decision.disable);
  return (await recordAttempts(db, [w])).has(w.deliveryId);
}

async function recordDisabling(db: WebhooksDb, w: AttemptWrite, reason: DisableReason): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('webhooks')
      .set((eb) => ({ disabled_at: w.now, disabled_reason: reason, failing_since: eb.fn.coalesce('failing_since', eb.val(w.attemptedAt)) }))
      .where('id', '=', w.webhookId)
      .where('disabled_at', 'is', null)
      .execute();
    await trx.insertInto('webhook_attempts').values(attemptRow(w)).execute();
    const updated = await trx
      .updateTable('webhook_deliveries')
      .set(deliveryUpdate(w))
      .where('id', '=', w.deliveryId)
      .where('locked_by', '=', w.owner)
      .executeTakeFirst();
    await disablePending(trx, w.webhookId, `endpoint disabled (${reason})`);
    return Number(updated.numUpdatedRows) > 0;
  });
}

/** Parks every undelivered delivery of an endpoint that will not be contacted again. */
export async function disablePending(db: WebhooksDb, webhookId: string, why: string): Promise<number> {
  const r = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'disabled', next_attempt_at: null, last_error: why })
    .where('webhook_id', '=', webhookId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** A claimed delivery whose endpoint was disabled or deleted after it was queued: park it unsent. */
export async function parkClaimed(db: WebhooksDb, deliveryId: string, owner: string, why: string): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'disabled', next_attempt_at: null, last_error: why, locked_until: null, locked_by: null })
    .where('id', '=', deliveryId)
    .where('locked_by', '=', owner)
    .where('status', '=', 'pending')
    .execute();
}
