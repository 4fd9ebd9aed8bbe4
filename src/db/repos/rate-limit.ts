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
 * Under heavy concurrency a few requests may be admitted past the limit (reads are not serialised);
 * rejected requests are never counted, so a client that backs off regains capacity on time.
 */
export async function hitWindow(db: Kysely<DB>, userId: string, bucket: number, windowBuckets: number, limit: number): Promise<WindowState> {
  const r = await sql<{ used: number; oldest: number | null; admitted: boolean }>`
    with cur as (
      select coalesce(sum(count), 0)::int as used, min(bucket)::int as oldest
      from rate_buckets where user_id = ${userId} and bucket > ${bucket - windowBuckets}
    ), ins as (
      insert into rate_buckets (user_id, bucket, count)
      select ${userId}, ${bucket}, 1 from cur where cur.used < ${limit}
      on conflict (user_id, bucket) do update set count = rate_buckets.count + 1
      returning 1
    )
    select cur.used + (select count(*)::int from ins) as used, cur.oldest,
           exists (select 1 from ins) as admitted
    from cur`.execute(db);
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

export async function pruneBuckets(db: Kysely<DB>, olderThanBucket: number): Promise<void> {
  await db.deleteFrom('rate_buckets').where('bucket', '<=', olderThanBucket).execute();
}
