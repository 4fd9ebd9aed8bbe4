// iCalendar feeds, expansion side: recurring events are expanded on wall times in the event's own
// zone (RFC 5545 §3.3.10) and only then turned into instants; expanding instants would drift by an
// hour across every DST change. EXDATE and RECURRENCE-ID overrides are applied per instance.
import { createHash } from 'node:crypto';
// Type-only: the rule objects come from node-ical, which bundles rrule; new rules are built with
// the same constructor, so rrule is never imported directly.
import type { Options as RRuleOptions, RRule } from 'rrule';
import { normalizeZone, type ParsedFeed } from './ics-parse.js';
import { meetingLinkFrom } from './meeting-link.js';
import { firstUpcoming, isUpcoming, type CalendarAttendee, type EventQuery, type PlacedEvent } from './types.js';
import { DAY_MS, compactUtc, dateString, utcMsToWall, wallToUtcMs, Zones, type Wall } from './zones.js';

type Component = Record<string, unknown>;
type IcalDate = Date & { tz?: string; dateOnly?: boolean };

interface Timing {
  allDay: boolean;
  /** Zone the recurrence rule is applied in. */
  zone: string;
  /** Zone reported to the client. */
  displayZone: string;
  /** Timed: the start instant; all-day: the first day's date encoded as UTC midnight. */
  startMs: number;
  /** Timed: length in ms; all-day: whole days × DAY_MS. */
  spanMs: number;
}

const YEAR_MS = 366 * DAY_MS;
// How far past timeMin a series is searched for instances; sub-daily rules get short windows so
// that a hostile feed cannot make one request walk millions of candidate times.
const HORIZON_MS: Record<number, number> = { 0: 5 * YEAR_MS, 1: 5 * YEAR_MS, 2: 5 * YEAR_MS, 3: 5 * YEAR_MS, 4: 60 * DAY_MS, 5: 2 * DAY_MS, 6: 3_600_000 };
// Fixed-length periods (in wall time) of the rules whose start can be moved forward safely.
const PERIOD_MS: Record<number, number> = { 2: 7 * DAY_MS, 3: DAY_MS, 4: 3_600_000, 5: 60_000, 6: 1000 };
// Wall time encoded as UTC is at most this far from the instant it names (UTC−12 … UTC+14).
const MAX_OFFSET_MS = 15 * 3_600_000;
// More than any zone's offset has ever changed by at once.
const DST_MARGIN_MS = 3 * 3_600_000;

// Rule parts that can put more or fewer than one instance in a period.
const BY_PARTS = ['bysetpos', 'bymonth', 'bymonthday', 'byyearday', 'byweekno', 'byweekday', 'byhour', 'byminute', 'bysecond', 'byeaster'] as const;

function hasValue(v: unknown): boolean {
  return v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0);
}

function isDate(v: unknown): v is IcalDate {
  return v instanceof Date && !Number.isNaN(v.getTime());
}

/** All-day values are built by node-ical at local midnight of the process's zone; read them back the same way. */
function localDay(d: Date): Wall {
  return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: 0, minute: 0, second: 0 };
}

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return text(v[0]);
  if (typeof v === 'object' && 'val' in (v as object)) return text((v as { val: unknown }).val);
  const s = String(v).trim();
  return s || null;
}

function attendeesOf(value: unknown): CalendarAttendee[] {
  const list = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  const seen = new Set<string>();
  const out: CalendarAttendee[] = [];
  for (const a of list) {
    const address = (typeof a === 'string' ? a : text((a as { val?: unknown })?.val))?.replace(/^mailto:/i, '').trim() ?? null;
    const email = address && /^[^\s@]+@[^\s@]+$/.test(address) ? address : null;
    const params = typeof a === 'object' && a ? ((a as { params?: Record<string, unknown> }).params ?? {}) : {};
    // Rooms and equipment are booked as attendees; they are not people in the meeting.
    if (/^(ROOM|RESOURCE)$/i.test(text(params.CUTYPE) ?? '')) continue;
    const cn = text(params.CN);
    const name = cn?.replace(/^"(.*)"$/, '$1').trim() || null;
    if (!email && !name) continue;
    const key = (email ?? name!).toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    // Google writes the address into CN when it knows no name; that is not a name.
    out.push({ name: name && email && name.toLowerCase() === email.toLowerCase() ? null : name, email });
  }
  return out;
}

function isCancelled(c: Component): boolean {
  return text(c.status)?.toUpperCase() === 'CANCELLED';
}

class Expander {
  private readonly zones = new Zones();
  private readonly t0: number;
  private readonly fallbackIds = new Map<string, number>();

  constructor(
    private readonly feed: ParsedFeed,
    private readonly q: EventQuery,
  ) {
    this.t0 = q.timeMin.getTime();
  }

