// Answers a natural-language question about a conversation. Structured questions (action items,
// decisions, participants, dates, "summarize") come from the extracted key points; everything
// else is retrieved with BM25 and composed from the best sentences around the best passage.
import type { Evidence, Keypoints, QueryResult } from '../schemas.js';
import type { SectionAnalysis } from './keypoints.js';
import { listJoin, summariseConversation, topicList } from './meeting-summary.js';
import { decisionsSentence } from './phrasing.js';
import { about, actionItemsAnswer, datesAnswer, decisionsAnswer, noAnswer, ownerItemsAnswer } from './structured-answers.js';
import { parseQuery, type ParsedQuery } from './query-parse.js';
import { buildPassages, scorePassages, smooth, stemsOf } from './retrieval.js';
import { composeAnswer } from './answer-compose.js';
import { cleanSentence, wordCount } from './text.js';
import { durationMinutes, sentenceEvidence, type Sentence, type Transcript } from './transcript.js';

export interface QueryContext {
  t: Transcript;
  sections: SectionAnalysis[];
  keypoints: Keypoints;
}

/** Words of answer for a specific question; references for such questions run 40–100 words. */
const ANSWER_WORDS = 85;
const MIN_ANSWER_WORDS = 60;

function stemIdf(t: Transcript): (stem: string) => number {
  const df = new Map<string, number>();
  for (const s of t.sentences) for (const st of new Set(s.stems)) df.set(st, (df.get(st) ?? 0) + 1);
  const n = Math.max(1, t.sentences.length);
  return (st) => Math.log(1 + n / (df.get(st) ?? 0.5));
}

