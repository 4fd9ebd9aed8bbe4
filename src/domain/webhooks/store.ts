// SQL for the webhook API: endpoints, the delivery log, replays. The worker's SQL lives in
// claim.ts and record.ts.
import { sql } from 'kysely';
import type { AttemptRow, DeliveryRow, WebhookRow, WebhooksDb } from './db.js';
import { disablePending } from './record.js';
import type { DeliveryStatus } from './record.js';
import { WAKEUP_CHANNEL } from './wakeup.js';

export function listWebhooks(db: WebhooksDb, userId: string): Promise<WebhookRow[]> {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findWebhook(db: WebhooksDb, userId: string, id: string): Promise<WebhookRow | undefined> {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export interface NewWebhook {
  id: string;
  userId: string;
  url: string;
  events: string[];
  secret: string;
  now: Date;
}

/**
 * Inserts the endpoint unless the user already has `max` (null: no limit). The user's row is
 * locked for the count, so concurrent registrations cannot overshoot the tier's limit.
 */
export async function insertWebhookWithinLimit(db: WebhooksDb, w: NewWebhook, max: number | null): Promise<WebhookRow | null> {
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('users').select('id').where('id', '=', w.userId).forUpdate().executeTakeFirst();
    if (max !== null) {
      const { n } = await trx
        .selectFrom('webhooks')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('user_id', '=', w.userId)
        .where('deleted_at', 'is', null)
        .executeTakeFirstOrThrow();
      if (n >= max) return null;
    }
    return trx
      .insertInto('webhooks')
      .values({ id: w.id, user_id: w.userId, url: w.url, events: JSON.stringify(w.events), secret: w.secret, created_at: w.now })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** Soft-deletes the endpoint and parks what it still had queued; false when there is no such endpoint. */
export async function deleteWebhook(db: WebhooksDb, userId: string, id: string, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('webhooks')
      .set({ deleted_at: now })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    await disablePending(trx, id, 'webhook deleted');
    return true;
  });
}

export async function listDeliveries(
  db: WebhooksDb,
  webhookId: string,
  o: { limit: number; offset: number; status?: DeliveryStatus; event?: string },
): Promise<{ rows: DeliveryRow[]; total: number }> {
  let base = db.selectFrom('webhook_deliveries').where('webhook_id', '=', webhookId);
  if (o.status) base = base.where('status', '=', o.status);
  if (o.event) base = base.where('event', '=', o.event);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(o.limit).offset(o.offset).execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: count.n };
}

export function findDelivery(db: WebhooksDb, webhookId: string, id: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).where('webhook_id', '=', webhookId).executeTakeFirst();
}

export async function attemptsFor(db: WebhooksDb, deliveryIds: string[]): Promise<Map<string, AttemptRow[]>> {
  const byDelivery = new Map<string, AttemptRow[]>();
  if (!deliveryIds.length) return byDelivery;
  const rows = await db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('delivery_id')
    .orderBy('attempt')
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const list = byDelivery.get(r.delivery_id);
    if (list) list.push(r);
    else byDelivery.set(r.delivery_id, [r]);
  }
  return byDelivery;
}

/**
 * Puts a delivery back in the queue, due now, with the same id and payload, and a fresh retry
 * run. Refused (undefined) while an attempt is in flight, so a replay never races a send.
 */
export async function requeueDelivery(db: WebhooksDb, webhookId: string, id: string, now: Date): Promise<DeliveryRow | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('webhook_deliveries')
      .set((eb) => ({ status: 'pending', next_attempt_at: now, retry_base: eb.ref('attempts'), locked_until: null, locked_by: null }))
      .where('id', '=', id)
      .where('webhook_id', '=', webhookId)
      .where((eb) => eb.or([eb('status', '!=', 'pending'), eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .returningAll()
      .executeTakeFirst();
    if (row) await sql`select pg_notify(${WAKEUP_CHANNEL}, '')`.execute(trx);
    return row;
  });
}

/** Logs a test send (made before this is called) as a finished delivery with its one attempt. */
export async function insertFinishedDelivery(
  db: WebhooksDb,
  d: {
    id: string;
    webhookId: string;
    userId: string;
    event: string;
    payload: string;
    attemptedAt: Date;
    now: Date;
    ok: boolean;
    statusCode: number | null;
    latencyMs: number;
    error: string | null;
  },
): Promise<void> {
  const latency = Math.round(d.latencyMs);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('webhook_deliveries')
      .values({
        id: d.id,
        webhook_id: d.webhookId,
        user_id: d.userId,
        event: d.event,
        payload: d.payload,
        status: d.ok ? 'delivered' : 'failed',
        attempts: 1,
        retry_base: 1,
        next_attempt_at: null,
        last_attempt_at: d.attemptedAt,
        response_code: d.statusCode,
        latency_ms: latency,
        last_error: d.error,
        created_at: d.attemptedAt,
        delivered_at: d.ok ? d.now : null,
      })
      .execute();
    await trx
      .insertInto('webhook_attempts')
      .values({ delivery_id: d.id, attempt: 1, attempted_at: d.attemptedAt, status_code: d.statusCode, latency_ms: latency, error: d.error })
      .execute();
  });
}
