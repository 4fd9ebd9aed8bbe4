// Questions across a user's conversations (POST /api/v1/query). Questions about decisions and action
// items are answered from the key points already stored for each conversation (what was settled and
// who does what, with the segment that says so); any other question retrieves the best-matching
// segments across conversations and has the engine answer from them. Every claim cites the
// conversation and segment it comes from.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { retrieveForQuestion, storedKeypoints, type RetrievedRow } from '../../db/repos/search.js';
import type { AnalysisEngine, EngineConversation } from '../../engines/types.js';
import type { Keypoints } from '../../engines/schemas.js';
import { stemsOf } from '../../engines/local/retrieval.js';
import { isoOrNull } from '../iso.js';

export interface AcrossInput {
  query: string;
  since?: Date;
  until?: Date;
  conversationIds?: string[];
  /** At most this many cited items or passages (default 10). */
  limit: number;
}

export interface Citation {
  conversationId: string;
  title: string;
  startTime: string | null;
  segmentIndex: number;
  quote: string;
}

export interface AcrossAnswer {
  query: string;
  response: string;
  /** Where the answer came from: stored key points, or the transcripts' best passages. */
  source: 'key_points' | 'transcripts';
  intent: 'decisions' | 'action_items' | 'general';
  citations: Citation[];
  conversationsConsidered: number;
}

type Db = Kysely<DB> | Transaction<DB>;

/** Key points of this many recent conversations are read for a decisions or action-items question. */
const KEYPOINT_CONVERSATIONS = 200;
/** Segments retrieved for a general question, and recent conversations they come from. */
const PASSAGES = 40;
const CANDIDATES = 200;
/** Of those, the engine reads at most this many, each at least this share of the best one's score. */
const PASSAGES_ANSWERED = 15;
const RELATIVE_FLOOR = 0.35;
const FOCUS_FLOOR = 0.6;
const FOCUS_CONVERSATIONS = 3;

const DECISIONS = /\b(decid\w*|decision\w*|agree[ds]?|agreed on|settled|conclu\w+)\b/i;
const ACTIONS = /\b(action items?|to-?dos?|tasks?|follow[- ]?ups?|still open|open items?|outstanding|owe[sd]?|assigned|next steps?|responsible|who (?:is|was) (?:doing|handling|taking)|needs? to do)\b/i;
// Words of the question that say what kind of answer it wants, not what it is about.
const FRAME = new Set(
  stemsOf(
    'what which who whom did do does we they decide decided decision decisions agree agreed settle settled conclude action actions item items task tasks todo todos follow up follow-up open still outstanding owe owes assigned next step steps responsible need needs do doing handle handling take taking about regarding on for month week year today yesterday last this meeting meetings call calls conversation conversations',
  ),
);

export function questionIntent(q: string): AcrossAnswer['intent'] {
  if (DECISIONS.test(q)) return 'decisions';
  if (ACTIONS.test(q)) return 'action_items';
  return 'general';
}

/** The question's topic stems (what it is about) and the people it names (capitalised words). */
function topicOf(q: string): { stems: Set<string>; names: string[] } {
  const stems = new Set(stemsOf(q).filter((s) => !FRAME.has(s)));
  const names = [...q.matchAll(/(?<![\p{L}'’-])(\p{Lu}[\p{L}'’-]*)/gu)].map((m) => m[1]).filter((w, i) => i > 0 || !/^(What|Which|Who|Whom|When|Where|How|Did|Do|Does|Is|Are|Was|Were|Has|Have|Any|List|Show|Tell)$/.test(w));
  for (const n of names) stems.delete(stemsOf(n)[0] ?? '');
  return { stems, names };
}

function mentions(text: string, stems: Set<string>): boolean {
  if (!stems.size) return true;
  const own = new Set(stemsOf(text));
  for (const s of stems) if (own.has(s)) return true;
  return false;
}

const dateOf = (d: Date | null) => (d ? new Date(d).toISOString().slice(0, 10) : null);

async function fromKeypoints(db: Db, userId: string, input: AcrossInput, intent: 'decisions' | 'action_items'): Promise<AcrossAnswer | null> {
  const rows = await storedKeypoints(db, { userId, since: input.since, until: input.until, conversationIds: input.conversationIds, limit: KEYPOINT_CONVERSATIONS });
  const { stems, names } = topicOf(input.query);
  const lines: string[] = [];
  const citations: Citation[] = [];
  for (const row of rows) {
    const kp = row.result as Keypoints;
    const where = `${row.title}, ${dateOf(row.start_time) ?? dateOf(row.created_at)}`;
    const cite = (evidence: Array<{ segmentIndex: number; quote: string }> | undefined) => {
      for (const e of (evidence ?? []).slice(0, 1))
        citations.push({ conversationId: row.conversation_id, title: row.title, startTime: isoOrNull(row.start_time), segmentIndex: e.segmentIndex, quote: e.quote });
    };
    if (intent === 'decisions') {
      (kp.decisions ?? []).forEach((d, i) => {
        if (lines.length >= input.limit || !mentions(d, stems)) return;
        lines.push(`- ${d} (${where})`);
        cite(kp.decisionDetails?.[i]?.evidence);
      });
    } else {
      for (const a of kp.actionItems ?? []) {
        if (lines.length >= input.limit) break;
        const owner = a.owner ?? '';
        if (names.length && !names.some((n) => owner.toLowerCase().split(/\s+/).includes(n.toLowerCase()))) continue;
        if (!mentions(`${a.item} ${owner}`, stems)) continue;
        lines.push(`- ${a.item}${a.owner ? ` — ${a.owner}` : ''}${a.dueDate ? `, due ${a.dueDate}` : ''} (${where})`);
        cite(a.evidence);
      }
    }
  }
  if (!lines.length) return null;
  const what = intent === 'decisions' ? 'Decisions' : names.length ? `Action items for ${names.join(', ')}` : 'Action items';
  return {
    query: input.query,
    response: `${what} from ${new Set(citations.map((c) => c.conversationId)).size || rows.length} conversation(s):\n${lines.join('\n')}`,
    source: 'key_points',
    intent,
    citations,
    conversationsConsidered: rows.length,
  };
}