/** Sentences of the best-matching region, chosen by query overlap and woven back into order. */
function retrieveAnswer(t: Transcript, q: ParsedQuery, query: string): { text: string; evidence: Evidence[] } | null {
  const passages = buildPassages(t);
  if (!passages.length || (!q.speakers.length && !mostlyMentioned(t, q))) return null;
  // The question's own words and, weighted below them, the conversation's words for the same things.
  const weights = new Map([...q.related, ...q.terms]);
  const raw = scorePassages(passages, weights);
  const target = new Set(q.speakers);
  // How much of each passage the speakers asked about say.
  const shares = passages.map((p) => {
    let mine = 0;
    for (const id of p.sentences) if (target.has(t.sentences[id].speaker)) mine += t.sentences[id].words;
    return p.words ? mine / p.words : 0;
  });
  // A question about a speaker is answered from where they speak about the topic; when they never
  // do (nor anyone, without a speaker), from their turns.
  const anyHit = raw.some((v, i) => v > 0 && (!target.size || shares[i] > 0));
  // A passage the speaker barely takes part in keeps half its score; one they hold keeps it all and more.
  const boosted = raw.map((v, i) => (!target.size ? v : anyHit ? v * (0.5 + shares[i]) : shares[i]));
  const scores = smooth(boosted);
  let best = 0;
  scores.forEach((v, i) => {
    if (v > scores[best]) best = i;
  });
  if (scores[best] <= 0) return null;

  const idf = stemIdf(t);
  const regionIds: number[] = [];
  for (let i = Math.max(0, best - 2); i <= Math.min(passages.length - 1, best + 2); i++) regionIds.push(...passages[i].sentences);
  // A second, separate region when the topic comes back later in the conversation.
  let second = -1;
  scores.forEach((v, i) => {
    if (Math.abs(i - best) > 4 && v > scores[best] * 0.7 && (second < 0 || v > scores[second])) second = i;
  });
  if (second >= 0) for (let i = Math.max(0, second - 1); i <= Math.min(passages.length - 1, second + 1); i++) regionIds.push(...passages[i].sentences);

  const wantsDate = /^\s*(?:when|by when|what (?:day|date|time))\b/i.test(query);
  const relevance = (s: Sentence) => {
    let v = 0;
    for (const st of new Set(s.stems)) v += (weights.get(st) ?? 0) * idf(st);
    if (target.has(s.speaker)) v = v * 1.5 + 0.5;
    if (wantsDate && DATE_WORDS.test(s.raw)) v *= 2;
    return v + 0.15 * Math.min(8, new Set(s.stems).size);
  };
  const ids = [...new Set(regionIds)].sort((a, b) => a - b);
  const scored = new Map(ids.map((id) => [id, relevance(t.sentences[id])]));
  // Sentences that say something the question asks about (or, for a question about a speaker
  // alone or about words they never use, that the speaker said), and the sentence after one in
  // the same turn ("Last item is hiring. We still need a second designer…").
  const says = (s: Sentence) => (weights.size && (anyHit || !target.size) ? s.stems.some((st) => weights.has(st)) : target.has(s.speaker));
  const hits = new Set(ids.filter((id) => says(t.sentences[id]) || (id > 0 && t.sentences[id - 1].seg === t.sentences[id].seg && says(t.sentences[id - 1]))));
  // A question asked in the conversation is not its own answer, but the next speaker's reply is:
  // the reply inherits most of the question's relevance, the question itself is never quoted.
  for (const id of ids) {
    const s = t.sentences[id];
    if (!s.question) continue;
    const replies = ids.filter((j) => j > id && t.sentences[j].seg > s.seg && t.sentences[j].seg <= s.seg + 2 && t.sentences[j].speaker !== s.speaker);
    for (const j of replies.slice(0, 3)) {
      scored.set(j, Math.max(scored.get(j)!, scored.get(id)! * 0.9));
      if (hits.has(id)) hits.add(j);
    }
  }
  const candidates = ids.map((id) => t.sentences[id]).filter((s) => s.words >= 5 && !s.question && !echoesQuery(s, q));
  const ranked = candidates.map((s) => ({ s, v: scored.get(s.id)! })).sort((a, b) => b.v - a.v || a.s.id - b.s.id);
  // Weakly related sentences only pad the answer. In a long conversation the region around the
  // best passage is on topic by construction, so it may fill a minimum length from it; past that
  // (and in a short conversation) a sentence that shares nothing with the question is left out.
  const floor = (ranked[0]?.v ?? 0) * 0.3;
  const minWords = t.totalWords > 1500 ? MIN_ANSWER_WORDS : 0;
  const chosen: Sentence[] = [];
  let used = 0;
  for (const { s, v } of ranked) {
    if (used >= ANSWER_WORDS || (v < floor && used >= minWords)) break;
    const n = wordCount(cleanSentence(s.raw));
    if (n < 4 || (!hits.has(s.id) && used >= minWords)) continue;
    chosen.push(s);
    used += Math.min(n, 40);
  }
  if (!chosen.length) return null;
  return composeAnswer(t, query, chosen);
}

/**
 * A question about something the conversation settled ("What offer are we making?") is answered
 * with the decision first, then the retrieved sentences: the decision sharing most of the
 * question's words, when it shares at least half of them.
 */
function withDecision(kp: Keypoints, q: ParsedQuery, answer: { text: string; evidence: Evidence[] } | null): { text: string; evidence: Evidence[] } | null {
  if (!answer || q.terms.size === 0) return answer;
  let best: { d: Keypoints['decisionDetails'][number]; share: number } | null = null;
  for (const d of kp.decisionDetails) {
    const stems = new Set(stemsOf(d.text));
    let hit = 0;
    for (const st of q.terms.keys()) if (stems.has(st)) hit++;
    const share = hit / q.terms.size;
    if (hit && share >= 0.5 && (!best || share > best.share)) best = { d, share };
  }
  if (!best || answer.text.includes(best.d.text)) return answer;
  return { text: `${decisionsSentence([best.d.text], 'It was')} ${answer.text}`, evidence: [...best.d.evidence, ...answer.evidence] };
}

