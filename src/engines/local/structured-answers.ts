// Answers built from the extracted structures (action items, decisions, dates), each leading
// with what was asked: the owner for "who", the date for "when", the list for "what are".
import type { Evidence, Keypoints } from '../schemas.js';
import { questionKind, whenSubject } from './answer-compose.js';
import { actionClause, decisionClause, listJoin, readableDate } from './phrasing.js';
import type { ParsedQuery } from './query-parse.js';
import { stemsOf } from './retrieval.js';
import { notesVoice, rewriteSentence } from './rewrite.js';
import { capitalise } from './text.js';
import type { Transcript } from './transcript.js';
import { conversationDay } from './dates.js';

export interface Answer {
  text: string;
  evidence: Evidence[];
}

/** Whether extracted text shares a content word with the question. */
export function about(text: string, q: ParsedQuery): boolean {
  return stemsOf(text).some((st) => (q.terms.get(st) ?? 0) >= 1);
}

const numbered = (items: string[]) => items.map((x, i) => `(${i + 1}) ${x}`).join('; ');

type Item = Keypoints['actionItems'][number];

/** The items about the question's topic when some are ("Who is responsible for the roadmap?"), else all. */
function onTopic(items: Item[], q: ParsedQuery | undefined): { items: Item[]; narrowed: boolean } {
  const narrowed = q?.hasTopic ? items.filter((a) => about(a.item, q)) : [];
  return narrowed.length ? { items: narrowed, narrowed: true } : { items, narrowed: false };
}

/** The first eight items as clauses ("Bob will send the roadmap by Friday (March 20)"), with their evidence. */
function shownItems(items: Item[]): { clauses: string[]; evidence: Evidence[]; shown: Item[] } {
  const shown = items.slice(0, 8);
  return { shown, clauses: shown.map((a) => capitalise(actionClause(a, { unowned: 'someone (no owner named)' }))), evidence: shown.flatMap((a) => a.evidence) };
}

export function actionItemsAnswer(kp: Keypoints, q: ParsedQuery | undefined, query = ''): Answer {
  const { items, narrowed } = onTopic(kp.actionItems, q);
  if (!items.length) return { text: 'No explicit action items were found in this conversation.', evidence: [] };
  const { shown, clauses, evidence } = shownItems(items);
  const owners = [...new Set(shown.map((a) => a.owner).filter((o): o is string => !!o))];
  if (narrowed && questionKind(query) === 'who' && owners.length) {
    return { text: `${listJoin(owners)}. ${clauses.join('. ')}.`, evidence };
  }
  const lead = items.length === 1 ? 'One action item was agreed' : `${items.length} action items were agreed`;
  return { text: `${lead}: ${numbered(clauses)}.`, evidence };
}

/** "What did DeShawn commit to?": the tasks the people asked about own, or a plain none. */
export function ownerItemsAnswer(kp: Keypoints, q: ParsedQuery): Answer {
  const mine = kp.actionItems.filter((a) => a.owner && q.speakers.includes(a.owner));
  if (!mine.length) return { text: `No action items were assigned to ${listJoin(q.speakers)} in this conversation.`, evidence: [] };
  const { clauses, evidence } = shownItems(onTopic(mine, q).items);
  return { text: clauses.length === 1 ? `${clauses[0]}.` : `${numbered(clauses)}.`, evidence };
}

export function decisionsAnswer(kp: Keypoints): Answer {
  const d = kp.decisionDetails.slice(0, 8);
  if (!d.length) return { text: 'No decisions were recorded in this conversation.', evidence: [] };
  const lead = d.length === 1 ? 'One decision was made' : `${d.length} decisions were made`;
  return { text: `${lead}: ${numbered(d.map((x) => `it was decided ${decisionClause(x.text)}`))}.`, evidence: d.flatMap((x) => x.evidence) };
}

