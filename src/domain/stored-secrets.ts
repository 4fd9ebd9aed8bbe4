// Run by every process as it opens the database (createContainer): checks that the configured key
// opens what is already sealed, and seals what is still stored in clear (rows from before sealing
// existed, or from before COLLOQUY_SECRET_KEY was set on PostgreSQL).
import { sql, type Kysely } from 'kysely';
import { ConfigError } from '../config.js';
import type { DB } from '../db/schema.js';
import { mapSecretFields, SECRET_FIELDS } from './calendar/store.js';
import { SecretBox, SecretKeyMismatchError } from './secret-box.js';

const SEALED = 'enc:v1:%';

/** Returns how many rows it sealed. Throws ConfigError when the key does not open the sealed ones. */
export async function sealStoredSecrets(db: Kysely<DB>, box: SecretBox): Promise<number> {
  const sealedHook = await db.selectFrom('webhooks').select('secret').where('secret', 'like', SEALED).limit(1).executeTakeFirst();
  const sealedSource = await db
    .selectFrom('calendar_sources')
    .select('config')
    .where(sql<boolean>`config->>'refreshToken' like ${SEALED}`)
    .limit(1)
    .executeTakeFirst();
  try {
    if (sealedHook) box.open(sealedHook.secret);
    if (sealedSource) mapSecretFields(sealedSource.config ?? {}, (v) => box.open(v));
  } catch (err) {
    if (!(err instanceof SecretKeyMismatchError)) throw err;
    throw new ConfigError(
      `${err.message}. Set COLLOQUY_SECRET_KEY to the key the secrets were stored with (or, on the embedded database, restore the data folder's secret.key).`,
    );
  }
  if (!box.sealing) return 0;

  let sealed = 0;
  const hooks = await db.selectFrom('webhooks').select(['id', 'secret']).where('secret', 'not like', SEALED).execute();
  for (const h of hooks) {
    // Conditional on the old value: another process sealing the same row at once wins cleanly.
    const r = await db.updateTable('webhooks').set({ secret: box.seal(h.secret) }).where('id', '=', h.id).where('secret', '=', h.secret).executeTakeFirst();
    sealed += Number(r.numUpdatedRows);
  }
  const clearFields = SECRET_FIELDS.map((f) => sql<boolean>`(config->>${f} is not null and config->>${f} not like ${SEALED})`);
  const sources = await db
    .selectFrom('calendar_sources')
    .select(['user_id', 'config'])
    .where(sql<boolean>`(${sql.join(clearFields, sql` or `)})`)
    .execute();
  for (const s of sources) {
    const config = mapSecretFields(s.config ?? {}, (v) => (SecretBox.isSealed(v) ? v : box.seal(v)));
    const r = await db
      .updateTable('calendar_sources')
      .set({ config: JSON.stringify(config) })
      .where('user_id', '=', s.user_id)
      .where(sql<boolean>`config = ${JSON.stringify(s.config)}::jsonb`)
      .executeTakeFirst();
    sealed += Number(r.numUpdatedRows);
  }
  return sealed;
}
