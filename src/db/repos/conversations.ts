import { sql, type Kysely, type Transaction } from 'kysely';
import type { ConversationRow, DB, NewConversation, NewSegment, SegmentRow } from '../schema.js';

type Exec = Kysely<DB> | Transaction<DB>;

export interface ListFilters {
  userId: string;
  limit: number;
  offset: number;
  search?: string;
  since?: Date;
  promptId?: string;
  status?: string;
  kind?: string;
  hasInsights?: boolean;
  /** Order: newest created first (default) or latest meeting start first (start time, else creation). */
  sort?: 'createdAt' | 'startTime';
  /** Continue after this position (from a previous page's `nextCursor`) instead of skipping `offset` rows. */
  after?: ListCursor;
  /** PostgreSQL: stop the statements after this many ms (SQLSTATE 57014); 0 or absent: no limit of their own. */
  timeoutMs?: number;
}

/** A position in the list: the row's sort key as PostgreSQL text (microseconds kept) and its id. */
export interface ListCursor {
  key: string;
  id: string;
}

// Every column but the search vectors, which are large and only used inside queries.
export const conversationColumns = [
  'id', 'user_id', 'title', 'kind', 'status', 'start_time', 'end_time', 'time_zone', 'prompt_id', 'llm_model', 'company_name',
  'metadata', 'segment_count', 'has_insights', 'share_token', 'created_at', 'updated_at', 'deleted_at',
] as const;
const segmentColumns = ['conversation_id', 'idx', 'speaker', 'text', 'ts', 'role', 'extra'] as const;

function liveForUser(db: Exec, userId: string) {
  return db.selectFrom('conversations').where('user_id', '=', userId).where('deleted_at', 'is', null);
}

/**
 * One page of the user's live conversations and the exact number matching. The page is read in
 * index order (partial indexes over live rows, migration 0007): the ids of the page first, from the
 * index alone even at a deep offset, then those rows, with the total from the per-user counters.
 * Filters the counters do not cover (search, since, promptId, hasInsights) find their matches once
 * and count them in the same statement.
 */
export async function listConversations(db: Exec, f: ListFilters): Promise<{ rows: ConversationRow[]; total: number; next: ListCursor | null }> {
  if (f.timeoutMs && !db.isTransaction) {
    const ms = f.timeoutMs;
    return (db as Kysely<DB>).transaction().execute(async (trx) => {
      await sql`select set_config('statement_timeout', ${String(ms)}, true)`.execute(trx);
      return listConversations(trx, f);
    });
  }
  let q = liveForUser(db, f.userId);
  if (f.search) {
    const term = f.search;
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        sql<boolean>`conversations.search @@ websearch_to_tsquery('english', ${term})`,
        eb('title', 'ilike', like),
        sql<boolean>`exists (select 1 from segments s where s.conversation_id = conversations.id and s.search @@ websearch_to_tsquery('english', ${term}))`,
      ]),
    );
  }
  if (f.since) q = q.where(sql<Date>`coalesce(start_time, created_at)`, '>=', f.since);
  if (f.promptId) q = q.where('prompt_id', '=', f.promptId);
  if (f.status) q = q.where('status', '=', f.status as ConversationRow['status']);
  if (f.kind) q = q.where('kind', '=', f.kind as ConversationRow['kind']);
  if (f.hasInsights !== undefined) q = q.where('has_insights', '=', f.hasInsights);
  const counted = !f.search && !f.since && !f.promptId && f.hasInsights === undefined;

  const key = f.sort === 'startTime' ? sql<Date>`coalesce(start_time, created_at)` : sql<Date>`created_at`;
  const rowOf = ({ sort_key: _k, total: _t, ...row }: ConversationRow & { sort_key: string; total: string | number }) => row as ConversationRow;

  if (!counted && !f.after) {
    // A search or another filter the counters do not cover: one statement gives the page and the
    // number of matches (a window count), which costs what finding the matches costs anyway.
    const page = await q
      .select(conversationColumns)
      .select(sql<string>`(${key})::text`.as('sort_key'))
      .select(sql<number>`(count(*) over ())::int`.as('total'))
      .orderBy(key, 'desc')
      .orderBy('id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    // Only a page past the end, which has no row to carry the total, needs a second statement.
    const total = page.length > 0 ? page[0].total : (await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
    const last = page.at(-1);
    const next = last && f.offset + page.length < total ? { key: last.sort_key, id: last.id } : null;
    return { rows: page.map(rowOf), total, next };
  }

  // One row past the page says whether there is a next page.
  let ids = q.select('id').orderBy(key, 'desc').orderBy('id', 'desc').limit(f.limit + 1);
  if (f.after) {
    const { key: k, id } = f.after;
    ids = ids.where(sql<boolean>`(${key}, id) < (${k}::timestamptz, ${id})`);
  } else if (f.offset) ids = ids.offset(f.offset);
  // The total rides along in the same statement: the counters' sum, or (a cursor on a filtered
  // list) the number of matches.
  const totalOf = counted ? liveCount(db, f.userId, f.kind, f.status) : q.select(sql<string>`count(*)::text`.as('n'));
  const page = await db
    .selectFrom('conversations')
    .select(conversationColumns)
    .select(sql<string>`(${key})::text`.as('sort_key'))
    .select(sql<string>`(${totalOf})`.as('total'))
    .where('id', 'in', ids)
    .orderBy(key, 'desc')
    .orderBy('id', 'desc')
    .execute();
  const more = page.length > f.limit;
  if (more) page.length = f.limit;
  const last = page.at(-1);
  const next = more && last ? { key: last.sort_key, id: last.id } : null;
  // A page past the end has no row to carry the total.
  const total = Number(page[0]?.total ?? (await totalOf.executeTakeFirstOrThrow()).n);
  return { rows: page.map(rowOf), total, next };
}

/** Live conversations of a user from the trigger-kept counters (optionally of one kind and status), as text. */
function liveCount(db: Exec, userId: string, kind?: string, status?: string) {
  let q = db.selectFrom('conversation_counts').select(sql<string>`coalesce(sum(n), 0)::text`.as('n')).where('user_id', '=', userId);
  if (kind) q = q.where('kind', '=', kind);
  if (status) q = q.where('status', '=', status);
  return q;
}

export function findConversation(db: Exec, userId: string, id: string, opts: { includeDeleted?: boolean; forUpdate?: boolean } = {}) {
  let q = db.selectFrom('conversations').select(conversationColumns).where('id', '=', id).where('user_id', '=', userId);
  if (!opts.includeDeleted) q = q.where('deleted_at', 'is', null);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst() as Promise<ConversationRow | undefined>;
}

/** Conversations by id, whoever owns them and deleted or not, one per id in order (undefined when missing). */
export async function findConversationsByIds(db: Exec, ids: string[]): Promise<(ConversationRow | undefined)[]> {
  const rows = (await db.selectFrom('conversations').select(conversationColumns).where('id', '=', sql<string>`any(${[...new Set(ids)]}::text[])`).execute()) as ConversationRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id));
}

