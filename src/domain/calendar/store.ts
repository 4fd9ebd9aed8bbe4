import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

export type SourceType = 'ics' | 'google';

export interface StoredSource {
  userId: string;
  type: SourceType;
  config: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export async function findSource(db: Kysely<DB>, userId: string): Promise<StoredSource | null> {
  const row = await db.selectFrom('calendar_sources').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!row) return null;
  return { userId: row.user_id, type: row.type, config: row.config ?? {}, createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at) };
}

export async function saveSource(db: Kysely<DB>, userId: string, type: SourceType, config: Record<string, unknown>, now: Date): Promise<StoredSource> {
  const json = JSON.stringify(config);
  const row = await db
    .insertInto('calendar_sources')
    .values({ user_id: userId, type, config: json, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ type, config: json, updated_at: now }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return { userId, type: row.type, config: row.config ?? {}, createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at) };
}

export async function deleteSource(db: Kysely<DB>, userId: string): Promise<boolean> {
  const r = await db.deleteFrom('calendar_sources').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows ?? 0n) > 0;
}

export { userTimezone } from '../../db/repos/accounts.js';
