import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from './schema.js';
import { cancelledError } from '../domain/fair-queue.js';

export interface StatementLimits {
  /** PostgreSQL stops each statement after this many ms (SQLSTATE 57014, answered 503); 0 or absent: the pool's own limit. */
  timeoutMs?: number;
  /** Aborted when the client has gone: the statement running then is cancelled (PostgreSQL only). */
  signal?: AbortSignal;
  /**
   * For searches (in the transaction, so on PostgreSQL): no parallel workers, so one search holds one
   * core at most; and a plan for each search's own words and user, never the generic plan of a
   * prepared statement (which cannot tell a rare word from one said in every meeting).
   */
  search?: boolean;
}

/**
 * Runs `read` in a transaction whose statements are bounded by `timeoutMs` and cancelled
 * (`pg_cancel_backend`) when `signal` aborts. Without either it runs as it is (PGlite: one connection
 * in this process, nothing to cancel it from).
 *
 * The connection stays this transaction's until any cancel sent for it has been delivered, so a late
 * cancel can only stop this request's statements or find the connection idle (where PostgreSQL drops
 * it), never another request's statement on a connection handed back to the pool.
 */
export async function withStatementLimits<T>(db: Kysely<DB>, limits: StatementLimits, read: (db: Kysely<DB> | Transaction<DB>) => Promise<T>): Promise<T> {
  const { timeoutMs, signal, search } = limits;
  if (!timeoutMs && !signal) return read(db);
  if (signal?.aborted) throw cancelledError();
  return db.transaction().execute(async (trx) => {
    const settings = [
      ...(timeoutMs ? [sql`set_config('statement_timeout', ${String(timeoutMs)}, true)`] : []),
      ...(search ? [sql`set_config('max_parallel_workers_per_gather', '0', true)`, sql`set_config('plan_cache_mode', 'force_custom_plan', true)`] : []),
    ];
    const setup = await sql<{ pid: number }>`select ${sql.join([...settings, sql`pg_backend_pid() as pid`])}`.execute(trx);
    const pid = setup.rows[0].pid;
    let cancelling: Promise<unknown> | null = null;
    const cancel = () => {
      cancelling = sql`select pg_cancel_backend(${pid})`.execute(db).catch(() => {});
    };
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await read(trx);
    } catch (err) {
      throw signal?.aborted ? cancelledError() : err;
    } finally {
      signal?.removeEventListener('abort', cancel);
      if (cancelling) await cancelling;
    }
  });
}