/** An important date's context as a note (it is quoted from the transcript, so it may say "I"). */
export function dateContext(t: Transcript, d: Keypoints['importantDates'][number]): string {
  const seg = t.segments.findIndex((s) => s.index === d.evidence[0]?.segmentIndex);
  const speaker = seg >= 0 ? t.speakerOf[seg] : '';
  const text = (rewriteSentence(d.context, speaker, notesVoice(t)) || d.context).replace(/[.]$/, '');
  return capitalise(text.replace(/^(?:also|and|so|but|then),?\s+/i, ''));
}

const DATE_TERMS = new Set(['deadlin', 'deadline', 'date', 'due', 'schedul', 'schedule', 'timelin', 'timeline', 'day', 'upcom', 'key', 'import']);

export function datesAnswer(t: Transcript, kp: Keypoints, q: ParsedQuery, query: string): Answer | null {
  const all = [
    ...kp.actionItems.filter((a) => a.dueDate).map((a) => ({ date: a.dueDate!, context: capitalise(actionClause(a, { unowned: 'the team' })), evidence: a.evidence, topic: a.item })),
    ...kp.importantDates.map((d) => ({ date: d.date, context: dateContext(t, d), evidence: d.evidence, topic: d.context })),
  ];
  // The date whose context shares most of the question's words answers it ("launch event" beats "launch budget").
  const overlap = (text: string) => new Set(stemsOf(text).filter((st) => (q.terms.get(st) ?? 0) >= 1)).size;
  // "What are the deadlines?" names no topic beyond dates themselves.
  const topical = [...q.terms.keys()].some((st) => !DATE_TERMS.has(st));
  const narrowed = topical ? all.filter((d) => overlap(d.topic) > 0).sort((a, b) => overlap(b.topic) - overlap(a.topic)) : all;
  const dates = narrowed.length ? narrowed : topical ? [] : all;
  if (!dates.length) return null;
  // The same date said in the same turn as a listed task is that task's due date, not a second entry.
  const isTask = (d: (typeof all)[number]) => kp.actionItems.some((a) => a.evidence === d.evidence);
  const taskKeys = new Set(dates.filter(isTask).flatMap((d) => d.evidence.map((e) => `${d.date}@${e.segmentIndex}`)));
  const dupOfTask = (d: (typeof all)[number]) => !isTask(d) && d.evidence.some((e) => taskKeys.has(`${d.date}@${e.segmentIndex}`));
  const seen = new Set<string>();
  const uniq = dates.filter((d) => !dupOfTask(d) && !seen.has(`${d.date}|${d.context}`) && seen.add(`${d.date}|${d.context}`)).slice(0, 8);
  const evidence = uniq.flatMap((d) => d.evidence);
  if (topical && questionKind(query) === 'when') {
    // "When is/will…" asks about what is ahead: dates before the conversation's day come last.
    const today = conversationDay(t);
    const ahead = !!today && !/^\s*when\s+(?:was|were|did|had)\b/i.test(query);
    const ordered = ahead ? [...uniq.filter((d) => d.date >= today!), ...uniq.filter((d) => d.date < today!)] : uniq;
    const [first, ...more] = ordered;
    const also = more.length ? ` Also: ${more.map((d) => `${readableDate(d.date)}: ${d.context}`).join('; ')}.` : '';
    const subject = whenSubject(query);
    const lead = subject ? `${subject} on ${readableDate(first.date)}.` : `${readableDate(first.date)}.`;
    return { text: `${lead} ${first.context}.${also}`, evidence };
  }
  return { text: `Dates mentioned: ${uniq.map((d) => `${readableDate(d.date)}: ${d.context}`).join('; ')}.`, evidence };
}

/** Said plainly when nothing answers, with questions the conversation can answer. */
export function noAnswer(topics: string[], suggestions: string[]): Answer {
  const about = topics.length ? ` It was mainly about ${listJoin(topics.map((x) => `the ${x}`))}.` : '';
  const ask = suggestions.length ? ` You could ask: ${suggestions.slice(0, 3).map((s) => `“${s}”`).join(', ')}.` : '';
  return { text: `Nothing in this conversation answers that.${about}${ask}`, evidence: [] };
}
