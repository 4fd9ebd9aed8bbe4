// Dates mentioned in the conversation, resolved against the conversation's start as a day in the
// conversation's own time zone (so "Friday" means the Friday after the meeting, not after today,
// and "tomorrow" in a Sydney morning meeting is not the UTC calendar's tomorrow). Without a start
// time only dates with a stated year are kept, because anything relative would depend on when we
// ran, and a yearless "March 3" could be either year.
import * as chrono from 'chrono-node';
import type { ParsedResult } from 'chrono-node';
import type { Evidence, ImportantDate } from '../schemas.js';
import { DAY_MS, isoDay, localWallTime, ORDINAL_WORD, RECENT_PAST_DAYS, ruleDates, type Found } from './date-rules.js';
import { getCompromise } from './nlp.js';
import { cleanText, truncateWords } from './text.js';
import { referenceTime, sentenceEvidence, type Sentence, type Transcript } from './transcript.js';

/** Cheap filter so chrono only sees sentences that could hold a date (chrono is the slow step). */
const DATE_HINT = new RegExp(
  String.raw`\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b|\b(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b\.?|\b(?:today|tonight|tomorrow|yesterday|eod|cob|eob|next|end of|beginning of|after (?:this|the (?:call|meeting))|this (?:morning|afternoon|evening)|in \w+ (?:days?|weeks?|months?|hours?)|within \w+ (?:days?|hours?)|\d{1,2}(?:st|nd|rd|th)\b|${ORDINAL_WORD}\b|\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2})`,
  'i',
);

/** Expressions that resolve to the meeting itself and are never worth listing. */
const TRIVIAL = /^(?:now|today|right now|tonight|this (?:morning|afternoon|evening))$/i;

/** Week/month-level expressions chrono pins to a day anyway ("next week" → +7 days). */
const COARSE = /^(?:(?:(?:next|this|last|the following|the) )?(?:week|weekend|month|quarter|year)|(?:a|an|one|a few|a couple of|\d+|two|three|four|five|six|seven|several) (?:days?|weeks?|months?))$/i;

/** "moved to Friday", "pushed back until Monday": a past verb that sets a future date. */
const RESCHEDULED = /\b(?:moved|pushed|postponed|rescheduled|delayed|bumped|shifted|changed|slipped|set|scheduled|planned|booked|agreed)\b(?:\s+\w+){0,3}\s+(?:to|until|till|for|on)\s+(?:the\s+)?$/i;

const FAREWELL = /\b(?:see you|talk (?:to you )?(?:soon|later)|have a (?:good|great|nice)|enjoy your)\b/i;

/** Words naming a day that is an event, not a date: "Black Friday", "Cyber Monday", "Good Friday". */
const EVENT_PREFIX = /\b(?:black|cyber|good|holy|ash|super|giving|easter|fat|shrove|palm|maundy|blue|bowl|small business|travel|green|plough|whit|mad)\s+$/i;
/** Words that may stand capitalised right before a weekday without making it a name. */
const FUNCTION_WORDS = new Set(
  'on by until till before after from since this next last every each early late later the and or but so then okay ok yes yeah no sure and maybe say like thanks great fine perfect also until'.split(' '),
);

export interface ResolvedDate {
  date: string;
  text: string;
  index: number;
  /** Said as past ("last Tuesday", "yesterday", "two days ago"): never a deadline. */
  past?: boolean;
  /** The conversation's own day ("today", "EOD", "right after this"). */
  today?: boolean;
}

export interface ResolveOptions {
  /** Ambiguous dates go forward from the start (default) or backward (for things said as past). */
  forward?: boolean;
  /** IANA zone the start is read in; null/absent: UTC. */
  timeZone?: string | null;
  /** Keep expressions meaning the conversation's own day ("today", "EOD"); off by default. */
  includeToday?: boolean;
}

