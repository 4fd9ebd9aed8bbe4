import { sql, type ExpressionBuilder, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { ConversationRow, DB, NewConversation, NewSegment, SegmentRow } from '../schema.js';
import { transcriptQuery, tsQuery } from './search.js';

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
  /** A search counts its matches up to this many (default SEARCH_TOTAL_CAP). */
  totalCap?: number;
  /** Continue after this position (from a previous page's `nextCursor`) instead of skipping `offset` rows. */
  after?: ListCursor;
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
 * Filters the counters do not cover (since, promptId, hasInsights) count their matches in the same
 * statement. A search reads the user's matching conversations from one index (migration 0008) and
 * counts them up to SEARCH_TOTAL_CAP (`capped` beyond).
 */
export async function listConversations(db: Exec, f: ListFilters): Promise<{ rows: ConversationRow[]; total: number; next: ListCursor | null; capped?: boolean }> {
  let q = liveForUser(db, f.userId);
  if (f.search) q = q.where(matchesSearch(f.search));
  if (f.since) q = q.where(sql<Date>`coalesce(start_time, created_at)`, '>=', f.since);
  if (f.promptId) q = q.where('prompt_id', '=', f.promptId);
  if (f.status) q = q.where('status', '=', f.status as ConversationRow['status']);
  if (f.kind) q = q.where('kind', '=', f.kind as ConversationRow['kind']);
  if (f.hasInsights !== undefined) q = q.where('has_insights', '=', f.hasInsights);
  const counted = !f.search && !f.since && !f.promptId && f.hasInsights === undefined;

  const key = f.sort === 'startTime' ? sql<Date>`coalesce(start_time, created_at)` : sql<Date>`created_at`;

  if (f.search) return searchPage(db, q, key, f);

  // One row past the page says whether there is a next page. A deep offset starts from the day that
  // holds its row (the per-day counters, migration 0013) instead of walking every row before it.
  const ids = counted && !f.after && f.offset >= DEEP_OFFSET ? fromItsDay(db, key, f) : inListOrder(q, key, f);
  // The total rides along in the same statement: the counters' sum, or (a filter the counters do
  // not cover) the number of matches.
  const totalOf = counted ? liveCount(db, f.userId, f.kind, f.status) : q.select(sql<string>`count(*)::text`.as('n'));
  const page = await pageOf(db, ids, key, totalOf);
  const more = page.length > f.limit;
  if (more) page.length = f.limit;
  const last = page.at(-1);
  const next = more && last ? { key: last.sort_key, id: last.id } : null;
  // A page past the end has no row to carry the total.
  const total = Number(page[0]?.total ?? (await totalOf.executeTakeFirstOrThrow()).n);
  return { rows: page.map(rowOf), total, next };
}

/** A search counts its matches up to this many; beyond, `total` says at least this many. */
export const SEARCH_TOTAL_CAP = 10_000;
/**
 * The same on the embedded database, whose one thread runs every request's statements: counting
 * 10,000 matches there holds everyone else up for tens of milliseconds (COLLOQUY_SEARCH_TOTAL_CAP).
 */
export const EMBEDDED_SEARCH_TOTAL_CAP = 1_000;

type Key = ReturnType<typeof sql<Date>>;
type Matches = ReturnType<typeof liveForUser>;

const rowOf = ({ sort_key: _k, total: _t, ...row }: ConversationRow & { sort_key: string; total?: string | number }) => row as ConversationRow;

/** The page's ids (and one more) walking the list in order: after the cursor, or past `offset` rows. */
function inListOrder(q: Matches, key: Key, f: ListFilters) {
  const ids = q.select('id').orderBy(key, 'desc').orderBy('id', 'desc').limit(f.limit + 1);
  if (f.after) return ids.where(sql<boolean>`(${key}, id) < (${f.after.key}::timestamptz, ${f.after.id})`);
  return f.offset ? ids.offset(f.offset) : ids;
}

/** From this offset on, a page is found through the per-day counters (below it, walking is as cheap). */
export const DEEP_OFFSET = 1_000;

/**
 * The page's ids at a deep offset: the per-day counters are summed by month, newest first, to find
 * the month holding row `offset`, then that month's days to find its day and how many rows come
 * before it; the list's
 * index is then walked from the end of that day, skipping only the rows of that day before the
 * page. One statement, so the counters and the rows are read from one snapshot. Past the end, no day
 * is found and the page is empty.
 */
function fromItsDay(db: Exec, key: Key, f: ListFilters) {
  const sort = f.sort === 'startTime' ? 'start' : 'created';
  const kind = f.kind ? sql`and kind = ${f.kind}` : sql``;
  const status = f.status ? sql`and status = ${f.status}` : sql``;
  // Months first (a few hundred rows at most for years of meetings), then the days of the month that
  // holds the row: years of daily meetings cost a month's days, not every day.
  // In parentheses: a raw CTE body is written as it is.
  const found = sql<{ day: string; before: string }>`(
    with months as (
      select date_trunc('month', day)::date as month, sum(n::int) as n from conversation_days
      where user_id = ${f.userId} and sort = ${sort} ${kind} ${status}
      group by 1 having sum(n::int) > 0
    ), m as (
      select month, before from (
        select month, n, coalesce(sum(n) over (order by month desc rows between unbounded preceding and 1 preceding), 0) as before from months
      ) x where before + n > ${f.offset} order by month desc limit 1
    ), days as (
      select day, sum(n::int) as n from conversation_days, m
      where user_id = ${f.userId} and sort = ${sort} ${kind} ${status}
        and day >= m.month and day < (m.month + interval '1 month')::date
      group by day having sum(n::int) > 0
    )
    select d.day, d.before from (
      select day, n, (select before from m) + coalesce(sum(n) over (order by day desc rows between unbounded preceding and 1 preceding), 0) as before from days
    ) d where d.before + d.n > ${f.offset} order by d.day desc limit 1
  )`;
  // The day is found once (a CTE used twice is computed once) and bounds the walk and its skip. Only
  // the counters' filters (kind, status) reach here (`counted`), so they are all the walk needs.
  let q = db.with('h', () => found).selectFrom('conversations').where('user_id', '=', f.userId).where('deleted_at', 'is', null);
  if (f.status) q = q.where('status', '=', f.status as ConversationRow['status']);
  if (f.kind) q = q.where('kind', '=', f.kind as ConversationRow['kind']);
  return q
    .select('id')
    .where(key, '<', sql<Date>`(select (h.day + 1)::timestamp at time zone 'UTC' from h)`)
    .orderBy(key, 'desc')
    .orderBy('id', 'desc')
    .offset(sql<number>`(select ${f.offset}::bigint - h.before from h)`)
    .limit(f.limit + 1);
}

/** The rows of these ids in list order, each with its sort key as text (and the total, when given). */
function pageOf(db: Exec, ids: SelectQueryBuilder<any, any, { id: string }>, key: Key, totalOf?: SelectQueryBuilder<any, any, { n: string }>) {
  return db
    .selectFrom('conversations')
    .select(conversationColumns)
    .select(sql<string>`(${key})::text`.as('sort_key'))
    .$if(totalOf !== undefined, (qb) => qb.select(sql<string>`(${totalOf!})`.as('total')))
    .where('id', 'in', ids)
    .orderBy(key, 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/**
 * A search's page, whatever the number of matches. First the matches are counted up to the cap, from
 * the search index when they are few (no order asked, so nothing tempts the planner to walk the whole
 * list in order looking for rare ones). Few matches: the page comes from all of them, found through
 * the index and sorted (the `offset 0` keeps the planner from walking the list in order). Many: they
 * are dense, so walking the list in order finds the page's rows at once.
 */
async function searchPage(db: Exec, q: Matches, key: Key, f: ListFilters): Promise<{ rows: ConversationRow[]; total: number; next: ListCursor | null; capped: boolean }> {
  const cap = f.totalCap ?? SEARCH_TOTAL_CAP;
  const counted = await db
    .selectFrom(q.select(sql<number>`1`.as('one')).limit(cap + 1).as('m'))
    .select(sql<string>`count(*)::text`.as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(counted.n);
  const capped = n > cap;
  let ids: SelectQueryBuilder<any, any, { id: string }>;
  if (capped) {
    ids = inListOrder(q, key, f);
  } else {
    const all = db.selectFrom(q.select(['id', key.as('k')]).offset(0).as('m'));
    ids = all.select('m.id as id').orderBy('m.k', 'desc').orderBy('m.id', 'desc').limit(f.limit + 1);
    if (f.after) ids = ids.where(sql<boolean>`(m.k, m.id) < (${f.after.key}::timestamptz, ${f.after.id})`);
    else if (f.offset) ids = ids.offset(f.offset);
  }
  const page = n === 0 ? [] : await pageOf(db, ids, key);
  const more = page.length > f.limit;
  if (more) page.length = f.limit;
  const last = page.at(-1);
  return { rows: page.map(rowOf), total: Math.min(n, cap), next: more && last ? { key: last.sort_key, id: last.id } : null, capped };
}

/**
 * A conversation matches a search when its title or its transcript has the query's words
 * (`websearch_to_tsquery`: words, "quoted phrases", -excluded, or), or its title contains the text.
 * All three are columns of one partial GIN index led by the user (migration 0008). A quoted phrase
 * must also be said within one segment: the transcript's words carry no positions.
 */
export function matchesSearch(term: string) {
  const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const query = tsQuery(term);
  const inTranscript = term.includes('"')
    ? sql<boolean>`(conversations.transcript_search @@ ${transcriptQuery(term)} and exists (select 1 from segments s where s.conversation_id = conversations.id and s.search @@ ${query}))`
    : sql<boolean>`conversations.transcript_search @@ ${query}`;
  return (eb: ExpressionBuilder<DB, 'conversations'>) =>
    eb.or([sql<boolean>`conversations.search @@ ${query}`, eb('title', 'ilike', like), inTranscript]);
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

/** A page of the user's deleted conversations (the trash), most recently deleted first, and how many there are. */
export async function listDeletedConversations(db: Exec, userId: string, f: { limit: number; offset: number; id?: string }): Promise<{ rows: ConversationRow[]; total: number }> {
  let q = db.selectFrom('conversations').where('user_id', '=', userId).where('deleted_at', 'is not', null);
  if (f.id) q = q.where('id', '=', f.id);
  const [rows, count] = await Promise.all([
    q.select(conversationColumns).orderBy('deleted_at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute() as Promise<ConversationRow[]>,
    q.select(sql<string>`count(*)::text`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/**
 * What a list row shows beside the title: the stored key points' summary (insights' for chats
 * without key points) and who spoke (among the first 2,000 segments, so a huge meeting costs the
 * same as a long one).
 */
export async function listOverviews(db: Exec, ids: string[]): Promise<Map<string, { summary: string | null; speakers: string[] }>> {
  if (!ids.length) return new Map();
  const r = await sql<{ id: string; summary: string | null; speakers: unknown }>`
    select c.id,
      coalesce(
        (select a.result->>'summary' from analyses a where a.conversation_id = c.id and a.kind = 'keypoints'),
        (select a.result->>'summary' from analyses a where a.conversation_id = c.id and a.kind = 'insights')
      ) as summary,
      (select coalesce(jsonb_agg(distinct s.speaker), '[]'::jsonb)
         from (select speaker from segments where conversation_id = c.id order by idx limit 2000) s) as speakers
    from conversations c where c.id = any(${ids}::text[])`.execute(db);
  return new Map(
    r.rows.map((row) => {
      const speakers = typeof row.speakers === 'string' ? JSON.parse(row.speakers) : row.speakers;
      return [row.id, { summary: row.summary, speakers: Array.isArray(speakers) ? speakers.filter((s): s is string => typeof s === 'string' && s !== '') : [] }];
    }),
  );
}
