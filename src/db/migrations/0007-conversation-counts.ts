import { sql, type Kysely } from 'kysely';

// Listing conversations in O(page): the exact `pagination.total` comes from a per-user counter by
// kind and status, kept by a trigger in the same transaction as every insert, delete, restore,
// status change and hard delete, instead of counting every row of the user on each request. Pages
// are read from partial indexes over live rows (index-only for the ids, then 20 rows fetched).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table conversation_counts (
    user_id text not null references users(id) on delete cascade,
    kind text not null,
    status text not null,
    n bigint not null default 0,
    primary key (user_id, kind, status)
  )`.execute(db);
  await sql`create function conversation_counts_apply() returns trigger language plpgsql as $$
  begin
    if tg_op = 'UPDATE' and old.user_id = new.user_id and old.kind = new.kind and old.status = new.status
       and (old.deleted_at is null) = (new.deleted_at is null) then
      return null;
    end if;
    if tg_op in ('UPDATE', 'DELETE') and old.deleted_at is null then
      update conversation_counts set n = n - 1 where user_id = old.user_id and kind = old.kind and status = old.status;
    end if;
    if tg_op in ('INSERT', 'UPDATE') and new.deleted_at is null then
      insert into conversation_counts (user_id, kind, status, n) values (new.user_id, new.kind, new.status, 1)
      on conflict (user_id, kind, status) do update set n = conversation_counts.n + 1;
    end if;
    return null;
  end $$`.execute(db);
  await sql`create trigger conversations_count after insert or delete or update of user_id, kind, status, deleted_at
    on conversations for each row execute function conversation_counts_apply()`.execute(db);
  await sql`insert into conversation_counts (user_id, kind, status, n)
    select user_id, kind, status, count(*) from conversations where deleted_at is null group by user_id, kind, status`.execute(db);
  await sql`create index conversations_user_live_created on conversations (user_id, created_at desc, id desc) where deleted_at is null`.execute(db);
  await sql`create index conversations_user_live_start on conversations (user_id, (coalesce(start_time, created_at)) desc, id desc) where deleted_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists conversations_user_live_start`.execute(db);
  await sql`drop index if exists conversations_user_live_created`.execute(db);
  await sql`drop trigger if exists conversations_count on conversations`.execute(db);
  await sql`drop function if exists conversation_counts_apply()`.execute(db);
  await sql`drop table if exists conversation_counts`.execute(db);
}