export async function insertConversation(db: Exec, row: NewConversation, segments: Omit<NewSegment, 'conversation_id'>[]): Promise<ConversationRow> {
  const created = await db
    .insertInto('conversations')
    .values({ ...row, segment_count: segments.length })
    .returning(conversationColumns)
    .executeTakeFirstOrThrow();
  await insertSegments(db, row.id, segments);
  return created as ConversationRow;
}

const SEGMENT_BATCH = 1000;

export async function insertSegments(db: Exec, conversationId: string, segments: Omit<NewSegment, 'conversation_id'>[]): Promise<void> {
  for (let i = 0; i < segments.length; i += SEGMENT_BATCH) {
    const batch = segments.slice(i, i + SEGMENT_BATCH).map((s) => ({ ...s, conversation_id: conversationId }));
    await db.insertInto('segments').values(batch).execute();
  }
}

/** Appends segments after the current last one; the caller holds the conversation row lock. */
export async function appendSegments(
  db: Exec,
  conv: ConversationRow,
  segments: Omit<NewSegment, 'conversation_id' | 'idx'>[],
  patch: { status?: ConversationRow['status']; startTime?: Date; endTime?: Date | null },
): Promise<ConversationRow> {
  const start = conv.segment_count;
  await insertSegments(
    db,
    conv.id,
    segments.map((s, i) => ({ ...s, idx: start + i })),
  );
  const set: Record<string, unknown> = {
    segment_count: start + segments.length,
    updated_at: sql`now()`,
  };
  if (patch.status) set.status = patch.status;
  if (patch.startTime) set.start_time = patch.startTime;
  if (patch.endTime) set.end_time = patch.endTime;
  return (await db.updateTable('conversations').set(set as any).where('id', '=', conv.id).returning(conversationColumns).executeTakeFirstOrThrow()) as ConversationRow;
}

export async function updateConversation(db: Exec, id: string, set: Record<string, unknown>): Promise<ConversationRow> {
  return (await db
    .updateTable('conversations')
    .set({ ...set, updated_at: sql`now()` } as any)
    .where('id', '=', id)
    .returning(conversationColumns)
    .executeTakeFirstOrThrow()) as ConversationRow;
}

export async function retitle(db: Exec, id: string, title: string): Promise<ConversationRow> {
  return updateConversation(db, id, { title });
}

export function listSegments(db: Exec, conversationId: string): Promise<SegmentRow[]> {
  return db.selectFrom('segments').select(segmentColumns).where('conversation_id', '=', conversationId).orderBy('idx').execute() as Promise<SegmentRow[]>;
}

/** One page of a transcript, in order: positions `from` up to (not including) `to`. */
export function listSegmentsRange(db: Exec, conversationId: string, from: number, to: number): Promise<SegmentRow[]> {
  return db
    .selectFrom('segments')
    .select(segmentColumns)
    .where('conversation_id', '=', conversationId)
    .where('idx', '>=', from)
    .where('idx', '<', to)
    .orderBy('idx')
    .execute() as Promise<SegmentRow[]>;
}

/** The earliest segment timestamp of a transcript, or null when none has one. */
export async function firstSegmentTime(db: Exec, conversationId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('segments')
    .select('ts')
    .where('conversation_id', '=', conversationId)
    .where('ts', 'is not', null)
    .orderBy('idx')
    .limit(1)
    .executeTakeFirst();
  return row?.ts ? new Date(row.ts) : null;
}

export function findAnalysis(db: Exec, conversationId: string, kind: string) {
  return db.selectFrom('analyses').selectAll().where('conversation_id', '=', conversationId).where('kind', '=', kind).executeTakeFirst();
}

export async function findIdempotencyKey(db: Exec, userId: string, key: string) {
  return db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', key).executeTakeFirst();
}

/** Claims a key; returns false if another request holds it (waits for that one's transaction on PostgreSQL). */
export async function claimIdempotencyKey(
  db: Exec,
  row: { user_id: string; key: string; request_hash: string; conversation_id: string; created_at?: Date },
): Promise<boolean> {
  const r = await db.insertInto('idempotency_keys').values(row).onConflict((oc) => oc.columns(['user_id', 'key']).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function deleteIdempotencyKey(db: Exec, userId: string, key: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).execute();
}

export async function deleteIdempotencyKeysBefore(db: Exec, before: Date): Promise<number> {
  const r = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows ?? 0n);
}