/** The retrieved passages as one conversation the engine can answer from, and the way back to each source segment. */
function passages(rows: RetrievedRow[]): { conv: EngineConversation; origin: RetrievedRow[] } {
  // In each conversation's own order, conversations oldest first, so the engine reads them as said.
  const origin = [...rows].sort((a, b) => {
    const at = (r: RetrievedRow) => (r.start_time ? new Date(r.start_time).getTime() : 0);
    return at(a) - at(b) || a.conversation_id.localeCompare(b.conversation_id) || a.idx - b.idx;
  });
  return {
    conv: {
      id: 'across',
      title: 'Your conversations',
      kind: 'meeting',
      startTime: null,
      segments: origin.map((r, i) => ({ index: i, speaker: r.speaker, text: r.text, timestamp: isoOrNull(r.ts) })),
    },
    origin,
  };
}

async function fromTranscripts(db: Db, engine: AnalysisEngine, userId: string, input: AcrossInput, intent: AcrossAnswer['intent'], signal?: AbortSignal): Promise<AcrossAnswer> {
  const rows = await retrieveForQuestion(db, { userId, question: input.query, since: input.since, until: input.until, conversationIds: input.conversationIds, limit: PASSAGES, candidates: CANDIDATES });
  const considered = new Set(rows.map((r) => r.conversation_id)).size;
  if (!rows.length) {
    return { query: input.query, response: 'None of your conversations mention that.', source: 'transcripts', intent, citations: [], conversationsConsidered: 0 };
  }
  // Passages far weaker than the best (one common word against most of the question) only distract,
  // and so do conversations whose best passage is far weaker than the best one: an answer stitched
  // from unrelated meetings reads as one story. The engine reads the strong passages of at most
  // FOCUS_CONVERSATIONS conversations.
  const best = Number(rows[0].score);
  const bestOf = new Map<string, number>();
  for (const r of rows) if (!bestOf.has(r.conversation_id)) bestOf.set(r.conversation_id, Number(r.score));
  const focus = new Set([...bestOf].filter(([, sc]) => sc >= best * FOCUS_FLOOR).slice(0, FOCUS_CONVERSATIONS).map(([id]) => id));
  const strong = rows.filter((r) => focus.has(r.conversation_id) && Number(r.score) >= best * RELATIVE_FLOOR).slice(0, PASSAGES_ANSWERED);
  const { conv, origin } = passages(strong);
  const answer = await engine.query(conv, input.query, { userId, signal });
  const seen = new Set<string>();
  const citations: Citation[] = [];
  for (const e of answer.evidence) {
    const r = origin[e.segmentIndex];
    if (!r || seen.has(`${r.conversation_id}#${r.idx}`) || citations.length >= input.limit) continue;
    seen.add(`${r.conversation_id}#${r.idx}`);
    citations.push({ conversationId: r.conversation_id, title: r.title, startTime: isoOrNull(r.start_time), segmentIndex: r.idx, quote: e.quote });
  }
  // An answer with nothing to cite is not given as one: the best passages are cited instead.
  if (!citations.length) {
    const closest = strong.slice(0, Math.min(3, input.limit));
    for (const r of closest) {
      citations.push({ conversationId: r.conversation_id, title: r.title, startTime: isoOrNull(r.start_time), segmentIndex: r.idx, quote: r.text.length > 300 ? `${r.text.slice(0, 297)}…` : r.text });
    }
    const list = closest.map((r, i) => `- ${r.speaker}: "${citations[i].quote}" (${r.title})`).join('\n');
    const head = closest.length === 1 ? 'No direct answer; the closest passage:' : 'No direct answer; the closest passages:';
    return { query: input.query, response: `${head}\n${list}`, source: 'transcripts', intent, citations, conversationsConsidered: considered };
  }
  return { query: input.query, response: answer.response, source: 'transcripts', intent, citations, conversationsConsidered: considered };
}

export async function answerAcross(db: Db, engine: AnalysisEngine, userId: string, input: AcrossInput, signal?: AbortSignal): Promise<AcrossAnswer> {
  const intent = questionIntent(input.query);
  if (intent !== 'general') {
    const stored = await fromKeypoints(db, userId, input, intent);
    if (stored) return stored;
  }
  return fromTranscripts(db, engine, userId, input, intent, signal);
}
