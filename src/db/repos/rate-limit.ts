import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.js';

export interface WindowState {
  /** Requests counted in the window, including this one when it was admitted. */
  used: number;
  admitted: boolean;
  /** Oldest minute bucket still in the window (unix minutes), or null when empty. */
  oldestBucket: number | null;
}

/**
 * Counts one request in the user's rolling window of `windowBuckets` one-minute buckets, unless the
 * window is already full. One statement, so every server process on the database shares the count.
 * Exact under concurrency: the limit check on the current minute's row runs under that row's lock
 * (ON CONFLICT … DO UPDATE … WHERE sees the latest committed count), and older buckets no longer
 * change. Rejected requests are never counted, so a client that backs off regains capacity on time.
 */
export async function hitWindow(db: Kysely<DB>, userId: string, bucket: number, windowBuckets: number, limit: number): Promise<WindowState> {
  const r = await sql<{ used: number; oldest: number | null; admitted: boolean }>`
    with prev as (
      select coalesce(sum(count), 0)::int as used, min(bucket)::int as oldest
      from rate_buckets where user_id = ${userId} and bucket > ${bucket - windowBuckets} and bucket < ${bucket}
    ), ins as (
      insert into rate_buckets (user_id, bucket, count)
      select ${userId}, ${bucket}, 1 from prev where prev.used < ${limit}
      on conflict (user_id, bucket) do update set count = rate_buckets.count + 1
      where rate_buckets.count + (select used from prev) < ${limit}::int
      returning count
    ), cur as (
      select count from rate_buckets where user_id = ${userId} and bucket = ${bucket}
    )
    select case when exists (select 1 from ins) then prev.used + (select count from ins)
                else greatest(prev.used + coalesce((select count from cur), 0), ${limit}::int) end::int as used,
           coalesce(prev.oldest, case when exists (select 1 from ins) or exists (select 1 from cur) then ${bucket}::int end)::int as oldest,
           exists (select 1 from ins) as admitted
    from prev`.execute(db);
  const row = r.rows[0];
  return { used: row.used, admitted: row.admitted, oldestBucket: row.oldest ?? (row.admitted ? bucket : null) };
}

/** Read-only view of the window (for /user/profile). */
export async function peekWindow(db: Kysely<DB>, userId: string, bucket: number, windowBuckets: number): Promise<{ used: number; oldestBucket: number | null }> {
  const r = await sql<{ used: number; oldest: number | null }>`
    select coalesce(sum(count), 0)::int as used, min(bucket)::int as oldest
    from rate_buckets where user_id = ${userId} and bucket > ${bucket - windowBuckets}`.execute(db);
  return { used: r.rows[0].used, oldestBucket: r.rows[0].oldest };
}

export async function pruneBuckets(db: Kysely<DB>, olderThanBucket: number): Promise<number> {
  const r = await db.deleteFrom('rate_buckets').where('bucket', '<=', olderThanBucket).executeTakeFirst();
  return Number(r.numDeletedRows ?? 0n);
}
