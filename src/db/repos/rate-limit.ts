import { sql, type Kysely } from 'kysely';
import type { ConversationRow, DB } from '../schema.js';
import { conversationColumns } from './conversations.js';

export interface WindowState {
  /** Requests counted in the window, including this one when it was admitted. */
  used: number;
  admitted: boolean;
  /** Oldest minute bucket still in the window (unix minutes), or null when empty. */
  oldestBucket: number | null;
}

/**
 * Counts `n` requests of one user in the rolling window of `windowBuckets` one-minute buckets, as
 * many as still fit; returns each request's state, in order. One statement, so every server process
 * on the database shares the count. Exact under concurrency: the limit check on the current minute's
 * row runs under that row's lock (ON CONFLICT … DO UPDATE … WHERE sees the latest committed count),
 * and older buckets no longer change. Rejected requests are never counted, so a client that backs
 * off regains capacity on time. The row's `last_admitted` says how many this statement admitted, so
 * the admitted requests are numbered exactly after the ones counted before them.
 *
 * `preload` names conversations the requests will read: the same statement returns those rows (any
 * owner, deleted or not; the caller checks), saving reads their own round trip.
 */
export async function hitWindow(
  db: Kysely<DB>,
  userId: string,
  bucket: number,
  windowBuckets: number,
  limit: number,
  n = 1,
  preload: string[] = [],
): Promise<{ states: WindowState[]; conversations: ConversationRow[] }> {
  const r = await sql<{ used: number; oldest: number | null; count: number | null; admitted: number | null; current: number | null } & Partial<ConversationRow>>`
    with prev as (
      select coalesce(sum(count), 0)::int as used, min(bucket)::int as oldest
      from rate_buckets where user_id = ${userId} and bucket > ${bucket - windowBuckets} and bucket < ${bucket}
    ), ins as (
      insert into rate_buckets (user_id, bucket, count, last_admitted)
      select ${userId}, ${bucket}, least(${n}::int, ${limit}::int - prev.used), least(${n}::int, ${limit}::int - prev.used) from prev where prev.used < ${limit}::int
      on conflict (user_id, bucket) do update
        set count = rate_buckets.count + least(${n}::int, ${limit}::int - (select used from prev) - rate_buckets.count),
            last_admitted = least(${n}::int, ${limit}::int - (select used from prev) - rate_buckets.count)
        where rate_buckets.count + (select used from prev) < ${limit}::int
      returning count, last_admitted
    )
    select prev.used, prev.oldest, (select count from ins) as count, (select last_admitted from ins) as admitted,
           (select count from rate_buckets where user_id = ${userId} and bucket = ${bucket}) as current,
           ${sql.join(conversationColumns.map((c) => sql.ref(`c.${c}`)))}
    from prev left join conversations c on c.id = any(${preload}::text[])`.execute(db);
  const row = r.rows[0];
  const admitted = row.admitted ?? 0;
  const before = row.used + (row.count ?? 0) - admitted; // counted in the window before this statement
  const oldestBucket = row.oldest ?? (admitted > 0 || row.current !== null ? bucket : null);
  const states = Array.from({ length: n }, (_, i) =>
    i < admitted ? { used: before + i + 1, admitted: true, oldestBucket } : { used: Math.max(limit, row.used + (row.current ?? 0)), admitted: false, oldestBucket },
  );
  const conversations = r.rows.filter((x) => x.id != null).map((x) => Object.fromEntries(conversationColumns.map((c) => [c, x[c]])) as unknown as ConversationRow);
  return { states, conversations };
}

/** Gives back requests counted ahead and not made (a process's unused lease) to their minute's count. */
export async function returnUnits(db: Kysely<DB>, userId: string, bucket: number, units: number): Promise<void> {
  await db
    .updateTable('rate_buckets')
    .set({ count: sql`greatest(0, count - ${units}::int)` })
    .where('user_id', '=', userId)
    .where('bucket', '=', bucket)
    .execute();
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