function isoFrom(r: ParsedResult): string {
  const y = r.start.get('year') ?? 0;
  const m = r.start.get('month') ?? 1;
  const d = r.start.get('day') ?? 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function dayPrecise(r: ParsedResult, hasReference: boolean): boolean {
  const c = r.start;
  if (!hasReference) return c.isCertain('year') && c.isCertain('month') && c.isCertain('day');
  return c.isCertain('day') || c.isCertain('weekday');
}

/** A weekday that is part of a name ("Black Friday", "Cyber Monday sale") rather than a date. */
function namedEvent(text: string, r: ParsedResult): boolean {
  if (!r.start.isCertain('weekday') || r.start.isCertain('day')) return false;
  const before = text.slice(0, r.index);
  if (EVENT_PREFIX.test(before)) return true;
  const prev = /(^|[.!?]\s+|\s)([A-Z][a-z]+)\s+$/.exec(before);
  // A capitalised word mid-sentence right before the weekday makes a proper name.
  return !!prev && prev[1] !== '' && !/[.!?]/.test(prev[1]) && !FUNCTION_WORDS.has(prev[2].toLowerCase()) && before.trim() !== prev[2];
}

const PAST_WORDS = /\b(?:last|ago|yesterday|previous|earlier|past)\b/i;
/** "a Sunday", "every Tuesday": not one particular day. */
const INDEFINITE = /\b(?:a|an|another|every|each|any|one|some|most|my|your|our|their|his|her)\s+$/i;
/** "Tuesday afternoons": a habit, not a date. */
const HABITUAL = /^(?:s\b|\s+(?:mornings|afternoons|evenings|nights)\b)/i;
/** "Saturday and Sunday last weekend", "Monday two weeks ago": the day is behind us. */
const PAST_AFTER = /^[\s,]*(?:(?:and|or)\s+\w+\s+)?(?:last\s+(?:week|weekend)|the\s+(?:week|weekend)\s+before|ago|before\s+last)\b/i;
/** "Tuesday's outage": incidents are reported once they happened. */
const INCIDENT_AFTER = /^['’]s\s+(?:\w+\s+){0,2}(?:outage|incident|crash|breach|failure|downtime|disruption|meltdown|accident|postmortem|fire|leak)\b/i;
/** "in the next 90 days": a window, not a day. */
const WINDOW = /\bnext\s+(?:\d+|\w+)\s+(?:days|weeks|months)\b/i;
/** "10/10 service": a rating. */
const RATING = /^(?:10|[1-9])\s*\/\s*(?:5|10)$/;

function weekdayOnly(r: ParsedResult): boolean {
  return r.start.isCertain('weekday') && !r.start.isCertain('day');
}

/** The same weekday's previous occurrence strictly before `today`. */
function previousWeekday(date: string, today: string): string {
  let ms = Date.parse(date);
  while (isoDay(ms) >= today) ms -= 7 * DAY_MS;
  return isoDay(ms);
}

/** Day-precise dates in `text`, resolved against the day of `ref` in `opts.timeZone`. */
export function resolveDates(text: string, ref: Date | null, opts: ResolveOptions = {}): ResolvedDate[] {
  if (!DATE_HINT.test(text)) return [];
  const forward = opts.forward ?? true;
  if (!ref) {
    return chrono
      .parse(text, { instant: new Date(Date.UTC(2000, 0, 1)), timezone: 0 }, { forwardDate: true })
      // chrono marks "tomorrow" as certain too: only a written year makes a date absolute.
      .filter((r) => dayPrecise(r, false) && /\b\d{4}\b/.test(r.text))
      .map((r) => ({ date: isoFrom(r), text: r.text.replace(/[\s,;:.!?]+$/, ''), index: r.index }));
  }
  const anchor = localWallTime(ref, opts.timeZone);
  const todayMs = Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth(), anchor.getUTCDate());
  const today = isoDay(todayMs);
  const own: Found[] = ruleDates(text, { forward, anchor });
  const overlaps = (r: ParsedResult) => own.some((f) => r.index < f.index + f.text.length && f.index < r.index + r.text.length);
  const found: ResolvedDate[] = [...own];
  let backward: ParsedResult[] | null = null;
  const backwardOf = (r: ParsedResult) => {
    backward ??= chrono.parse(text, { instant: anchor, timezone: 0 }, { forwardDate: false });
    return isoFrom(backward.find((b) => b.index === r.index) ?? r);
  };
  for (const r of chrono.parse(text, { instant: anchor, timezone: 0 }, { forwardDate: forward })) {
    const t = r.text.replace(/[\s,;:.!?]+$/, '');
    if (overlaps(r) || !dayPrecise(r, true) || TRIVIAL.test(t.trim()) || COARSE.test(t.trim()) || namedEvent(text, r)) continue;
    // "at the end of the day" is a figure of speech; the forms that mean a deadline are rules above.
    if (WINDOW.test(t) || RATING.test(t.trim()) || /\bend of (?:the )?day\b|^(?:the\s+)?day$/i.test(t)) continue;
    const before = text.slice(0, r.index);
    const after = text.slice(r.index + r.text.length);
    const bareWeekday = weekdayOnly(r) && /^(?:mon|tues|wednes|thurs|fri|satur|sun)day\b/i.test(t);
    if (bareWeekday && (INDEFINITE.test(before) || HABITUAL.test(text.slice(r.index + t.length)))) continue;
    let date = isoFrom(r);
    let past = PAST_WORDS.test(t) || (weekdayOnly(r) && (PAST_AFTER.test(after) || INCIDENT_AFTER.test(text.slice(r.index + t.length))));
    if (past && forward) {
      // chrono moves "last Tuesday"-style phrases forward under forwardDate: take the one behind us.
      date = weekdayOnly(r) ? previousWeekday(date, today) : backwardOf(r);
    } else if (weekdayOnly(r) && date === today && !/^this\b/i.test(t)) {
      // A bare weekday said on that weekday means the next one (or, backwards, the last one).
      date = isoDay(Date.parse(date) + (forward ? 7 : -7) * DAY_MS);
    } else if (forward && !r.start.isCertain('year') && r.start.isCertain('month') && date > today) {
      // "since August 1st" said on August 4th is this year's, not next year's.
      const back = backwardOf(r);
      if (back <= today && todayMs - Date.parse(back) <= RECENT_PAST_DAYS * DAY_MS && Date.parse(date) - todayMs > 300 * DAY_MS) {
        date = back;
        past = true;
      }
    }
    if (date === today && !/^this\b/i.test(t)) continue; // "in an hour", "a second": durations, not dates
    found.push({ date, text: t, index: r.index, ...(past ? { past } : {}), ...(date === today ? { today: true } : {}) });
  }
  return found.filter((f) => opts.includeToday || !f.today).sort((a, b) => a.index - b.index);
}

/** The conversation's day (YYYY-MM-DD) in its own zone, or null without a start time. */
export function conversationDay(t: Transcript): string | null {
  const ref = referenceTime(t);
  if (!ref) return null;
  const local = localWallTime(ref, t.conv.timeZone);
  return isoDay(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()));
}

