import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { IdGenerator } from '../ids.js';
import { buildPayload, type WebhookEvent } from '../../integrations/webhooks/events.js';
import { WAKEUP_CHANNEL } from './wakeup.js';


export interface OutboxEvent {
  event: WebhookEvent;
  data: Record<string, unknown>;
}

/**
 * The transactional outbox: called inside the transaction of the change that causes the events, it
 * writes one pending delivery per subscribed, enabled webhook of the user. If the change rolls back,
 * so do its deliveries; if it commits, the delivery worker will find them even after a crash.
 * The payload is fixed here so that every retry sends the same bytes under the same webhook-id.
 */
export async function enqueueEvents(
  trx: Transaction<DB> | Kysely<DB>,
  newId: IdGenerator,
  userId: string,
  events: OutboxEvent[],
  now: Date = new Date(),
): Promise<number> {
  if (!events.length) return 0;
  const hooks = await trx
    .selectFrom('webhooks')
    .select(['id', 'events'])
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .where('disabled_at', 'is', null)
    .execute();
  if (!hooks.length) return 0;
  const rows = [];
  for (const [seq, e] of events.entries()) {
    // Validated against the event's seed fields: a malformed event fails the change, not the receiver.
    const payload = buildPayload(e.event, e.data as never, now);
    // Events of one change share `now`; a microsecond step per event keeps them in the order
    // they were emitted (the worker sends by created_at) without changing any visible timestamp.
    const createdAt = seq === 0 ? now : sql<Date>`${now}::timestamptz + ${seq}::int * interval '1 microsecond'`;
    for (const h of hooks) {
      const subscribed = h.events as unknown as string[];
      if (!subscribed.includes(e.event)) continue;
      rows.push({
        id: newId('msg'),
        webhook_id: h.id,
        user_id: userId,
        event: e.event,
        payload,
        status: 'pending' as const,
        next_attempt_at: now,
        created_at: createdAt,
      });
    }
  }
  if (!rows.length) return 0;
  await trx.insertInto('webhook_deliveries').values(rows).execute();
  // Wakes listening workers at commit (PostgreSQL); on PGlite the in-process worker polls instead.
  await sql`select pg_notify(${WAKEUP_CHANNEL}, '')`.execute(trx);
  return rows.length;
}