  run(): PlacedEvent[] {
    const out: PlacedEvent[] = [];
    for (const value of Object.values(this.feed.components)) {
      const c = value as unknown as Component;
      if (!c || c.type !== 'VEVENT' || isCancelled(c)) continue;
      const timing = this.timingOf(c);
      if (!timing) continue;
      const uid = text(c.uid) ?? this.fallbackId(c, timing);
      const rule = c.rrule as RRule | undefined;
      if (rule && typeof rule === 'object' && 'origOptions' in rule) out.push(...this.series(c, uid, timing, rule));
      else {
        const placed = this.place(timing, timing.startMs);
        if (isUpcoming(placed, this.t0)) out.push(this.build(c, c, uid, timing, placed));
      }
    }
    return out;
  }

  /** RFC 5545 requires a UID, but some exporters omit it; the id then derives from the content. */
  private fallbackId(c: Component, t: Timing): string {
    const base = `ics_${createHash('sha256').update([text(c.summary), t.startMs, t.spanMs, text(c.location), text(c.description)].join('\n')).digest('hex').slice(0, 20)}`;
    const seen = (this.fallbackIds.get(base) ?? 0) + 1;
    this.fallbackIds.set(base, seen);
    return seen === 1 ? base : `${base}_${seen}`;
  }

  private timingOf(c: Component): Timing | null {
    const start = c.start;
    if (!isDate(start)) return null;
    const end = isDate(c.end) ? c.end : null;
    if (c.datetype === 'date' || start.dateOnly) {
      const first = wallToUtcMs(localDay(start));
      const days = end ? Math.max(1, Math.round((wallToUtcMs(localDay(end)) - first) / DAY_MS)) : 1;
      return { allDay: true, zone: this.feed.zone, displayZone: this.feed.zone, startMs: first, spanMs: days * DAY_MS };
    }
    const zone = normalizeZone(this.zones, start.tz) ?? 'UTC';
    return {
      allDay: false,
      zone,
      // Times given in UTC are shown in the calendar's zone, as calendar apps do.
      displayZone: zone === 'UTC' ? this.feed.zone : zone,
      startMs: start.getTime(),
      spanMs: Math.max(0, (end?.getTime() ?? start.getTime()) - start.getTime()),
    };
  }

  /** Start/end instants of one occurrence; for all-day ones `at` is the day as UTC midnight. */
  private place(t: Timing, at: number): { startMs: number; endMs: number } {
    if (!t.allDay) return { startMs: at, endMs: at + t.spanMs };
    const z = t.displayZone;
    return { startMs: this.zones.instantOf(utcMsToWall(at), z), endMs: this.zones.instantOf(utcMsToWall(at + t.spanMs), z) };
  }

  /** Identity of an occurrence for EXDATE / RECURRENCE-ID matching: the instant, and the local day. */
  private keysOf(t: Timing, at: number): string[] {
    if (t.allDay) return [`d:${dateString(utcMsToWall(at))}`];
    return [`t:${at}`, `d:${dateString(this.zones.wallOf(at, t.zone))}`];
  }

  private keyOfValue(t: Timing, v: IcalDate): string {
    if (v.dateOnly) return `d:${dateString(localDay(v))}`;
    if (t.allDay) return `d:${dateString(this.zones.wallOf(v.getTime(), t.displayZone))}`;
    return `t:${v.getTime()}`;
  }