/** Where the clause holding `[from, to)` starts and ends (sentence punctuation followed by a space). */
function clauseBounds(raw: string, from: number, to: number): [number, number] {
  let start = 0;
  for (const m of raw.slice(0, from).matchAll(/[,;:.?!](?=\s)/g)) start = m.index + 1;
  const rest = raw.slice(to).search(/[,;:.?!](?=\s|$)/);
  return [start, rest < 0 ? raw.length : to + rest];
}

interface VerbSpan {
  start: number;
  past: boolean;
}

function verbSpans(raw: string): VerbSpan[] {
  type VerbJson = { text?: string; offset?: { start: number }; verb?: { grammar?: { tense?: string } } };
  const json = getCompromise()(raw).verbs().json({ offset: true }) as VerbJson[];
  // "(need to) be flashed" is a passive infinitive, which compromise calls past: it is not.
  // After an article or possessive ("the scrubbed schedule") a participle is an adjective.
  const adjective = (v: VerbJson) => /\b(?:the|a|an|this|that|these|those|our|your|their|his|her|its|my)\s+$/i.test(raw.slice(0, v.offset?.start ?? 0));
  const past = (v: VerbJson) => v.verb?.grammar?.tense === 'PastTense' && !/^(?:be|being)\b/i.test(v.text ?? '') && !adjective(v);
  return json.filter((v) => v.offset).map((v) => ({ start: v.offset!.start, past: past(v) }));
}

