// Dates mentioned in the conversation, resolved by chrono against the conversation's start
// (so "Friday" means the Friday after the meeting, not after today). Without a start time only
// fully specified dates are kept, because anything relative would depend on when we ran.
import * as chrono from 'chrono-node';
import type { ParsedResult } from 'chrono-node';
import type { Evidence, ImportantDate } from '../schemas.js';
import { getCompromise } from './nlp.js';
import { cleanText, truncateWords } from './text.js';
import { referenceTime, sentenceEvidence, type Sentence, type Transcript } from './transcript.js';

/** Cheap filter so chrono only sees sentences that could hold a date (chrono is the slow step). */
const DATE_HINT =
  /\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b|\b(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b\.?|\b(?:tomorrow|tonight|next|end of|beginning of|in \w+ (?:days?|weeks?|months?)|\d{1,2}(?:st|nd|rd|th)\b|\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2})/i;

/** Expressions that resolve to the meeting itself and are never worth listing. */
const TRIVIAL = /^(?:now|today|right now|tonight|this (?:morning|afternoon|evening))$/i;

/** Week/month-level expressions chrono pins to a day anyway ("next week" → +7 days). */
const COARSE = /^(?:(?:next|this|last|the following) (?:week|weekend|month|quarter|year)|(?:a|an|one|a few|a couple of|\d+|two|three|four|five|six|seven|several) (?:days?|weeks?|months?))$/i;

/** "moved to Friday", "pushed back until Monday": a past verb that sets a future date. */
const RESCHEDULED = /\b(?:moved|pushed|postponed|rescheduled|delayed|bumped|shifted|changed|slipped|set|scheduled|planned|booked|agreed)\b(?:\s+\w+){0,3}\s+(?:to|until|till|for|on)\s+(?:the\s+)?$/i;

const FAREWELL = /\b(?:see you|talk (?:to you )?(?:soon|later)|have a (?:good|great|nice)|enjoy your)\b/i;

export interface ResolvedDate {
  date: string;
  text: string;
  index: number;
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

/** Day-precise dates in `text`, resolved against `ref` (UTC), ignoring "now"/"today". */
export function resolveDates(text: string, ref: Date | null, opts: { forward?: boolean } = {}): ResolvedDate[] {
  if (!DATE_HINT.test(text)) return [];
  const instant = ref ?? new Date(Date.UTC(2000, 0, 1));
  const results = chrono.parse(text, { instant, timezone: 0 }, { forwardDate: opts.forward ?? true });
  return results
    .map((r) => ({ r, text: r.text.replace(/[\s,;:.!?]+$/, '') }))
    .filter(({ r, text }) => dayPrecise(r, !!ref) && !TRIVIAL.test(text.trim()) && !COARSE.test(text.trim()))
    .map(({ r, text }) => ({ date: isoFrom(r), text, index: r.index }));
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
  type VerbJson = { offset?: { start: number }; verb?: { grammar?: { tense?: string } } };
  const json = getCompromise()(raw).verbs().json({ offset: true }) as VerbJson[];
  return json.filter((v) => v.offset).map((v) => ({ start: v.offset!.start, past: v.verb?.grammar?.tense === 'PastTense' }));
}

/**
 * Whether a mention is about something that already happened: the verb governing it (the
 * nearest one before it in its clause, else the first after) is in the past tense, as in
 * "their sandbox was down Monday" or "Acme signed on Friday". "It was moved to Friday" is not.
 */
export function isPastMention(raw: string, mention: ResolvedDate, verbs: VerbSpan[] = verbSpans(raw)): boolean {
  const end = mention.index + mention.text.length;
  if (/\b(?:last|ago|yesterday|previous|earlier)\b/i.test(mention.text)) return true;
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
  const mentions: DateMention[] = [];
  for (const s of t.sentences) {
    // "See you next week" closes a meeting; it does not schedule anything.
    if (FAREWELL.test(s.raw)) continue;
    const found = resolveDates(s.raw, ref);
    if (!found.length) continue;
    const verbs = verbSpans(s.raw);
    for (const m of found) {
      const context = dateContext(s.raw, m);
      const evidence = sentenceEvidence(t, s);
      const past = !!ref && (isPastMention(s.raw, m, verbs) || m.date < ref.toISOString().slice(0, 10));
      // A past mention means the day before the meeting, not the next one ("was down Monday").
      const date = past ? (resolveDates(s.raw, ref, { forward: false }).find((b) => b.index === m.index)?.date ?? m.date) : m.date;
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

/** The first forward date in a sentence, for an action item's due date. */
export function dueDateOf(t: Transcript, s: Sentence): string | null {
  return resolveDates(s.raw, referenceTime(t))[0]?.date ?? null;
}
