import { sql, type Kysely } from 'kysely';

// Renaming or merging speakers (PATCH /conversations/{id}/speakers) changes what the cached key
// points, feedback and insights are about: they are marked stale rather than deleted, so GET still
// shows them (with `stale: true`) and the next POST regenerates them.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table analyses add column stale boolean not null default false`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table analyses drop column if exists stale`.execute(db);
}
