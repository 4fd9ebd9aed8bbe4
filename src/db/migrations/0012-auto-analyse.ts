import { sql, type Kysely } from 'kysely';

// "Analyse new conversations automatically": a per-user setting (null follows the plan: on where AI
// credits are unlimited, off where they are limited), and one row per conversation the background
// key-point job has looked at, saying what it did (generated, or why it skipped: no credits left,
// key points already there, …), so a conversation without key points can say why.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table users add column auto_analyse boolean`.execute(db);
  await sql`create table auto_analyses (
    conversation_id text primary key references conversations(id) on delete cascade,
    user_id text not null references users(id) on delete cascade,
    outcome text not null,
    reason text,
    updated_at timestamptz not null default now()
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists auto_analyses`.execute(db);
  await sql`alter table users drop column if exists auto_analyse`.execute(db);
}
