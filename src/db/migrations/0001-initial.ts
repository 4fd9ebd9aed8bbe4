import { sql, type Kysely } from 'kysely';

// Plain SQL so the same statements run unchanged on PostgreSQL and on PGlite.
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table users (
      id text primary key,
      email text not null,
      name text not null,
      tier text not null,
      timezone text not null default 'UTC',
      language text not null default 'en',
      created_at timestamptz not null default now()
    )`,
    sql`create unique index users_email on users (lower(email))`,
    sql`create table api_keys (
      id text primary key,
      user_id text not null references users(id) on delete cascade,
      name text not null,
      prefix text not null,
      hash text not null unique,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    )`,
    sql`create index api_keys_user on api_keys(user_id)`,
    sql`create table conversations (
      id text primary key,
      user_id text not null references users(id) on delete cascade,
      title text not null,
      kind text not null check (kind in ('meeting', 'chat')),
      status text not null check (status in ('active', 'in_progress', 'completed', 'abandoned')),
      start_time timestamptz,
      end_time timestamptz,
      prompt_id text,
      llm_model text,
      company_name text,
      metadata jsonb not null default '{}'::jsonb,
      segment_count integer not null default 0,
      has_insights boolean not null default false,
      share_token text unique,
      -- Title search; transcript text is searched through segments.search.
      search tsvector generated always as (to_tsvector('english', title)) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz
    )`,
    sql`create index conversations_user_created on conversations(user_id, created_at desc, id desc)`,
    sql`create index conversations_search on conversations using gin(search)`,
    sql`create table segments (
      conversation_id text not null references conversations(id) on delete cascade,
      idx integer not null,
      speaker text not null,
      text text not null,
      ts timestamptz,
      role text,
      extra jsonb,
      search tsvector generated always as (to_tsvector('english', text)) stored,
      primary key (conversation_id, idx)
    )`,
    sql`create index segments_search on segments using gin(search)`,
    sql`create table idempotency_keys (
      user_id text not null references users(id) on delete cascade,
      key text not null,
      request_hash text not null,
      conversation_id text not null,
      created_at timestamptz not null default now(),
      primary key (user_id, key)
    )`,
    // Counters only: unlogged (no WAL, no fsync per request); a crash merely forgets the current hour.
    sql`create unlogged table rate_buckets (
      user_id text not null,
      bucket integer not null,
      count integer not null,
      primary key (user_id, bucket)
    )`,
    sql`create table analyses (
      conversation_id text not null references conversations(id) on delete cascade,
      kind text not null,
      result jsonb not null,
      engine text not null,
      created_at timestamptz not null default now(),
      primary key (conversation_id, kind)
    )`,
    sql`create table ai_usage (
      user_id text not null references users(id) on delete cascade,
      period text not null,
      used integer not null default 0,
      primary key (user_id, period)
    )`,
    sql`create table webhooks (
      id text primary key,
      user_id text not null references users(id) on delete cascade,
      url text not null,
      events jsonb not null,
      secret text not null,
      created_at timestamptz not null default now(),
      disabled_at timestamptz,
      disabled_reason text,
      failing_since timestamptz,
      deleted_at timestamptz
    )`,
    sql`create index webhooks_user on webhooks(user_id)`,
    sql`create table webhook_deliveries (
      id text primary key,
      webhook_id text not null references webhooks(id) on delete cascade,
      user_id text not null,
      event text not null,
      payload text not null,
      status text not null,
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      locked_until timestamptz,
      last_attempt_at timestamptz,
      response_code integer,
      latency_ms integer,
      last_error text,
      created_at timestamptz not null default now(),
      delivered_at timestamptz
    )`,
    sql`create index webhook_deliveries_due on webhook_deliveries(next_attempt_at) where status = 'pending'`,
    sql`create index webhook_deliveries_webhook on webhook_deliveries(webhook_id, created_at desc)`,
    sql`create table webhook_attempts (
      id bigserial primary key,
      delivery_id text not null references webhook_deliveries(id) on delete cascade,
      attempt integer not null,
      attempted_at timestamptz not null,
      status_code integer,
      latency_ms integer not null,
      error text
    )`,
    sql`create index webhook_attempts_delivery on webhook_attempts(delivery_id, attempt)`,
  ];
  for (const s of statements) await s.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['webhook_attempts', 'webhook_deliveries', 'webhooks', 'ai_usage', 'analyses', 'rate_buckets', 'idempotency_keys', 'segments', 'conversations', 'api_keys', 'users']) {
    await sql`drop table if exists ${sql.table(t)} cascade`.execute(db);
  }
}
