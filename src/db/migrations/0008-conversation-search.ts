import { sql, type Kysely } from 'kysely';

// Searching a user's conversations through one index instead of probing each conversation's
// segments: every conversation carries the words of its transcript (`transcript_search`, a
// position-free tsvector, kept by a statement trigger in the same transaction as every segment
// insert), and one partial GIN index over live rows holds the user, the title's words, the
// transcript's words and the title's trigrams (substring matches). A search then reads only the
// user's matching conversations, whatever their number; the segments that matched are looked up
// only for the conversations shown (snippets, GET /search).
export async function up(db: Kysely<any>): Promise<void> {
  // Both are trusted extensions (any database owner may create them) and ship with PGlite.
  await sql`create extension if not exists btree_gin`.execute(db);
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`alter table conversations add column transcript_search tsvector not null default ''::tsvector`.execute(db);
  await sql`create function conversations_transcript_append() returns trigger language plpgsql as $$
  begin
    update conversations c set transcript_search = c.transcript_search || w.words
    from (
      select conversation_id, strip(to_tsvector('english', string_agg(text, ' '))) as words
      from new_segments group by conversation_id
    ) w
    where c.id = w.conversation_id;
    return null;
  end $$`.execute(db);
  await sql`create trigger segments_transcript_search after insert on segments
    referencing new table as new_segments for each statement execute function conversations_transcript_append()`.execute(db);
  await sql`update conversations c set transcript_search = w.words
    from (select conversation_id, strip(to_tsvector('english', string_agg(text, ' '))) as words from segments group by conversation_id) w
    where c.id = w.conversation_id`.execute(db);
  await sql`create index conversations_user_live_text on conversations
    using gin (user_id, search, transcript_search, title gin_trgm_ops) where deleted_at is null`.execute(db);
  // Segments of one conversation that match, for snippets: the primary key already leads with it.
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists conversations_user_live_text`.execute(db);
  await sql`drop trigger if exists segments_transcript_search on segments`.execute(db);
  await sql`drop function if exists conversations_transcript_append()`.execute(db);
  await sql`alter table conversations drop column if exists transcript_search`.execute(db);
}
