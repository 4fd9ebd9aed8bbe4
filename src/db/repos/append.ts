import { sql, type Kysely, type Transaction } from 'kysely';
import type { ConversationRow, DB } from '../schema.js';
import { WAKEUP_CHANNEL } from '../../domain/webhooks/wakeup.js';

export interface AppendSegment {
  speaker: string;
  text: string;
  ts: Date | null;
  role: string | null;
  /** JSON text or null. */
  extra: string | null;
}

export interface AppendStatementInput {
  userId: string;
  conversationId: string;
  segments: AppendSegment[];
  /** Requested status; null means "no change". */
  status: ConversationRow['status'] | null;
  /** Shallow-merged into metadata. */
  metadata: Record<string, unknown> | null;
  /** `conversation.updated`'s changed fields, for the outbox payload. */
  changedFields: string[];
  now: Date;
}

export type AppendOutcome =
  | { kind: 'not_found' }
  | { kind: 'status_conflict'; current: ConversationRow['status'] }
  | { kind: 'ok'; row: ConversationRow; previousStatus: ConversationRow['status'] };

/** One append, as one statement (see appendBatch). */
export async function appendStatement(db: Kysely<DB> | Transaction<DB>, a: AppendStatementInput): Promise<AppendOutcome> {
  return (await appendBatch(db, [a]))[0];
}

/**
 * Appends to several conversations as one statement: it locks the conversations (in id order, so
 * concurrent batches never deadlock), numbers each one's new segments after its current last one,
 * updates them, and writes `conversation.updated` to the outbox for every subscribed webhook — all
 * or nothing, in one round trip and one commit. A status change away from a final status
 * (completed, abandoned) changes nothing for that conversation and is reported as a conflict.
 * Each conversation may appear only once per batch. Outcomes are returned in input order.
 */
export async function appendBatch(db: Kysely<DB> | Transaction<DB>, batch: AppendStatementInput[]): Promise<AppendOutcome[]> {
  const ids = new Set(batch.map((a) => a.conversationId));
  if (ids.size !== batch.length) throw new Error('appendBatch: a conversation appears twice in one batch');
  const input = JSON.stringify(
    batch.map((a, i) => {
      const times = a.segments.flatMap((s) => (s.ts instanceof Date ? [s.ts.getTime()] : []));
      return {
        i,
        user_id: a.userId,
        conversation_id: a.conversationId,
        status: a.status,
        metadata: a.metadata,
        changed: a.changedFields,
        first: times.length ? new Date(Math.min(...times)).toISOString() : null,
        last: times.length ? new Date(Math.max(...times)).toISOString() : null,
        now: a.now.toISOString(),
        stamp: a.now.toISOString(),
        n: a.segments.length,
        segments: a.segments.map((s) => ({ speaker: s.speaker, text: s.text, ts: s.ts ? s.ts.toISOString() : null, role: s.role, extra: s.extra })),
      };
    }),
  );
  const r = await sql<ConversationRow & { i: number; previous_status: ConversationRow['status'] | null; allowed: boolean | null }>`
    with input as (
      select * from jsonb_to_recordset(${input}::jsonb) as x(i int, user_id text, conversation_id text, status text, metadata jsonb,
                                                             changed jsonb, first timestamptz, last timestamptz, now timestamptz, stamp text,
                                                             n int, segments jsonb)
    ), old as (
      select c.id, c.user_id, c.status, c.segment_count, c.title from conversations c
      where c.id in (select conversation_id from input) and c.deleted_at is null
      order by c.id
      for update
    ), ok as (
      select input.*, old.status as old_status, old.segment_count, old.title,
             (input.status is null or input.status = old.status or old.status not in ('completed', 'abandoned')) as allowed
      from input join old on old.id = input.conversation_id and old.user_id = input.user_id
    ), upd as (
      update conversations c set
        segment_count = c.segment_count + ok.n,
        updated_at = now(),
        status = coalesce(ok.status, c.status),
        metadata = case when ok.metadata is null then c.metadata else c.metadata || ok.metadata end,
        end_time = case when ok.last is not null and (c.end_time is null or c.end_time < ok.last) then ok.last else c.end_time end,
        start_time = coalesce(c.start_time, ok.first)
      from ok where c.id = ok.conversation_id and ok.allowed
      returning c.id, c.user_id, c.title, c.kind, c.status, c.start_time, c.end_time, c.time_zone, c.prompt_id, c.llm_model,
                c.company_name, c.metadata, c.segment_count, c.has_insights, c.share_token, c.created_at,
                c.updated_at, c.deleted_at
    ), ins as (
      insert into segments (conversation_id, idx, speaker, text, ts, role, extra)
      select ok.conversation_id, ok.segment_count + v.ord::int - 1, v.e->>'speaker', v.e->>'text', (v.e->>'ts')::timestamptz,
             v.e->>'role', (v.e->>'extra')::jsonb
      from ok cross join lateral jsonb_array_elements(ok.segments) with ordinality as v(e, ord)
      where ok.allowed
      returning 1
    ), hooks as (
      insert into webhook_deliveries (id, webhook_id, user_id, event, payload, status, next_attempt_at, created_at)
      select 'msg_' || replace(gen_random_uuid()::text, '-', ''), w.id, ok.user_id, 'conversation.updated',
             json_build_object('event', 'conversation.updated',
                               'data', json_build_object('conversationId', ok.conversation_id, 'title', ok.title,
                                                         'changedFields', ok.changed),
                               'timestamp', ok.stamp)::text,
             'pending', ok.now, ok.now
      from ok join webhooks w on w.user_id = ok.user_id
      where ok.allowed and w.deleted_at is null and w.disabled_at is null and w.events ? 'conversation.updated'
      returning 1
    ), wake as (
      select pg_notify(${WAKEUP_CHANNEL}, '') from (select 1 from hooks limit 1) h
    )
    select input.i, ok.allowed, ok.old_status as previous_status, upd.*,
           (select count(*) from ins) as inserted, (select count(*) from wake) as woke
    from input left join ok on ok.i = input.i left join upd on upd.id = ok.conversation_id
    order by input.i`.execute(db);
  return r.rows.map((row) => {
    if (row.allowed === null) return { kind: 'not_found' };
    if (!row.allowed) return { kind: 'status_conflict', current: row.previous_status! };
    const { i: _i, previous_status, allowed: _a, inserted: _n, woke: _w, ...conv } = row as typeof row & { inserted: unknown; woke: unknown };
    return { kind: 'ok', row: conv as ConversationRow, previousStatus: previous_status! };
  });
}