/**
 * Whether a mention is about something that already happened: the verb governing it (the
 * nearest one before it in its clause, else the first after) is in the past tense, as in
 * "their sandbox was down Monday" or "Acme signed on Friday". "It was moved to Friday" is not.
 */
export function isPastMention(raw: string, mention: ResolvedDate, verbs: VerbSpan[] = verbSpans(raw)): boolean {
  const end = mention.index + mention.text.length;
  if (mention.past || /\b(?:last|ago|yesterday|previous|earlier)\b/i.test(mention.text)) return true;
  // "as soon as it's dispatched tomorrow": these words only ever point ahead.
  if (/\b(?:tomorrow|tonight|next|upcoming|coming)\b/i.test(mention.text)) return false;
  // "without service since August 1st", "charged back in March": the date lies behind us.
  if (/\b(?:since|back\s+(?:in|on))\s+(?:the\s+)?$/i.test(raw.slice(0, mention.index))) return true;
  if (RESCHEDULED.test(raw.slice(0, mention.index))) return false;
  const [cs, ce] = clauseBounds(raw, mention.index, end);
  const inClause = verbs.filter((v) => v.start >= cs && v.start < ce);
  const before = inClause.filter((v) => v.start < mention.index);
  const governing = before.length ? before[before.length - 1] : inClause.find((v) => v.start >= end);
  return governing?.past ?? false;
}

/** The clause around a date mention, as a short readable phrase. */
export function dateContext(raw: string, mention: ResolvedDate): string {
  const [clauseStart, clauseEnd] = clauseBounds(raw, mention.index, mention.index + mention.text.length);
  const clause = raw.slice(clauseStart, clauseEnd).replace(/^\s*(?:so|and|but|then|okay|ok|well|note)\b[:,]?\s*/i, '');
  const cleaned = cleanText(clause).replace(/[.!?]$/, '');
  return truncateWords(cleaned.length > 3 ? cleaned : cleanText(raw).replace(/[.!?]$/, ''), 16);
}

interface DateMention {
  date: string;
  context: string;
  past: boolean;
  evidence: Evidence;
  order: number;
}

/** How much a context says: content-bearing words, less for a bare question or a run-on. */
function informativeness(context: string): number {
  const words = context.split(/\s+/).filter((w) => /[a-z]{3,}/i.test(w));
  return Math.min(words.length, 12) - (words.length > 14 ? 2 : 0);
}

/**
 * One entry per calendar date. Dates only mentioned in past-tense clauses ("the sandbox was
 * down Monday") are not upcoming and are dropped, unless the conversation mentions no other
 * dates, in which case they are kept, resolved backwards to the day that was meant.
 */
