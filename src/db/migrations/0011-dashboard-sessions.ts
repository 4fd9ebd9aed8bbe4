import { sql, type Kysely } from 'kysely';

// Dashboard sessions: the dashboard exchanges an API key for a session kept in an HttpOnly cookie,
// so that its own requests are counted against their own generous limit instead of the hourly API
// quota meant for integrations. Only a hash of the session token is stored; the CSRF token is
// compared to the X-CSRF-Token header on state-changing requests. A session ends with its key
// (revoked keys are checked on every request) and is deleted on sign-out.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table dashboard_sessions (
    id text primary key,
    user_id text not null references users(id) on delete cascade,
    key_id text not null references api_keys(id) on delete cascade,
    csrf_token text not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null
  )`.execute(db);
  await sql`create index dashboard_sessions_user on dashboard_sessions (user_id)`.execute(db);
  await sql`create index dashboard_sessions_expires on dashboard_sessions (expires_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists dashboard_sessions`.execute(db);
}