/**
 * Whether most of what the question is about is mentioned at all. A question about "the marketing
 * budget for trade shows" is not answered by the one sentence that says "budget".
 */
function mostlyMentioned(t: Transcript, q: ParsedQuery): boolean {
  const focus = [...q.terms].filter(([, w]) => w >= 1).map(([st]) => st);
  if (!focus.length) return true;
  const said = new Set<string>();
  for (const s of t.sentences) for (const st of s.stems) said.add(st);
  // A word said only in other words counts half: a paraphrase is less sure than the word itself.
  const mentioned = focus.reduce((n, st) => n + (said.has(st) ? 1 : q.covered.has(st) ? 0.5 : 0), 0);
  return mentioned * 3 >= focus.length;
}

/** A sentence that mostly restates the question ("the security requirements, Carla?"). */
function echoesQuery(s: Sentence, q: ParsedQuery): boolean {
  const stems = new Set(s.stems);
  if (!q.terms.size || stems.size > q.terms.size + 3) return false;
  let shared = 0;
  for (const st of stems) if (q.terms.has(st)) shared++;
  return shared / Math.max(1, stems.size) >= 0.6;
}

export function suggestQueries(ctx: QueryContext, asked?: string): string[] {
  const kp = ctx.keypoints;
  const out: string[] = [];
  if (kp.actionItems.length) out.push('What are the action items?', 'Who is responsible for each task?');
  if (kp.actionItems.some((a) => a.dueDate) || kp.importantDates.length) out.push('What are the deadlines?');
  if (kp.decisions.length) out.push('What was decided?');
  for (const s of kp.sections.slice(0, 3)) out.push(`What was said about the ${s.heading.toLowerCase()}?`);
  const named = kp.actionItems.find((a) => a.owner)?.owner;
  if (named) out.push(`What did ${named} agree to do?`);
  out.push(ctx.t.conv.kind === 'chat' ? 'Summarize the conversation.' : 'Summarize the whole meeting.');
  const lowerAsked = asked?.trim().toLowerCase();
  return [...new Set(out)].filter((q) => q.toLowerCase() !== lowerAsked).slice(0, 5);
}

const DATE_WORDS = /\b(?:mon|tues|wednes|thurs|fri|satur|sun)day|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+\d|\b\d{1,2}(?:st|nd|rd|th)\b|\b(?:tomorrow|next (?:week|month)|deadline|due)\b/i;

export function answerQuery(ctx: QueryContext, query: string): QueryResult {
  const { t, keypoints: kp } = ctx;
  const q = parseQuery(t, query);
  let answer: { text: string; evidence: Evidence[] } | null = null;
  switch (q.intent) {
    case 'summary':
      answer = summariseConversation(t, ctx.sections, kp);
      break;
    case 'action_items': {
      if (q.speakers.length) {
        answer = ownerItemsAnswer(kp, q);
        break;
      }
      const narrowed = q.hasTopic && kp.actionItems.some((a) => about(a.item, q));
      answer = q.hasTopic && !narrowed ? retrieveAnswer(t, q, query) ?? actionItemsAnswer(kp, undefined) : actionItemsAnswer(kp, q, query);
      break;
    }
    case 'decisions':
      answer = decisionsAnswer(kp);
      break;
    case 'people':
      answer = { text: `Participants: ${listJoin(kp.participants)}.`, evidence: [] };
      break;
    case 'dates':
      answer = datesAnswer(t, kp, q, query) ?? retrieveAnswer(t, q, query);
      break;
    case 'specific':
      answer = withDecision(kp, q, retrieveAnswer(t, q, query));
      break;
  }
  answer ??= noAnswer(topicList(ctx.sections, 3), suggestQueries(ctx, query));
  return {
    response: answer.text,
    metadata: { segmentsAnalyzed: t.segments.length, conversationDuration: durationMinutes(t), intent: q.intent },
    suggestedQueries: suggestQueries(ctx, query),
    evidence: answer.evidence,
  };
}
