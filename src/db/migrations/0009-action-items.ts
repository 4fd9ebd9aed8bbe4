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
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists action_items`.execute(db);
}
