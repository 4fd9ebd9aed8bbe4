// Extracted structures as clauses of prose ("Bob will send the roadmap by Friday", "the team
// decided to launch in April"), shared by the summary, answers and emails so they say things the
// same way.
import type { ActionItem } from '../schemas.js';
import { getWink } from './nlp.js';
import { inGroupVoice } from './rewrite.js';
import type { ItsFunction } from 'wink-nlp';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function listJoin(items: string[], conjunction = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** "2026-03-20" → "Friday, March 20" (the date was resolved in the conversation's own calendar). */
export function readableDate(iso: string): string {
  const m = iso.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (!m) return iso;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return `${WEEKDAYS[d.getUTCDay()]}, ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
}

/**
 * Lower-cases the first word to continue a sentence, but not "I" nor a name with a possessive
 * ("Daniel's final"). ("Email Niamh the link" shows a capital pair is no sign of a name.)
 */
const lowerFirst = (s: string) => (/^[A-Z][a-z]+\b/.test(s) && !/^I\b/.test(s) && !/^[A-Z][a-z]+['’]s\b/.test(s) ? s[0].toLowerCase() + s.slice(1) : s);
const stripEnd = (s: string) => s.trim().replace(/[.;,!?]+$/, '');

/** Whether text starts with a verb in its base form ("Launch the plan"), i.e. reads as a task. */
export function startsWithVerb(text: string): boolean {
  const first = text.trim().split(/\s+/)[0] ?? '';
  if (!/^[A-Za-z]+$/.test(first) || /^(?:the|a|an|this|that|it|we|they|i|you|he|she|no|all)$/i.test(first)) return false;
  // Tagged after "we will", where a verb is expected: a sentence-initial "Draft" alone reads as a noun.
  const wink = getWink();
  const doc = wink.readDoc(`We will ${lowerFirst(text.split(/\s+/).slice(0, 6).join(' '))}`);
  const pos = doc.tokens().out(wink.its.pos as ItsFunction<string>) as unknown as string[];
  // "Revised budget by Friday" is tagged VERB after "will" but is no base form: a noun phrase.
  const lemma = doc.tokens().out(wink.its.lemma as ItsFunction<string>) as unknown as string[];
  const base = lemma[2] === first.toLowerCase();
  // After "will" an adjective cannot stand before an object: "chase him" is tagged ADJ PRON.
  return (pos[2] === 'VERB' && base) || (pos[2] === 'AUX' && /^(?:be|have|do)$/i.test(first)) || (pos[2] === 'ADJ' && /^(?:PRON|DET|PROPN)$/.test(pos[3] ?? ''));
}

/** A subject with a finite verb ("you're looking", "it is", "we were"): a clause, not a task. */
const FINITE_CLAUSE = /\b(?:i|you|we|they|he|she|it|there|that|this)(?:'re|'s|'m|'ve|'d|'ll| are| is| am| was| were| have| had| would| could| will)\b|\b(?:is|are|was|were)\b|^\s*(?:if|when|because|although|since|unless|as soon as)\b/i;

/** A request or offer put as a question ("Can I welcome…", "Could we…"). */
const MODAL_QUESTION = /^\s*(?:can|could|may|shall|should|would|will|do|does|did|is|are)\s+(?:i|we|you|they|he|she|it)\b/i;

/**
 * Whether an action item reads as a task in a sentence ("Ana will …"): an imperative or a noun
 * phrase naming the work, without a clause of its own ("…, we're working very hard") and not a
 * question.
 */
export function readsAsTask(item: string): boolean {
  return !MODAL_QUESTION.test(item) && !FINITE_CLAUSE.test(item);
}

const HAS_TIME = /\b(?:by|before|until|on|next|this|tomorrow|today|tonight|end of|asap|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|\d{1,2}(?:st|nd|rd|th)?)\b/i;

/** Whether a task's own words say when ("by Friday", "on the 3rd"). */
export function saysWhen(text: string): boolean {
  return HAS_TIME.test(text);
}

/** "Bob will send the updated roadmap by Friday (March 20)"; "Ann will book the room by Monday, March 23". */
export function actionClause(a: Pick<ActionItem, 'item' | 'owner' | 'dueDate'>, opts: { unowned?: string; you?: string } = {}): string {
  const item = stripEnd(a.item);
  const verb = startsWithVerb(item);
  // A task that says when in words ("by Friday") gets the resolved day beside it.
  const monthDay = a.dueDate ? readableDate(a.dueDate).replace(/^\w+, /, '') : '';
  // A task that already names its day ("by March 27") needs nothing more.
  const due = !a.dueDate || item.includes(monthDay) ? '' : HAS_TIME.test(item) ? ` (${monthDay})` : ` by ${readableDate(a.dueDate)}`;
  const who = a.owner && opts.you && a.owner === opts.you ? 'you' : a.owner ?? opts.unowned ?? 'someone';
  const subject = /^(?:all|everyone|the team|team)$/i.test(who) ? 'everyone' : who;
  // An item that is a remark rather than a task ("I was thinking, we already have…") is not forced
  // into "will take care of …": it is given as said, after who it belongs to.
  if (!verb && !readsAsTask(item)) return `${subject}: ${item}${due}`;
  const task = verb ? lowerFirst(item) : `take care of ${lowerFirst(item)}`;
  return `${subject} will ${task}${due}`;
}

/** "to launch a discounted plan in April" or "that the remote should have few buttons". */
export function decisionClause(text: string, group = 'the team'): string {
  const d = stripEnd(text).replace(/^(?:we|they|the (?:team|group))\s+(?:have\s+)?(?:decided|agreed)\s+(?:to\s+|that\s+|on\s+)?/i, '');
  const clause = lowerFirst(inGroupVoice(d, group));
  if (/^[A-Za-z]+ing\b/.test(d) && !/^(?:bring|thing|string|ring|king|spring|morning|evening|ceiling|building|meeting|pricing|training|funding|marketing|planning|testing|staffing|onboarding|nothing|something|everything|anything)\b/i.test(d)) return `on ${clause}`;
  return startsWithVerb(d) ? `to ${clause}` : `that ${clause}`;
}

/** One sentence naming the decisions: "The team decided to X, to Y and that Z." */
export function decisionsSentence(decisions: string[], subject = 'The team'): string {
  if (!decisions.length) return '';
  return `${subject} decided ${listJoin(decisions.map((d) => decisionClause(d)))}.`;
}

/**
 * What a chat settled: a support or assistant chat has no team deciding; its settled points are
 * confirmations, mostly the agent's own ("I've escalated the case" → "the agent has escalated…").
 */
export function confirmationsSentence(decisions: string[]): string {
  if (!decisions.length) return '';
  return `It was confirmed ${listJoin(decisions.map((d) => thatClause(decisionClause(d, 'the agent'))))}.`;
}

/**
 * A decision clause worded to follow "It was confirmed": a "that …" clause is kept as it is; "to X"
 * becomes "that the agent will X" and "on Xing" (an activity under way) "that the agent is Xing".
 */
function thatClause(clause: string): string {
  if (clause.startsWith('that ')) return clause;
  if (clause.startsWith('on ')) return `that the agent is ${clause.slice(3)}`;
  return `that the agent will ${clause.replace(/^to /, '')}`;
}
