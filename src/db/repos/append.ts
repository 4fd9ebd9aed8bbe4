import { sql, type Kysely, type Transaction } from 'kysely';
import type { ConversationRow, DB } from '../schema.js';

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

/**
 * An append as one statement: it locks the conversation row, numbers the new segments after the
 * current last one, updates the conversation, and writes `conversation.updated` to the outbox for
 * every subscribed webhook — all or nothing, in one round trip. A status change away from a final
 * status (completed, abandoned) changes nothing and is reported as a conflict.
 */
export async function appendStatement(db: Kysely<DB> | Transaction<DB>, a: AppendStatementInput): Promise<AppendOutcome> {
  const n = a.segments.length;
  const times = a.segments.map((s) => s.ts).filter((t): t is Date => t instanceof Date);
  const first = times[0] ?? null;
  const last = times.length ? new Date(Math.max(...times.map((t) => t.getTime()))) : null;
  const metadata = a.metadata ? JSON.stringify(a.metadata) : null;
  const timestamp = a.now.toISOString();
  const r = await sql<ConversationRow & { previous_status: ConversationRow['status']; allowed: boolean; found: boolean }>`
    with old as (
      select id, status, segment_count, title from conversations
      where id = ${a.conversationId} and user_id = ${a.userId} and deleted_at is null
      for update
    ), ok as (
      select old.*, (${a.status}::text is null or ${a.status}::text = old.status
                     or old.status not in ('completed', 'abandoned')) as allowed
      from old
    ), upd as (
      update conversations c set
        segment_count = c.segment_count + ${n}::int,
        updated_at = now(),
        status = coalesce(${a.status}::text, c.status),
        metadata = case when ${metadata}::jsonb is null then c.metadata else c.metadata || ${metadata}::jsonb end,
        end_time = case when ${last}::timestamptz is not null and (c.end_time is null or c.end_time < ${last}::timestamptz)
                        then ${last}::timestamptz else c.end_time end,
        start_time = coalesce(c.start_time, ${first}::timestamptz)
      from ok where c.id = ok.id and ok.allowed
      returning c.id, c.user_id, c.title, c.kind, c.status, c.start_time, c.end_time, c.prompt_id, c.llm_model,
                c.company_name, c.metadata, c.segment_count, c.has_insights, c.share_token, c.created_at,
                c.updated_at, c.deleted_at
    ), ins as (
      insert into segments (conversation_id, idx, speaker, text, ts, role, extra)
      select ok.id, ok.segment_count + v.ord::int - 1, v.speaker, v.text, v.ts, v.role, v.extra
      from ok, unnest(${a.segments.map((s) => s.speaker)}::text[], ${a.segments.map((s) => s.text)}::text[],
                      ${a.segments.map((s) => (s.ts ? s.ts.toISOString() : null))}::timestamptz[],
                      ${a.segments.map((s) => s.role)}::text[], ${a.segments.map((s) => s.extra)}::jsonb[])
           with ordinality as v(speaker, text, ts, role, extra, ord)
      where ok.allowed
      returning 1
    ), hooks as (
      insert into webhook_deliveries (id, webhook_id, user_id, event, payload, status, next_attempt_at, created_at)
      select 'msg_' || replace(gen_random_uuid()::text, '-', ''), w.id, ${a.userId}, 'conversation.updated',
             json_build_object('event', 'conversation.updated',
                               'data', json_build_object('conversationId', ok.id, 'title', ok.title,
                                                         'changedFields', ${JSON.stringify(a.changedFields)}::json),
                               'timestamp', ${timestamp}::text)::text,
             'pending', ${a.now}::timestamptz, ${a.now}::timestamptz
      from ok join webhooks w on w.user_id = ${a.userId}
      where ok.allowed and w.deleted_at is null and w.disabled_at is null and w.events ? 'conversation.updated'
      returning 1
    ), wake as (
      select pg_notify('colloquy_webhooks', '') from (select 1 from hooks limit 1) h
    )
    select upd.*, ok.status as previous_status, ok.allowed, true as found,
           (select count(*) from ins) as inserted, (select count(*) from wake) as woke
    from ok left join upd on upd.id = ok.id`.execute(db);
  const row = r.rows[0];
  if (!row) return { kind: 'not_found' };
  if (!row.allowed) return { kind: 'status_conflict', current: row.previous_status };
  const { previous_status, allowed: _a, found: _f, inserted: _i, woke: _w, ...conv } = row as typeof row & { inserted: unknown; woke: unknown };
  return { kind: 'ok', row: conv as ConversationRow, previousStatus: previous_status };
}
