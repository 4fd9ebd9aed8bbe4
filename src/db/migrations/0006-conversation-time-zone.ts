import { sql, type Kysely } from 'kysely';

// The zone a conversation's start is read in for relative dates ("tomorrow", "end of the week").
// Null: the owner's profile zone applies.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table conversations add column time_zone text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table conversations drop column if exists time_zone`.execute(db);
}
