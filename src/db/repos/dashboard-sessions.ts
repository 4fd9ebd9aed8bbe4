import { sql } from 'kysely';
import type { Executor } from './accounts.js';
import type { AuthRow } from './accounts.js';

export async function insertSession(db: Executor, s: { id: string; user_id: string; key_id: string; csrf_token: string; expires_at: Date }): Promise<void> {
  await db.insertInto('dashboard_sessions').values(s).execute();
}

/** The session's key and user as authentication needs them, with the session's own CSRF token and expiry. */
export function findSessionForAuth(db: Executor, id: string): Promise<(AuthRow & { csrf_token: string; expires_at: Date }) | undefined> {
  return db
    .selectFrom('dashboard_sessions as s')
    .innerJoin('api_keys as k', 'k.id', 's.key_id')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.csrf_token', 's.expires_at', 'k.id as key_id', 'k.revoked_at', 'k.last_used_at', 'u.id as user_id', 'u.email', 'u.name', 'u.tier'])
    .where('s.id', '=', id)
    .executeTakeFirst() as Promise<(AuthRow & { csrf_token: string; expires_at: Date }) | undefined>;
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('dashboard_sessions').where('id', '=', id).execute();
}

/** Expired sessions of one user go when they start a new one, so the table stays the size of live sessions. */
export async function deleteExpiredSessions(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('dashboard_sessions').where('user_id', '=', userId).where('expires_at', '<', sql<Date>`now()`).execute();
}
