// Dates mentioned in the conversation, resolved by chrono against the conversation's start
// (so "Friday" means the Friday after the meeting, not after today). Without a start time only
// fully specified dates are kept, because anything relative would depend on when we ran.
import * as chrono from 'chrono-node';
import type { ParsedResult } from 'chrono-node';
import type { ImportantDate } from '../schemas.js';
import { cleanText, truncateWords } from './text.js';
import { referenceTime, sentenceEvidence, type Sentence, type Transcript } from './transcript.js';

/** Cheap filter so chrono only sees sentences that could hold a date (chrono is the slow step). */
const DATE_HINT =
  /\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b|\b(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b\.?|\b(?:tomorrow|tonight|next|end of|beginning of|in \w+ (?:days?|weeks?|months?)|\d{1,2}(?:st|nd|rd|th)\b|\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2})/i;

/** Expressions that resolve to the meeting itself and are never worth listing. */
const TRIVIAL = /^(?:now|today|right now|tonight|this (?:morning|afternoon|evening))$/i;

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
export function resolveDates(text: string, ref: Date | null): ResolvedDate[] {
  if (!DATE_HINT.test(text)) return [];
  const instant = ref ?? new Date(Date.UTC(2000, 0, 1));
  const results = chrono.parse(text, { instant, timezone: 0 }, { forwardDate: true });
  return results
    .filter((r) => dayPrecise(r, !!ref) && !TRIVIAL.test(r.text.trim()))
    .map((r) => ({ date: isoFrom(r), text: r.text, index: r.index }));
}

/** The clause around a date mention, as a short readable phrase. */
export function dateContext(raw: string, mention: ResolvedDate): string {
  const before = raw.slice(0, mention.index);
  const after = raw.slice(mention.index + mention.text.length);
  const clauseStart = Math.max(before.lastIndexOf(','), before.lastIndexOf(';'), before.lastIndexOf('.'), before.lastIndexOf('?')) + 1;
  const endMatch = after.search(/[,;.?!]/);
  const clause = raw.slice(clauseStart, mention.index + mention.text.length + (endMatch < 0 ? after.length : endMatch));
  const cleaned = cleanText(clause).replace(/[.!?]$/, '');
  return truncateWords(cleaned.length > 3 ? cleaned : cleanText(raw).replace(/[.!?]$/, ''), 16);
}

export function extractImportantDates(t: Transcript, limit = 12): ImportantDate[] {
  const ref = referenceTime(t);
  const out: ImportantDate[] = [];
  const seen = new Set<string>();
  for (const s of t.sentences) {
    // "See you next week" closes a meeting; it does not schedule anything.
    if (FAREWELL.test(s.raw)) continue;
    for (const m of resolveDates(s.raw, ref)) {
      const context = dateContext(s.raw, m);
      const key = `${m.date}|${context.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ date: m.date, context, evidence: [sentenceEvidence(t, s)] });
    }
    if (out.length >= limit) break;
  }
  return out;
}

/** The first forward date in a sentence, for an action item's due date. */
export function dueDateOf(t: Transcript, s: Sentence): string | null {
  return resolveDates(s.raw, referenceTime(t))[0]?.date ?? null;
}
