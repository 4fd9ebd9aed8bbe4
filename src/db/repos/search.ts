import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../schema.js';

type Exec = Kysely<DB> | Transaction<DB>;

// Highlights come back between two private-use characters, which the caller turns into <mark> tags
// after escaping the text (see domain/search/snippet.ts); ts_headline itself escapes nothing.
export const MARK_OPEN = '\uE000';
export const MARK_CLOSE = '\uE001';
const HEADLINE_OPTIONS = `StartSel="${MARK_OPEN}", StopSel="${MARK_CLOSE}", MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

/** A search's words as a tsquery; several wordings (a query and its spelling corrections) match any of them. */
export function tsQuery(term: string | string[]): RawBuilder<unknown> {
  const terms = typeof term === 'string' ? [term] : term;
  return sql.join(terms.map((t) => sql`websearch_to_tsquery('english', ${t})`), sql` || `);
}

/**
 * What a conversation's transcript words (which carry no positions) must match for one of its
 * segments to match `term`: the term itself, or for a "quoted phrase", the phrase's words (a stripped
 * tsvector never matches a phrase) without the excluded ones, which only a segment can judge.
 */
export function transcriptQuery(term: string | string[]): RawBuilder<unknown> {
  const terms = typeof term === 'string' ? [term] : term;
  return tsQuery(terms.map((t) => (t.includes('"') ? t.replace(/(^|\s)-("[^"]*"?|\S+)/g, ' ').replace(/"/g, ' ') : t)));
}

/** The text's best passages with the query's words between the marks (any marks in the text itself removed first). */
function headline(column: string, query: RawBuilder<unknown>) {
  return sql<string>`ts_headline('english', translate(${sql.ref(column)}, ${MARK_OPEN + MARK_CLOSE}, ''), ${query}, ${HEADLINE_OPTIONS})`;
}

export interface SegmentMatchRow {
  conversation_id: string;
  idx: number;
  speaker: string;
  ts: Date | null;
  snippet: string;
  score: number;
}

/** The best-matching segment of each of these conversations (at most one each), with its highlighted snippet. */
export async function bestSegmentMatches(db: Exec, conversationIds: string[], term: string): Promise<SegmentMatchRow[]> {
  if (!conversationIds.length) return [];
  const q = tsQuery(term);
  const r = await sql<SegmentMatchRow>`
    select m.conversation_id, m.idx, m.speaker, m.ts, m.score, ${headline('m.text', q)} as snippet
    from (
      select distinct on (conversation_id) conversation_id, idx, speaker, ts, text, ts_rank(search, ${q}) as score
      -- The page's segments are read by conversation and the words checked on them: the planner would
      -- otherwise also scan the words' index over every user's segments (tens of thousands of entries
      -- for a common word) to intersect it with these few hundred rows. The offset 0 keeps it from that.
      from (select conversation_id, idx, speaker, ts, text, search from segments where conversation_id = any(${conversationIds}::text[]) offset 0) segments
      where search @@ ${q}
      order by conversation_id, score desc, idx
    ) m`.execute(db);
  return r.rows;
}

export interface SearchFilters {
  userId: string;
  /** The query, or several wordings of it (matching any). */
  term: string | string[];
  since?: Date;
  until?: Date;
  kind?: 'meeting' | 'chat';
  promptId?: string;
  speaker?: string;
  limit: number;
  offset: number;
  /** Results come from at most this many of the user's most recent matching conversations. */
  candidates: number;
}

/** A matching segment and its conversation, as the search statements return them. */
interface HitBase {
  conversation_id: string;
  title: string;
  kind: 'meeting' | 'chat';
  start_time: Date | null;
  idx: number;
  speaker: string;
  ts: Date | null;
  score: number;
}

export interface SearchHitRow extends HitBase {
  snippet: string;
  /** Grouped search: the conversation's number of matching segments, and the hit's rank within it (1 = best). */
  match_count?: number;
  rank?: number;
}

/**
 * The user's matching conversations, newest first, from the search index (migration 0008): at most
 * `candidates` of them, so that a word said in every meeting costs what a rare one costs.
 */
function candidates(f: SearchFilters) {
  const { at, where } = conversationFilters(f);
  where.push(sql`transcript_search @@ ${transcriptQuery(f.term)}`);
  if (f.kind) where.push(sql`kind = ${f.kind}`);
  if (f.promptId) where.push(sql`prompt_id = ${f.promptId}`);
  return sql`select id, title, kind, start_time, ${at} as at from conversations
    where ${sql.join(where, sql` and `)}
    order by ${at} desc, id desc limit ${f.candidates}`;
}

function hits(f: SearchFilters, q: RawBuilder<unknown>) {
  const speaker = f.speaker ? sql`and lower(s.speaker) = lower(${f.speaker})` : sql``;
  return sql`select s.conversation_id, c.title, c.kind, c.start_time, c.at, s.idx, s.speaker, s.ts, s.text, ts_rank(s.search, ${q}) as score
    from cand c join segments s on s.conversation_id = c.id
    where s.search @@ ${q} ${speaker}`;
}

/** Matching segments across the user's conversations, most relevant first (then newest), one page and one more row. */
export async function searchSegments(db: Exec, f: SearchFilters): Promise<SearchHitRow[]> {
  const q = tsQuery(f.term);
  const r = await sql<SearchHitRow>`
    with cand as (${candidates(f)}), hits as (${hits(f, q)}),
    page as (select * from hits order by score desc, at desc, conversation_id desc, idx limit ${f.limit + 1} offset ${f.offset})
    select conversation_id, title, kind, start_time, idx, speaker, ts, score, ${headline('text', q)} as snippet
    from page order by score desc, at desc, conversation_id desc, idx`.execute(db);
  return r.rows;
}

/**
 * Matching conversations, most relevant first (by their best segment, then newest), one page and one
 * more; each with its best `perConversation` segments (rank 1…) and its number of matching segments.
 */
export async function searchConversations(db: Exec, f: SearchFilters, perConversation: number): Promise<SearchHitRow[]> {
  const q = tsQuery(f.term);
  const r = await sql<SearchHitRow>`
    with cand as (${candidates(f)}), hits as (${hits(f, q)}),
    ranked as (
      select h.*, row_number() over w as rank, count(*) over (partition by conversation_id) as match_count,
        max(score) over (partition by conversation_id) as best
      from hits h window w as (partition by conversation_id order by score desc, idx)
    ),
    page as (select conversation_id, best, at from ranked where rank = 1 order by best desc, at desc, conversation_id desc limit ${f.limit + 1} offset ${f.offset})
    select r.conversation_id, r.title, r.kind, r.start_time, r.idx, r.speaker, r.ts, r.score, r.rank::int as rank, r.match_count::int as match_count,
      ${headline('r.text', q)} as snippet
    from ranked r join page p on p.conversation_id = r.conversation_id
    where r.rank <= ${perConversation}
    order by p.best desc, p.at desc, r.conversation_id desc, r.rank`.execute(db);
  return r.rows;
}

/**
 * Words said in the user's most recent conversations (their segments and titles) that are
 * spelled like each of `words` (pg_trgm similarity at least `minSimilarity`), best first, at most
 * two per word; a word that is itself said gets none. For names and misspellings: full-text search
 * only finds words as they are spelled. Bounded: the `conversations` most recent conversations, at
 * most `segments` of their segments.
 */
export async function similarWords(
  db: Exec,
  f: { userId: string; words: string[]; conversations: number; segments: number; minSimilarity: number },
): Promise<Map<string, string[]>> {
  if (!f.words.length) return new Map();
  const r = await sql<{ word: string; similar: string; sim: number }>`
    with recent as (
      select id, title from conversations where user_id = ${f.userId} and deleted_at is null
      order by coalesce(start_time, created_at) desc, id desc limit ${f.conversations}
    ), texts as (
      (select s.text from recent r join segments s on s.conversation_id = r.id limit ${f.segments})
      union all select title from recent
    ), vocab as (
      select distinct w from texts cross join lateral regexp_split_to_table(lower(texts.text), '[^[:alnum:]]+') w where length(w) between 3 and 40
    ), q as (select unnest(${f.words}::text[]) as word)
    select q.word, v.w as similar, similarity(v.w, q.word)::float8 as sim
    from q join vocab v on similarity(v.w, q.word) >= ${f.minSimilarity}
    where not exists (select 1 from vocab x where x.w = q.word)
    order by q.word, sim desc, v.w`.execute(db);
  const out = new Map<string, string[]>();
  for (const row of r.rows) {
    const list = out.get(row.word) ?? [];
    if (list.length < 2) list.push(row.similar);
    out.set(row.word, list);
  }
  return out;
}

export interface RetrieveFilters {
  userId: string;
  question: string;
  since?: Date;
  until?: Date;
  conversationIds?: string[];
  /** Segments to return, best first. */
  limit: number;
  candidates: number;
}

export interface RetrievedRow extends HitBase {
  text: string;
}

/** Any of the question's words (stemmed, stop words dropped): a question is not a conjunction of its words. */
function anyWordQuery(question: string): RawBuilder<unknown> {
  return sql`nullif(replace(plainto_tsquery('english', ${question})::text, ' & ', ' | '), '')::tsquery`;
}

function conversationFilters(f: { userId: string; since?: Date; until?: Date; conversationIds?: string[] }, alias = '') {
  const col = (c: string) => sql.raw(alias ? `${alias}.${c}` : c);
  const at = sql`coalesce(${col('start_time')}, ${col('created_at')})`;
  const where = [sql`${col('user_id')} = ${f.userId}`, sql`${col('deleted_at')} is null`];
  if (f.since) where.push(sql`${at} >= ${f.since}`);
  if (f.until) where.push(sql`${at} < ${f.until}`);
  if (f.conversationIds) where.push(sql`${col('id')} = any(${f.conversationIds}::text[])`);
  return { at, where };
}

/**
 * The segments that best match a question across the user's conversations (any of its words, ranked
 * by how many and how often), from the most recent `candidates` conversations that mention any.
 */
export async function retrieveForQuestion(db: Exec, f: RetrieveFilters): Promise<RetrievedRow[]> {
  const q = anyWordQuery(f.question);
  const { at, where } = conversationFilters(f);
  const r = await sql<RetrievedRow>`
    with cand as (
      select id, title, kind, start_time, ${at} as at, (search @@ ${q}) as title_hit from conversations
      where ${sql.join([...where, sql`transcript_search @@ ${q}`], sql` and `)}
      order by ${at} desc, id desc limit ${f.candidates}
    )
    -- A passage of a conversation whose title has the question's words counts double.
    select s.conversation_id, c.title, c.kind, c.start_time, s.idx, s.speaker, s.text, s.ts,
      ts_rank_cd(s.search, ${q}) * (case when c.title_hit then 2 else 1 end) as score
    from cand c join segments s on s.conversation_id = c.id
    where s.search @@ ${q}
    order by score desc, c.at desc, s.conversation_id, s.idx
    limit ${f.limit}`.execute(db);
  return r.rows;
}

export interface StoredPointRow {
  conversation_id: string;
  title: string;
  start_time: Date | null;
  created_at: Date;
  text: string;
  owner: string | null;
  due_date: string | null;
  /** The first segment that says it: `{segmentIndex, quote}`, or null. */
  evidence: { segmentIndex: number; quote: string } | null;
}

/**
 * Decisions or action items from the key points stored for the user's most recent conversations
 * (`conversations` of them), newest first: those that mention any word of `topic` (all when it has
 * none), and for action items, owned by one of `owners` (matched as whole words) when given. The
 * matching runs in the database, with the same English stemming as search.
 */
export async function storedPoints(
  db: Exec,
  f: { userId: string; since?: Date; until?: Date; conversationIds?: string[]; conversations: number; limit: number; what: 'decisions' | 'action_items'; topic: string; owners: string[] },
): Promise<StoredPointRow[]> {
  const { at, where } = conversationFilters(f, 'c');
  const topic = anyWordQuery(f.topic);
  const points =
    f.what === 'decisions'
      ? sql`select d.text, null::text as owner, null::text as due_date, conv.result->'decisionDetails'->(d.ord::int - 1)->'evidence'->0 as evidence, d.ord
          from jsonb_array_elements_text(conv.result->'decisions') with ordinality d(text, ord)`
      : sql`select x.item->>'item' as text, x.item->>'owner' as owner, x.item->>'dueDate' as due_date, x.item->'evidence'->0 as evidence, x.ord
          from jsonb_array_elements(conv.result->'actionItems') with ordinality x(item, ord)
          where ${f.owners.length === 0} or exists (
            select 1 from unnest(${f.owners}::text[]) n where ' ' || lower(coalesce(x.item->>'owner', '')) || ' ' like '% ' || lower(n) || ' %')`;
  const r = await sql<StoredPointRow>`
    with conv as (
      select c.id, c.title, c.start_time, c.created_at, ${at} as at, a.result
      from conversations c join analyses a on a.conversation_id = c.id and a.kind = 'keypoints'
      where ${sql.join(where, sql` and `)}
      order by ${at} desc, c.id desc limit ${f.conversations}
    )
    select conv.id as conversation_id, conv.title, conv.start_time, conv.created_at, p.text, p.owner, p.due_date, p.evidence
    from conv cross join lateral (${points}) p
    where coalesce(to_tsvector('english', coalesce(p.text, '') || ' ' || coalesce(p.owner, '')) @@ ${topic}, true)
    order by conv.at desc, conv.id desc, p.ord
    limit ${f.limit}`.execute(db);
  return r.rows;
}
