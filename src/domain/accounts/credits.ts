import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../errors.js';

/** Credits reset on the first of each month, UTC. */
export function creditPeriod(now: Date): { period: string; resetsAt: Date } {
  const period = now.toISOString().slice(0, 7);
  const resetsAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { period, resetsAt };
}

export interface CreditUsage {
  used: number;
  limit: number | null;
  remaining: number | null;
  resetsAt: string;
}

export async function creditUsage(db: Kysely<DB>, userId: string, limit: number | null, now = new Date()): Promise<CreditUsage> {
  const { period, resetsAt } = creditPeriod(now);
  const row = await db.selectFrom('ai_usage').select('used').where('user_id', '=', userId).where('period', '=', period).executeTakeFirst();
  const used = row?.used ?? 0;
  return { used, limit, remaining: limit === null ? null : Math.max(0, limit - used), resetsAt: resetsAt.toISOString() };
}

/**
 * Spends one credit inside the caller's transaction (which also stores the generated result), so a
 * failed generation spends nothing. Throws ai_limit_exceeded when the month's credits are gone.
 */
export async function spendCredit(trx: Transaction<DB> | Kysely<DB>, userId: string, limit: number | null, now = new Date()): Promise<void> {
  const { period, resetsAt } = creditPeriod(now);
  const r = await sql<{ used: number }>`
    insert into ai_usage (user_id, period, used) values (${userId}, ${period}, 1)
    on conflict (user_id, period) do update set used = ai_usage.used + 1
    where ${limit === null} or ai_usage.used < ${limit ?? 0}
    returning used`.execute(trx);
  if (!r.rows.length || (limit !== null && r.rows[0].used > limit)) {
    const retry = Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000));
    throw new AppError('ai_limit_exceeded', `Monthly AI generation limit of ${limit} reached; it resets at ${resetsAt.toISOString()}`, {
      headers: { 'retry-after': String(retry) },
    });
  }
}

/** Checks before generating (cheap, no lock) so that a user out of credits does not wait for an analysis. */
export async function assertCreditAvailable(db: Kysely<DB>, userId: string, limit: number | null, now = new Date()): Promise<void> {
  if (limit === null) return;
  const u = await creditUsage(db, userId, limit, now);
  if (u.used >= limit) {
    throw new AppError('ai_limit_exceeded', `Monthly AI generation limit of ${limit} reached; it resets at ${u.resetsAt}`, {
      headers: { 'retry-after': String(Math.max(1, Math.ceil((new Date(u.resetsAt).getTime() - now.getTime()) / 1000))) },
    });
  }
}
