import { sql, type Kysely } from 'kysely';

// A deep `offset` in O(days + one day's rows) instead of O(offset): per user, sort order, UTC day
// of the sort key, kind and status, the number of live conversations, kept by a trigger in the same
// transaction as every insert, delete, restore, re-dating and status change (as conversation_counts,
// migration 0007). A page at offset N sums the days newest first to find the day holding row N, then
// walks the list's index from the end of that day only (see listConversations).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table conversation_days (
    user_id text not null references users(id) on delete cascade,
    sort text not null,
    day date not null,
    kind text not null,
    status text not null,
    n bigint not null default 0,
    primary key (user_id, sort, day, kind, status)
  )`.execute(db);
  // The days are UTC days whatever the session's time zone, so every process files a row alike.
  await sql`create function conversation_days_apply() returns trigger language plpgsql as $$
  begin
    if tg_op = 'UPDATE' and old.user_id = new.user_id and old.kind = new.kind and old.status = new.status
       and (old.deleted_at is null) = (new.deleted_at is null) and old.created_at = new.created_at
       and old.start_time is not distinct from new.start_time then
      return null;
    end if;
    if tg_op in ('UPDATE', 'DELETE') and old.deleted_at is null then
      update conversation_days set n = n - 1
        where user_id = old.user_id and kind = old.kind and status = old.status
          and ((sort = 'created' and day = (old.created_at at time zone 'UTC')::date)
            or (sort = 'start' and day = (coalesce(old.start_time, old.created_at) at time zone 'UTC')::date));
    end if;
    if tg_op in ('INSERT', 'UPDATE') and new.deleted_at is null then
      insert into conversation_days (user_id, sort, day, kind, status, n) values
        (new.user_id, 'created', (new.created_at at time zone 'UTC')::date, new.kind, new.status, 1),
        (new.user_id, 'start', (coalesce(new.start_time, new.created_at) at time zone 'UTC')::date, new.kind, new.status, 1)
      on conflict (user_id, sort, day, kind, status) do update set n = conversation_days.n + 1;
    end if;
    return null;
  end $$`.execute(db);
  await sql`create trigger conversations_days after insert or delete or update of user_id, kind, status, deleted_at, created_at, start_time
    on conversations for each row execute function conversation_days_apply()`.execute(db);
  await sql`insert into conversation_days (user_id, sort, day, kind, status, n)
    select user_id, 'created', (created_at at time zone 'UTC')::date, kind, status, count(*)
      from conversations where deleted_at is null group by 1, 2, 3, 4, 5
    union all
    select user_id, 'start', (coalesce(start_time, created_at) at time zone 'UTC')::date, kind, status, count(*)
      from conversations where deleted_at is null group by 1, 2, 3, 4, 5`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists conversations_days on conversations`.execute(db);
  await sql`drop function if exists conversation_days_apply()`.execute(db);
  await sql`drop table if exists conversation_days`.execute(db);
}