  private series(master: Component, uid: string, t: Timing, rule: RRule): PlacedEvent[] {
    const excluded = new Set<string>();
    for (const v of Object.values((master.exdate as Record<string, unknown> | undefined) ?? {})) if (isDate(v)) excluded.add(this.keyOfValue(t, v));

    const out: PlacedEvent[] = [];
    const overridden = new Set<string>();
    for (const rec of Object.values((master.recurrences as Record<string, Component> | undefined) ?? {})) {
      const rid = rec.recurrenceid;
      if (!isDate(rid)) continue;
      const key = this.keyOfValue(t, rid);
      overridden.add(key);
      // An instance both overridden and excluded stays excluded.
      if (isCancelled(rec) || excluded.has(key)) continue;
      const own = this.timingOf(rec) ?? t;
      const placed = this.place(own, own.startMs);
      if (isUpcoming(placed, this.t0)) out.push(this.build(rec, master, `${uid}_${instanceSuffix(t, rid)}`, own, placed));
    }

    const o = rule.origOptions;
    const freq = o.freq ?? 3;
    const interval = Math.max(1, o.interval ?? 1);
    let dtstart = t.allDay ? t.startMs : wallToUtcMs(this.zones.wallOf(t.startMs, t.zone));
    // UNTIL of a zoned series is an instant (RFC 5545 §3.3.10); the rule runs on wall times.
    const until = o.until ? (t.allDay ? o.until.getTime() : wallToUtcMs(this.zones.wallOf(o.until.getTime(), t.zone))) : null;
    // Instances that end after timeMin start after this wall time. For timed events the zone's own
    // offset is used (plus a margin for a DST change): a by-the-second rule then walks hours fewer.
    const from = t.allDay ? this.t0 - t.spanMs - MAX_OFFSET_MS - DAY_MS : wallToUtcMs(this.zones.wallOf(this.t0 - t.spanMs, t.zone)) - DST_MARGIN_MS;
    const to = this.t0 + (HORIZON_MS[freq] ?? 5 * YEAR_MS) + MAX_OFFSET_MS;
    const period = PERIOD_MS[freq] ? PERIOD_MS[freq] * interval : 0;
    let count = o.count ?? null;
    // A series that began years ago would otherwise be walked from its first day on every request
    // (from 1970 by the second, for a hostile feed). Without COUNT, moving the start by whole
    // periods leaves the later instances unchanged; with COUNT too when every period holds exactly
    // one instance (no BY… part), as long as the periods skipped are taken off the count.
    const onePerPeriod = !BY_PARTS.some((k) => hasValue(o[k]));
    if (period && (count === null || onePerPeriod) && from - dtstart > 2 * period) {
      const skipped = Math.floor((from - dtstart) / period) - 1;
      dtstart += skipped * period;
      if (count !== null) {
        count -= skipped;
        if (count <= 0) return out;
      }
    }

    let wanted = this.q.maxResults;
    /** One candidate, in wall time encoded as UTC; false once enough instances are found. */
    const visit = (wall: number): boolean => {
      const at = t.allDay ? wall : this.zones.instantOf(utcMsToWall(wall), t.zone);
      const placed = this.place(t, at);
      if (!isUpcoming(placed, this.t0)) return true;
      if (this.keysOf(t, at).some((k) => excluded.has(k) || overridden.has(k))) return true;
      out.push(this.build(master, master, `${uid}_${instanceSuffix(t, at)}`, t, placed));
      return --wanted > 0;
    };

    if (period && onePerPeriod) {
      // Instances are exactly dtstart + k periods: counted directly, rrule (which steps through
      // every candidate, ~30 µs each) is not needed.
      for (let k = Math.max(0, Math.ceil((from - dtstart) / period)); count === null || k < count; k++) {
        const wall = dtstart + k * period;
        if (wall > to || (until !== null && wall > until) || !visit(wall)) break;
      }
      return out;
    }
    const Rule = rule.constructor as new (options: Partial<RRuleOptions>, noCache?: boolean) => RRule;
    const options: Partial<RRuleOptions> = { ...o, count, dtstart: new Date(dtstart), tzid: null, until: until === null ? null : new Date(until) };
    new Rule(options, true).between(new Date(from), new Date(to), true, (date) => visit(date.getTime()));
    return out;
  }

  private build(c: Component, master: Component, id: string, t: Timing, placed: { startMs: number; endMs: number }): PlacedEvent {
    const pick = (k: string) => text(c[k]) ?? (c === master ? null : text(master[k]));
    const location = pick('location');
    const description = pick('description');
    const allDay = t.allDay;
    return {
      startMs: placed.startMs,
      endMs: placed.endMs,
      event: {
        id,
        title: pick('summary') ?? '(No title)',
        start: allDay ? this.dayOf(placed.startMs, t) : new Date(placed.startMs).toISOString(),
        end: allDay ? this.dayOf(placed.endMs, t) : new Date(placed.endMs).toISOString(),
        timeZone: t.displayZone,
        allDay,
        attendees: attendeesOf(c.attendee ?? (c === master ? undefined : master.attendee)),
        location,
        meetingLink: meetingLinkFrom(pick('GOOGLE-CONFERENCE'), pick('MICROSOFT-SKYPETEAMSMEETINGURL'), pick('url'), location, description),
        ...(description ? { description } : {}),
      },
    };
  }

  private dayOf(ms: number, t: Timing): string {
    return dateString(this.zones.wallOf(ms, t.displayZone));
  }
}

/** Google's convention for instance ids: the original start, as a UTC stamp or a date. */
function instanceSuffix(t: Timing, at: number | IcalDate): string {
  if (typeof at !== 'number') {
    if (at.dateOnly) return dateString(localDay(at)).replace(/-/g, '');
    at = at.getTime();
  }
  if (t.allDay) return dateString(utcMsToWall(at)).replace(/-/g, '');
  return compactUtc(at);
}

/** The first `maxResults` events that have not ended by `timeMin`, recurring ones expanded. */
export function upcomingEvents(feed: ParsedFeed, q: EventQuery) {
  return firstUpcoming(new Expander(feed, q).run(), q);
}
