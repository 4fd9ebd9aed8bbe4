// Questions across a user's conversations (POST /api/v1/query). Questions about decisions and action
// items are answered from the key points already stored for each conversation (what was settled and
// who does what, with the segment that says so); any other question retrieves the best-matching
// segments across conversations and has the engine answer from them. Every claim cites the
// conversation and segment it comes from.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { retrieveForQuestion, storedPoints, type RetrievedRow } from '../../db/repos/search.js';
import type { AnalysisEngine, EngineConversation } from '../../engines/types.js';
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
  'what which who whom whose did do does done we they our us decide decided decides decision decisions agree agreed agrees settle settled conclude concluded conclusion action actions item items task tasks todo todos to-do to-dos follow up follow-up follow-ups followups open still outstanding owe owes owed assigned next step steps responsible need needs doing handle handling handles take taking about regarding on for month week year today yesterday last this meeting meetings call calls conversation conversations any all list show tell me is are was were has have there'.split(
    ' ',
  ),
);
const QUESTION_WORD = /^(What|Which|Who|Whom|Whose|When|Where|Why|How|Did|Do|Does|Is|Are|Was|Were|Has|Have|Any|List|Show|Tell)$/;

export function questionIntent(q: string): AcrossAnswer['intent'] {
  if (DECISIONS.test(q)) return 'decisions';
  if (ACTIONS.test(q)) return 'action_items';
  return 'general';
}

/** What the question is about (its words but the frame and the names) and the people it names (capitalised words). */
export function topicOf(q: string): { topic: string; names: string[] } {
  const names = [...q.matchAll(/(?<![\p{L}'’-])(\p{Lu}[\p{L}'’-]*)/gu)].map((m) => m[1]).filter((w, i) => i > 0 || !QUESTION_WORD.test(w));
  const named = new Set(names);
  const topic = q
    .split(/[^\p{L}\p{N}'’-]+/u)
    .filter((w) => w && !named.has(w) && !FRAME.has(w.toLowerCase()))
    .join(' ');
  return { topic, names };
}

const dateOf = (d: Date | null) => (d ? new Date(d).toISOString().slice(0, 10) : null);

async function fromKeypoints(db: Db, userId: string, input: AcrossInput, intent: 'decisions' | 'action_items'): Promise<AcrossAnswer | null> {
  const { topic, names } = topicOf(input.query);
  const rows = await storedPoints(db, {
    userId,
    since: input.since,
    until: input.until,
    conversationIds: input.conversationIds,
    conversations: KEYPOINT_CONVERSATIONS,
    limit: input.limit,
    what: intent,
    topic,
    owners: intent === 'action_items' ? names : [],
  });
  if (!rows.length) return null;
  const lines = rows.map((r) => {
    const where = `${r.title}, ${dateOf(r.start_time) ?? dateOf(r.created_at)}`;
    return intent === 'decisions' ? `- ${r.text} (${where})` : `- ${r.text}${r.owner ? ` — ${r.owner}` : ''}${r.due_date ? `, due ${r.due_date}` : ''} (${where})`;
  });
  const citations: Citation[] = rows.flatMap((r) =>
    r.evidence ? [{ conversationId: r.conversation_id, title: r.title, startTime: isoOrNull(r.start_time), segmentIndex: r.evidence.segmentIndex, quote: r.evidence.quote }] : [],
  );
  const what = intent === 'decisions' ? 'Decisions' : names.length ? `Action items for ${names.join(', ')}` : 'Action items';
  const conversations = new Set(rows.map((r) => r.conversation_id)).size;
  return { query: input.query, response: `${what} from ${conversations} conversation(s):\n${lines.join('\n')}`, source: 'key_points', intent, citations, conversationsConsidered: conversations };
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
