import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../schema.js';

type Db = Kysely<DB> | Transaction<DB>;

export type ActionItemStatus = 'open' | 'done' | 'dismissed';

export interface ActionItemRow {
  id: string;
  user_id: string;
  conversation_id: string;
  seq: string;
  item: string;
  owner: string | null;
  due_date: string | null;
  priority: string;
  confidence: number;
  evidence: Array<{ segmentIndex: number; quote: string }>;
  status: ActionItemStatus;
  suggested_status: 'done' | null;
  mentions: Array<{ conversationId: string; segmentIndex: number; quote: string; suggestsDone: boolean }>;
  edited: string[];
  created_at: Date;
  updated_at: Date;
}

export interface ListedActionItemRow extends ActionItemRow {
  title: string;
  start_time: Date | null;
}

// Dates are read as text: drivers turn a `date` into a Date at local midnight, a day off elsewhere.
const columns = [
  'a.id',
  'a.user_id',
  'a.conversation_id',
  sql<string>`a.seq::text`.as('seq'),
  'a.item',
  'a.owner',
  sql<string | null>`to_char(a.due_date, 'YYYY-MM-DD')`.as('due_date'),
  'a.priority',
  'a.confidence',
  'a.evidence',
  'a.status',
  'a.suggested_status',
  'a.mentions',
  'a.edited',
  'a.created_at',
  'a.updated_at',
] as const;

/** Every item of one conversation (for keeping them in step with its key points). */
export async function itemsOfConversation(db: Db, conversationId: string): Promise<ActionItemRow[]> {
  return (await db.selectFrom('action_items as a').select(columns).where('a.conversation_id', '=', conversationId).orderBy('a.seq').execute()) as ActionItemRow[];
}

/** One item of a user whose conversation is live; `lock` holds it for an update. */
export async function findActionItem(db: Db, userId: string, id: string, lock = false): Promise<ListedActionItemRow | undefined> {
  let q = db
    .selectFrom('action_items as a')
    .innerJoin('conversations as c', 'c.id', 'a.conversation_id')
    .select([...columns, 'c.title', 'c.start_time'])
    .where('a.id', '=', id)
    .where('a.user_id', '=', userId)
    .where('c.deleted_at', 'is', null);
  if (lock) q = q.forUpdate('a');
  return (await q.executeTakeFirst()) as ListedActionItemRow | undefined;
}

export interface ListFilters {
  userId: string;
  status: ActionItemStatus;
  owner?: string;
  /** YYYY-MM-DD: items due strictly before it (items without a due date are left out). */
  dueBefore?: string;
  conversationId?: string;
  limit: number;
  /** Keyset position: the last row's due date ('infinity' when none) and seq. */
  after?: { due: string; seq: string };
}

/**
 * One page in (due date, seq) order, soonest due first and undated last, read along the index
 * (user_id, status, coalesce(due_date, 'infinity'), seq); one row more than asked, to tell if
 * another page follows.
 */
export async function listActionItems(db: Db, f: ListFilters): Promise<ListedActionItemRow[]> {
  const due = sql`coalesce(a.due_date, 'infinity'::date)`;
  let q = db
    .selectFrom('action_items as a')
    .innerJoin('conversations as c', 'c.id', 'a.conversation_id')
    .select([...columns, 'c.title', 'c.start_time'])
    .where('a.user_id', '=', f.userId)
    .where('a.status', '=', f.status)
    .where('c.deleted_at', 'is', null);
  if (f.owner !== undefined) q = q.where(sql`lower(a.owner)`, '=', f.owner.toLowerCase());
  if (f.dueBefore !== undefined) q = q.where(due, '<', sql`${f.dueBefore}::date`);
  if (f.conversationId !== undefined) q = q.where('a.conversation_id', '=', f.conversationId);
  if (f.after) q = q.where(sql<boolean>`(${due}, a.seq) > (${f.after.due}::date, ${f.after.seq}::bigint)`);
  return (await q.orderBy(due).orderBy('a.seq').limit(f.limit + 1).execute()) as ListedActionItemRow[];
}

/**
 * A user's open items from other live conversations that took place before `before` (meeting start,
 * else creation), the most recent `cap` of them: the items a new conversation may mention.
 */
export async function openItemsBefore(db: Db, userId: string, conversationId: string, before: Date, cap: number): Promise<ActionItemRow[]> {
  return (await db
    .selectFrom('action_items as a')
    .innerJoin('conversations as c', 'c.id', 'a.conversation_id')
    .select(columns)
    .where('a.user_id', '=', userId)
    .where('a.status', '=', 'open')
    .where('a.conversation_id', '<>', conversationId)
    .where('c.deleted_at', 'is', null)
    .where(sql<Date>`coalesce(c.start_time, c.created_at)`, '<=', before)
    .orderBy('a.seq', 'desc')
    .limit(cap)
    .execute()) as ActionItemRow[];
}

/**
 * The user's live conversations after `after` (meeting start, else creation) whose transcript says at
 * least two of `words` (any two, English stemming), soonest first, at most `cap`: where an item of an
 * earlier conversation may be mentioned. Read from the per-user search index (migration 0008).
 */
export async function laterConversationsSaying(db: Db, userId: string, conversationId: string, after: Date, words: string[], cap: number): Promise<string[]> {
  const pairs: string[] = [];
  for (let i = 0; i < words.length; i++) for (let j = i + 1; j < words.length; j++) pairs.push(`(${words[i]} & ${words[j]})`);
  if (!pairs.length) return [];
  const at = sql<Date>`coalesce(start_time, created_at)`;
  const rows = await db
    .selectFrom('conversations')
    .select('id')
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .where('id', '<>', conversationId)
    .where(at, '>', after)
    .where(sql<boolean>`transcript_search @@ to_tsquery('english', ${pairs.join(' | ')})`)
    .orderBy(at)
    .limit(cap)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Sets fields of one action item (by its tracked id) inside the conversation's stored key points, in
 * place: the list keeps its order and every other item as it was.
 */
export async function patchStoredItem(db: Kysely<DB> | Transaction<DB>, conversationId: string, id: string, fields: Record<string, unknown>): Promise<void> {
  await sql`update analyses set result = jsonb_set(result, '{actionItems}', (
      select coalesce(jsonb_agg(case when x->>'id' = ${id} then x || ${JSON.stringify(fields)}::jsonb else x end order by ord), '[]'::jsonb)
      from jsonb_array_elements(result->'actionItems') with ordinality t(x, ord)))
    where conversation_id = ${conversationId} and kind = 'keypoints' and jsonb_typeof(result->'actionItems') = 'array'`.execute(db);
}
