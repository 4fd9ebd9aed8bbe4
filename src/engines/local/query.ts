// Answers a natural-language question about a conversation. Structured questions (action items,
// decisions, participants, dates, "summarize") come from the extracted key points; everything
// else is retrieved with BM25 and composed from the best sentences around the best passage.
import type { Evidence, Keypoints, QueryResult } from '../schemas.js';
import type { SectionAnalysis } from './keypoints.js';
import { listJoin, summariseConversation } from './meeting-summary.js';
import { parseQuery, type ParsedQuery } from './query-parse.js';
import { buildPassages, scorePassages, smooth, stemsOf } from './retrieval.js';
import { cleanSentence, truncateWords, wordCount } from './text.js';
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
  if (!passages.length) return null;
  const raw = scorePassages(passages, q.terms);
  const target = new Set(q.speakers);
  const anyHit = raw.some((v) => v > 0);
  const boosted = raw.map((v, i) => {
    if (!target.size) return v;
    const p = passages[i];
    let mine = 0;
    for (const id of p.sentences) if (target.has(t.sentences[id].speaker)) mine += t.sentences[id].words;
    const share = p.words ? mine / p.words : 0;
    // A question about a speaker whose topic words never occur is answered from that speaker's turns.
    return anyHit ? v * (1 + share) : share;
  });
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
    for (const st of new Set(s.stems)) v += (q.terms.get(st) ?? 0) * idf(st);
    if (target.has(s.speaker)) v = v * 1.5 + 0.5;
    if (wantsDate && DATE_WORDS.test(s.raw)) v *= 2;
    return v + 0.15 * Math.min(8, new Set(s.stems).size);
  };
  const candidates = [...new Set(regionIds)].map((id) => t.sentences[id]).filter((s) => s.words >= 5);
  const ranked = candidates.map((s) => ({ s, v: relevance(s) })).sort((a, b) => b.v - a.v || a.s.id - b.s.id);
  // Weakly related sentences only pad the answer. In a long conversation the region around the
  // best passage is on topic by construction, so it may fill a minimum length from it.
  const floor = (ranked[0]?.v ?? 0) * 0.3;
  const minWords = t.totalWords > 1500 ? MIN_ANSWER_WORDS : 0;
  const chosen: Array<{ s: Sentence; text: string }> = [];
  let used = 0;
  for (const { s, v } of ranked) {
    if (used >= ANSWER_WORDS || (v < floor && used >= minWords)) break;
    let text = cleanSentence(s.raw);
    const n = wordCount(text);
    if (n < 4) continue;
    if (n > 45) text = truncateWords(text, 40);
    chosen.push({ s, text });
    used += wordCount(text);
  }
  if (!chosen.length) return null;
  chosen.sort((a, b) => a.s.id - b.s.id);
  const parts: string[] = [];
  let lastSpeaker = '';
  for (const c of chosen) {
    if (c.s.speaker !== lastSpeaker) {
      parts.push(`${c.s.speaker}: ${c.text}`);
      lastSpeaker = c.s.speaker;
    } else parts.push(c.text);
  }
  return { text: parts.join(' '), evidence: chosen.map((c) => sentenceEvidence(t, c.s)) };
}

/** Whether extracted text shares a content word with the question. */
function about(text: string, q: ParsedQuery): boolean {
  return stemsOf(text).some((st) => (q.terms.get(st) ?? 0) >= 1);
}

function actionItemsAnswer(kp: Keypoints, q?: ParsedQuery): { text: string; evidence: Evidence[] } {
  // "Who is responsible for the roadmap?" narrows the list to the matching tasks.
  const narrowed = q?.hasTopic ? kp.actionItems.filter((a) => about(a.item, q)) : [];
  const items = narrowed.length ? narrowed : kp.actionItems;
  if (!items.length) return { text: 'No explicit action items were found in this conversation.', evidence: [] };
  const lines = items.slice(0, 8).map((a, i) => `(${i + 1}) ${a.owner ? `${a.owner} will ` : ''}${a.owner ? a.item[0].toLowerCase() + a.item.slice(1) : a.item}${a.dueDate ? ` (due ${a.dueDate})` : ''}`);
  return {
    text: `${items.length === 1 ? 'One action item was' : `${items.length} action items were`} discussed: ${lines.join('; ')}.`,
    evidence: items.slice(0, 8).flatMap((a) => a.evidence),
  };
}

function decisionsAnswer(kp: Keypoints): { text: string; evidence: Evidence[] } {
  const d = kp.decisionDetails;
  if (!d.length) return { text: 'No explicit decisions were recorded in this conversation.', evidence: [] };
  return { text: `Decisions made: ${d.slice(0, 8).map((x, i) => `(${i + 1}) ${x.text}`).join('; ')}.`, evidence: d.slice(0, 8).flatMap((x) => x.evidence) };
}

function datesAnswer(kp: Keypoints, q: ParsedQuery): { text: string; evidence: Evidence[] } | null {
  const all = [
    ...kp.actionItems.filter((a) => a.dueDate).map((a) => ({ date: a.dueDate!, context: `${a.owner ? `${a.owner}: ` : ''}${a.item}`, evidence: a.evidence })),
    ...kp.importantDates,
  ];
  const narrowed = q.hasTopic ? all.filter((d) => about(d.context, q)) : all;
  const dates = narrowed.length ? narrowed : q.hasTopic ? [] : all;
  if (!dates.length) return null;
  const seen = new Set<string>();
  const uniq = dates.filter((d) => !seen.has(`${d.date}|${d.context}`) && seen.add(`${d.date}|${d.context}`));
  return { text: `Dates mentioned: ${uniq.slice(0, 8).map((d) => `${d.date}: ${d.context}`).join('; ')}.`, evidence: uniq.slice(0, 8).flatMap((d) => d.evidence) };
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
      const narrowed = q.hasTopic && kp.actionItems.some((a) => about(a.item, q));
      answer = q.hasTopic && !narrowed ? retrieveAnswer(t, q, query) ?? actionItemsAnswer(kp) : actionItemsAnswer(kp, q);
      break;
    }
    case 'decisions':
      answer = decisionsAnswer(kp);
      break;
    case 'people':
      answer = { text: `Participants: ${listJoin(kp.participants)}.`, evidence: [] };
      break;
    case 'dates':
      answer = datesAnswer(kp, q) ?? retrieveAnswer(t, q, query);
      break;
    case 'specific':
      answer = retrieveAnswer(t, q, query);
      break;
  }
  if (!answer) {
    const summary = summariseConversation(t, ctx.sections, kp, 60);
    answer = { text: `The conversation does not seem to address that directly. In brief: ${summary.text}`, evidence: summary.evidence };
  }
  return {
    response: answer.text,
    metadata: { segmentsAnalyzed: t.segments.length, conversationDuration: durationMinutes(t), intent: q.intent },
    suggestedQueries: suggestQueries(ctx, query),
    evidence: answer.evidence,
  };
}
