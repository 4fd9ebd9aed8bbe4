import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { plainBox, type SecretBox } from '../secret-box.js';

export type SourceType = 'ics' | 'google';

export interface StoredSource {
  userId: string;
  type: SourceType;
  config: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

/** The parts of a source's config that grant access on their own; sealed at rest. */
export const SECRET_FIELDS = ['refreshToken', 'clientSecret'] as const;

export function mapSecretFields(config: Record<string, unknown>, fn: (value: string) => string): Record<string, unknown> {
  const out = { ...config };
  for (const f of SECRET_FIELDS) if (typeof out[f] === 'string') out[f] = fn(out[f] as string);
  return out;
}

export async function findSource(db: Kysely<DB>, userId: string, secrets: SecretBox = plainBox): Promise<StoredSource | null> {
  const row = await db.selectFrom('calendar_sources').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!row) return null;
  const config = mapSecretFields(row.config ?? {}, (v) => secrets.open(v));
  return { userId: row.user_id, type: row.type, config, createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at) };
}

export async function saveSource(
  db: Kysely<DB>,
  userId: string,
  type: SourceType,
  config: Record<string, unknown>,
  now: Date,
  secrets: SecretBox = plainBox,
): Promise<StoredSource> {
  const json = JSON.stringify(mapSecretFields(config, (v) => secrets.seal(v)));
  const row = await db
    .insertInto('calendar_sources')
    .values({ user_id: userId, type, config: json, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ type, config: json, updated_at: now }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return { userId, type: row.type, config, createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at) };
}

export async function deleteSource(db: Kysely<DB>, userId: string): Promise<boolean> {
  const r = await db.deleteFrom('calendar_sources').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows ?? 0n) > 0;
}

export { userTimezone } from '../../db/repos/accounts.js';