export function extractImportantDates(t: Transcript, limit = 12): ImportantDate[] {
  const ref = referenceTime(t);
  const timeZone = t.conv.timeZone ?? null;
  const today = conversationDay(t);
  const mentions: DateMention[] = [];
  for (const s of t.sentences) {
    // "See you next week" closes a meeting; it does not schedule anything.
    if (FAREWELL.test(s.raw)) continue;
    const found = resolveDates(s.raw, ref, { timeZone });
    if (!found.length) continue;
    const verbs = verbSpans(s.raw);
    for (const m of found) {
      const context = dateContext(s.raw, m);
      const evidence = sentenceEvidence(t, s);
      const past = !!today && (isPastMention(s.raw, m, verbs) || m.date < today);
      // A past mention means the day before the meeting, not the next one ("was down Monday").
      const date = past ? (resolveDates(s.raw, ref, { forward: false, timeZone }).find((b) => b.index === m.index)?.date ?? m.date) : m.date;
      mentions.push({ date, context, past, evidence, order: mentions.length });
    }
  }
  const upcoming = mentions.filter((m) => !m.past);
  const kept = upcoming.length ? upcoming : mentions;
  const byDate = new Map<string, DateMention[]>();
  for (const m of kept) byDate.set(m.date, [...(byDate.get(m.date) ?? []), m]);
  const out: ImportantDate[] = [];
  for (const group of [...byDate.values()].sort((a, b) => a[0].order - b[0].order)) {
    const best = group.reduce((a, b) => (informativeness(b.context) > informativeness(a.context) ? b : a));
    const evidence: Evidence[] = [];
    const seenSeg = new Set<number>();
    for (const m of [best, ...group.filter((g) => g !== best)]) {
      if (seenSeg.has(m.evidence.segmentIndex)) continue;
      seenSeg.add(m.evidence.segmentIndex);
      evidence.push(m.evidence);
    }
    out.push({ date: best.date, context: best.context, evidence });
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * The first date in a sentence that can be a deadline, for an action item's due date: "today" and
 * "EOD" count (the conversation's day); dates said as past ("last Tuesday's outage", "I was
 * charged on the 28th") never do, and are never moved into the future to become one.
 */
export function dueDateOf(t: Transcript, s: Sentence): string | null {
  const today = conversationDay(t);
  const found = resolveDates(s.raw, referenceTime(t), { timeZone: t.conv.timeZone ?? null, includeToday: true });
  if (!found.length) return null;
  const verbs = verbSpans(s.raw);
  const future = found.filter((m) => !(today && m.date < today) && (m.today || !isPastMention(s.raw, m, verbs)));
  // "If I start today on the hard coded ones, Wednesday I can give the export": a date in a
  // condition is when the work starts, not when it is due, while the sentence names another.
  const condition = (m: ResolvedDate) => CONDITION.test(s.raw.slice(clauseBounds(s.raw, m.index, m.index + m.text.length)[0]));
  const ahead = future.some((m) => !condition(m)) ? future.filter((m) => !condition(m)) : future;
  // "an invite for Wednesday the fourth, today": a date after "by"/"before" is the deadline; one
  // after "for" names the event, and is the due date only when nothing else is said.
  if (!ahead.length) return null;
  // Only the clause of the first date: a recap's later clauses date other tasks.
  const clauseEnd = clauseBounds(s.raw, ahead[0].index, ahead[0].index + ahead[0].text.length)[1];
  const clause = ahead.filter((m) => m.index < clauseEnd);
  const before = (m: ResolvedDate) => s.raw.slice(0, m.index);
  const deadline = clause.find((m) => DEADLINE_BEFORE.test(before(m)) || /^\s*,?\s*at the latest\b/i.test(s.raw.slice(m.index + m.text.length)));
  return (deadline ?? clause.find((m) => !/\bfor\s+(?:the\s+)?$/i.test(before(m))) ?? clause[0]).date;
}

/** A clause that opens with a condition ("if I start today", "once legal signs off Monday"). */
const CONDITION = /^\s*(?:(?:and|but|so)\s+)?(?:if|once|unless|assuming|provided|as long as|as soon as)\b/i;

const DEADLINE_BEFORE = /\b(?:by|before|until|till|no later than|due)\s+(?:the\s+)?(?:end\s+of\s+)?$/i;
