import { sql, type Kysely } from 'kysely';
import type { DB, UserRow, ApiKeyRow } from '../schema.js';

export type Executor = Kysely<DB>;

export async function insertUser(db: Executor, u: { id: string; email: string; name: string; tier: string; timezone?: string }): Promise<UserRow> {
  return db.insertInto('users').values(u).returningAll().executeTakeFirstOrThrow();
}

export function updateUserTimezone(db: Executor, id: string, timezone: string): Promise<UserRow | undefined> {
  return db.updateTable('users').set({ timezone }).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Sets profile settings that are given (undefined: unchanged; auto_analyse null: the plan's default). */
export function updateUserSettings(db: Executor, id: string, set: { timezone?: string; auto_analyse?: boolean | null }): Promise<UserRow | undefined> {
  return db.updateTable('users').set(set).where('id', '=', id).returningAll().executeTakeFirst();
}

/** The zone a user's conversations are read in when they name none. */
export async function userTimezone(db: Executor, id: string): Promise<string> {
  const row = await db.selectFrom('users').select('timezone').where('id', '=', id).executeTakeFirst();
  return row?.timezone ?? 'UTC';
}

export function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
}

export function findUserById(db: Executor, id: string, opts: { forUpdate?: boolean } = {}): Promise<UserRow | undefined> {
  const q = db.selectFrom('users').selectAll().where('id', '=', id);
  return (opts.forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

export async function countUsers(db: Executor): Promise<number> {
  const r = await db.selectFrom('users').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return r.n;
}

export async function insertKey(db: Executor, k: { id: string; user_id: string; name: string; prefix: string; hash: string }): Promise<ApiKeyRow> {
  return db.insertInto('api_keys').values(k).returningAll().executeTakeFirstOrThrow();
}

export async function countActiveKeys(db: Executor, userId: string): Promise<number> {
  const r = await db
    .selectFrom('api_keys')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return r.n;
}

export function listKeys(db: Executor, userId: string): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id').execute();
}

/** Revokes a key; returns the row, or undefined if no such key (optionally scoped to a user). */
export async function revokeKey(db: Executor, id: string, userId?: string): Promise<ApiKeyRow | undefined> {
  let q = db
    .updateTable('api_keys')
    .set({ revoked_at: sql`coalesce(revoked_at, now())` as any })
    .where('id', '=', id);
  if (userId) q = q.where('user_id', '=', userId);
  return q.returningAll().executeTakeFirst();
}

export interface AuthRow {
  key_id: string;
  revoked_at: Date | null;
  last_used_at: Date | null;
  user_id: string;
  email: string;
  name: string;
  tier: string;
}

export function findKeyForAuth(db: Executor, hash: string): Promise<AuthRow | undefined> {
  return db
    .selectFrom('api_keys as k')
    .innerJoin('users as u', 'u.id', 'k.user_id')
    .select(['k.id as key_id', 'k.revoked_at', 'k.last_used_at', 'u.id as user_id', 'u.email', 'u.name', 'u.tier'])
    .where('k.hash', '=', hash)
    .executeTakeFirst() as Promise<AuthRow | undefined>;
}

export async function touchKey(db: Executor, keyId: string): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: sql`now()` as any }).where('id', '=', keyId).execute();
}
