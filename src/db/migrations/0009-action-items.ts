import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

// Action items tracked across conversations (GET/PATCH /action-items). Each row is one action item
// of a conversation's stored key points, kept in step with them in the same transaction that stores
// them; its id survives regenerations. `edited` names the fields a person set (status, owner,
// dueDate), which later regenerations leave alone. Lists are read in (due date, seq) order from one
// index per user and status, so a page costs the same at any number of items.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table action_items (
    id text primary key,
    user_id text not null references users(id) on delete cascade,
    conversation_id text not null references conversations(id) on delete cascade,
    seq bigint generated always as identity,
    item text not null,
    owner text,
    due_date date,
    priority text not null,
    confidence double precision not null,
    evidence jsonb not null default '[]',
    status text not null default 'open' check (status in ('open', 'done', 'dismissed')),
    suggested_status text check (suggested_status in ('done')),
    mentions jsonb not null default '[]',
    edited jsonb not null default '[]',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`.execute(db);
  // Items without a due date sort last ('infinity'); seq breaks ties in the order items were found.
  await sql`create index action_items_user_status_due on action_items (user_id, status, (coalesce(due_date, 'infinity'::date)), seq)`.execute(db);
  await sql`create index action_items_conversation on action_items (conversation_id)`.execute(db);
  await backfillActionItems(db);
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `act_` and 20 base62 characters, as the server's id generator makes them (kept here: migrations do not change). */
function actionItemId(): string {
  let out = '';
  while (out.length < 20) for (const b of randomBytes(40)) if (b < 248 && out.length < 20) out += BASE62[b % 62];
  return `act_${out}`;
}

function calendarDate(d: unknown): string | null {
  if (typeof d !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(d) || d < '0001-01-01') return null;
  const t = Date.parse(`${d}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d ? d : null;
}

/**
 * Key points stored before action items were tracked: each of their action items gets an id (written
 * into the stored JSON too) and a tracked row, read a batch of conversations at a time.
 */
export async function backfillActionItems(db: Kysely<any>, batch = 500): Promise<number> {
  let after = '';
  let added = 0;
  for (;;) {
    const rows = await db
      .selectFrom('analyses as a')
      .innerJoin('conversations as c', 'c.id', 'a.conversation_id')
      .select(['a.conversation_id', 'a.result', 'a.created_at', 'c.user_id'])
      .where('a.kind', '=', 'keypoints')
      .where('a.conversation_id', '>', after)
      .orderBy('a.conversation_id')
      .limit(batch)
      .execute();
    if (!rows.length) return added;
    for (const r of rows) {
      const result = typeof r.result === 'string' ? JSON.parse(r.result) : r.result;
      const items: any[] = Array.isArray(result?.actionItems) ? result.actionItems : [];
      const values = [];
      for (const it of items) {
        if (!it || typeof it !== 'object' || typeof it.item !== 'string' || typeof it.id === 'string') continue;
        it.id = actionItemId();
        values.push({
          id: it.id,
          user_id: r.user_id,
          conversation_id: r.conversation_id,
          item: it.item,
          owner: typeof it.owner === 'string' ? it.owner : null,
          due_date: calendarDate(it.dueDate),
          priority: typeof it.priority === 'string' ? it.priority : 'medium',
          confidence: typeof it.confidence === 'number' ? it.confidence : 0.5,
          evidence: JSON.stringify(Array.isArray(it.evidence) ? it.evidence : []),
          created_at: r.created_at,
          updated_at: r.created_at,
        });
      }
      if (!values.length) continue;
      await db.insertInto('action_items').values(values).execute();
      await db.updateTable('analyses').set({ result: JSON.stringify(result) }).where('conversation_id', '=', r.conversation_id).where('kind', '=', 'keypoints').execute();
      added += values.length;
    }
    after = rows.at(-1)!.conversation_id;
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists action_items`.execute(db);
}
