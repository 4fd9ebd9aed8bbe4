// Calendar arithmetic on local days and the date expressions chrono gets wrong or does not know:
// "end of (next) week" (that Friday, not a Saturday), "EOD"/"today"/"after this" (the day itself),
// a bare day of the month ("by the 14th", "Friday the thirteenth", "the twenty sixth"), and
// "last Tuesday" (chrono moves it forward). Days are handled as UTC midnights of the local date,
// so time-zone offsets and daylight-saving changes never shift a day.

export const DAY_MS = 86_400_000;
/** A yearless date this close before the conversation is the one just passed, not next year's. */
export const RECENT_PAST_DAYS = 60;

export interface Found {
  date: string;
  text: string;
  index: number;
  /** Said as being in the past ("last Tuesday"): never a deadline. */
  past?: boolean;
  /** The conversation's own day ("today", "EOD"). */
  today?: boolean;
}

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The wall-clock time of `ref` in `zone`, encoded as if it were UTC (so getUTCDay() is the local
 * weekday). An unknown zone is read as UTC.
 */
export function localWallTime(ref: Date, zone: string | null | undefined): Date {
  if (!zone) return ref;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(ref);
  } catch {
    return ref;
  }
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return new Date(Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second')));
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const UNITS = ['', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth'];
const TEENS: Record<string, number> = {
  tenth: 10, eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17, eighteenth: 18, nineteenth: 19, twentieth: 20, thirtieth: 30,
};

export const ORDINAL_WORD = String.raw`(?:(?:twenty|thirty)[\s-]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)`;
const ORDINAL = String.raw`(?:\d{1,2}(?:st|nd|rd|th)|${ORDINAL_WORD})`;
const WEEKDAY = String.raw`(?:mon|tues|wednes|thurs|fri|satur|sun)day`;
const MONTH = String.raw`(?:january|february|march|april|may|june|july|august|september|october|november|december)`;

function ordinalValue(raw: string): number | null {
  const s = raw.toLowerCase().replace(/-/g, ' ').replace(/\s+/g, ' ').trim();
  const num = /^(\d{1,2})(?:st|nd|rd|th)$/.exec(s);
  if (num) return Number(num[1]);
  if (TEENS[s] !== undefined) return TEENS[s];
  const compound = /^(?:(twenty|thirty) ?)?(\w+)$/.exec(s.replace(/^(twenty|thirty)(?=\w)/, '$1 '));
  if (!compound) return null;
  const unit = UNITS.indexOf(compound[2]);
  if (unit < 1) return null;
  return (compound[1] === 'twenty' ? 20 : compound[1] === 'thirty' ? 30 : 0) + unit;
}

function daysInMonth(y: number, m0: number): number {
  return new Date(Date.UTC(y, m0 + 1, 0)).getUTCDate();
}

/** The next (or, backwards, the latest) day `dom` of a month on or after (before) `today`. */
function nextDayOfMonth(today: number, dom: number, forward: boolean, weekday: number | null): number | null {
  const d = new Date(today);
  let first: number | null = null;
  for (let k = 0; k < 14; k++) {
    const step = forward ? k : -k;
    const y = d.getUTCFullYear();
    const m0 = d.getUTCMonth() + step;
    const ym = new Date(Date.UTC(y, m0, 1));
    if (dom > daysInMonth(ym.getUTCFullYear(), ym.getUTCMonth())) continue;
    const ms = Date.UTC(ym.getUTCFullYear(), ym.getUTCMonth(), dom);
    if (forward ? ms < today : ms > today) continue;
    first ??= ms;
    // "Friday the thirteenth": the month where that day is that weekday, if one is near.
    if (weekday === null || new Date(ms).getUTCDay() === weekday) return ms;
  }
  return first;
}

/** Friday of the week holding `today` (Monday–Sunday weeks; at a weekend, the coming Friday). */
function fridayOf(today: number, weeksAhead: number): number {
  const dow = new Date(today).getUTCDay();
  const toFriday = dow === 6 ? 6 : dow === 0 ? 5 : 5 - dow;
  const ahead = dow === 6 || dow === 0 ? Math.max(0, weeksAhead - 1) : weeksAhead;
  return today + (toFriday + 7 * ahead) * DAY_MS;
}

/** Words a bare "the 14th" is followed by when it names a day ("by the 14th at the latest"). */
const DAY_FOLLOWERS =
  /^(?:\s*(?:[,.;:!?)]|$)|\s+(?:at|in|then|and|or|so|is|was|works?|would|will|should|that|which|when|please|latest|morning|afternoon|evening|night|eod|for|to|if|because|as|but|right|okay|ok|anyway|hopefully|probably|ideally|maybe|too|also|though|instead|again|already|of\s+(?:this|the)\s+month)\b)/i;
/** Words before a bare day ordinal that make it a date ("by the eleventh", "on the 3rd"). */
const DAY_LEADERS = /\b(?:by|on|until|till|til|before|after|from|since|for|due|starting|around|of|is|was|be|'s|’s)\s*$/i;

export interface RuleOptions {
  forward: boolean;
  /** Local wall time of the reference, as UTC. */
  anchor: Date;
}

/** Date expressions this module resolves itself; chrono's results overlapping them are dropped. */
export function ruleDates(text: string, { forward, anchor }: RuleOptions): Found[] {
  const today = Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth(), anchor.getUTCDate());
  const out: Found[] = [];
  const add = (m: RegExpExecArray, ms: number, extra: Partial<Found> = {}) =>
    out.push({ date: isoDay(ms), text: m[0].trim(), index: m.index + (m[0].length - m[0].trimStart().length), ...extra });
  const taken = (i: number, len: number) => out.some((f) => i < f.index + f.text.length && f.index < i + len);

  for (const m of text.matchAll(new RegExp(String.raw`\b(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(next\s+)?(week|month)\b`, 'gi'))) {
    const next = m[1] ? 1 : 0;
    if (m[2].toLowerCase() === 'week') add(m, fridayOf(today, next));
    else {
      const d = new Date(today);
      add(m, Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + next + 1, 0));
    }
  }
  // "EOD tomorrow" and "end of day Friday" are that later day: only the bare form means today.
  const later = String.raw`(?!\s+(?:tomorrow|on\b|next\b|this\s+(?:week|friday|monday|tuesday|wednesday|thursday)|${WEEKDAY}|${MONTH}|the\s+${ORDINAL}))`;
  const todayForms = String.raw`\b(?:(?:eod|cob|eob)\b(?:\s+today)?${later}|(?:by|before|until|till)\s+(?:the\s+)?end\s+of\s+(?:the\s+)?(?:day|business(?:\s+day)?)(?:\s+today)?${later}|today|tonight|this\s+(?:morning|afternoon|evening)|(?:right\s+|straight\s+|just\s+)?after\s+(?:this|the\s+(?:call|meeting))(?=\s*(?:[,.;!?]|$)))`;
  for (const m of text.matchAll(new RegExp(todayForms, 'gi'))) {
    if (!taken(m.index, m[0].length)) add(m, today, { today: true });
  }

  for (const m of text.matchAll(new RegExp(String.raw`\b(?:last|this\s+past|past|previous)\s+(${WEEKDAY})\b`, 'gi'))) {
    const wd = WEEKDAYS.indexOf(m[1].toLowerCase());
    const back = (new Date(today).getUTCDay() - wd + 7) % 7 || 7;
    add(m, today - back * DAY_MS, { past: true });
  }

  const monthDay = new RegExp(
    String.raw`\b(?:${WEEKDAY},?\s+)?(?:(${MONTH})\s+(?:the\s+)?(${ORDINAL_WORD})\b(?:,?\s+(\d{4}))?|(?:the\s+)?(${ORDINAL})\s+of\s+(${MONTH})\b(?:,?\s+(\d{4}))?)`,
    'gi',
  );
  for (const m of text.matchAll(monthDay)) {
    if (taken(m.index, m[0].length)) continue;
    const month = MONTHS.indexOf((m[1] ?? m[5]).toLowerCase());
    const dom = ordinalValue(m[2] ?? m[4]);
    const year = m[3] ?? m[6];
    if (dom === null || dom > 31) continue;
    let ms = Date.UTC(year ? Number(year) : new Date(today).getUTCFullYear(), month, dom);
    // Yearless and just passed ("since the first of August", said on the 4th): this year's, and past.
    const recent = !year && ms < today && today - ms <= RECENT_PAST_DAYS * DAY_MS;
    if (!year && forward && ms < today && !recent) ms = Date.UTC(new Date(ms).getUTCFullYear() + 1, month, dom);
    if (!year && !forward && ms > today) ms = Date.UTC(new Date(ms).getUTCFullYear() - 1, month, dom);
    add(m, ms, recent && forward ? { past: true } : {});
  }

  const bareDay = new RegExp(String.raw`\b(?:(${WEEKDAY}),?\s+)?the\s+(${ORDINAL})\b`, 'gi');
  for (const m of text.matchAll(bareDay)) {
    if (taken(m.index, m[0].length)) continue;
    const after = text.slice(m.index + m[0].length);
    if (/^\s+of\b/i.test(after) && !/^\s+of\s+(?:this|the)\s+month\b/i.test(after)) continue; // "the first of all", or a month form handled above
    // With a weekday ("Friday the thirteenth demo") it is a date whatever follows; otherwise it needs
    // a preposition before it and no noun after it ("by the 14th, please", not "before the first release").
    const ok = !!m[1] || (DAY_LEADERS.test(text.slice(0, m.index)) && DAY_FOLLOWERS.test(after));
    if (!ok) continue;
    const dom = ordinalValue(m[2]);
    if (dom === null || dom < 1 || dom > 31) continue;
    const wd = m[1] ? WEEKDAYS.indexOf(m[1].toLowerCase()) : null;
    const ms = nextDayOfMonth(today, dom, forward, wd);
    if (ms !== null) add(m, ms);
  }
  return out;
}
