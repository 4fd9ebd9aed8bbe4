import { sql, type Kysely } from 'kysely';

// One calendar source per user. `config` holds what the source needs to be read: the feed URL for
// 'ics'; the OAuth refresh token, client id/secret and calendar id for 'google'. The API never
// returns the secret parts of it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table calendar_sources (
    user_id text primary key references users(id) on delete cascade,
    type text not null check (type in ('ics', 'google')),
    config jsonb not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists calendar_sources`.execute(db);
}
