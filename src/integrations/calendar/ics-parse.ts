// iCalendar feeds, parsing side: node-ical does the work (unfolding, escapes, parameters, TZID
// resolution including Windows zone names, RECURRENCE-ID grouping); floating times are pinned to
// the calendar's zone first. Recurrence expansion is in ics-expand.ts.
import ical from 'node-ical';
import type { CalendarResponse } from 'node-ical';
import { compactUtc, isUtcZone, Zones, type Wall } from './zones.js';

export interface ParsedFeed {
  components: CalendarResponse;
  /** The calendar's own zone (X-WR-TIMEZONE), else the user's: used for floating and all-day times. */
  zone: string;
}

export class FeedParseError extends Error {}

// Years of a busy calendar stay well under this; each event costs parsing and, if it recurs,
// expansion on every request.
export const MAX_FEED_EVENTS = 20_000;

/** The cheap checks, run before a feed is cached or parsed: an iCalendar document of bounded size. */
export function checkFeedText(text: string): void {
  if (!/^\uFEFF?\s*BEGIN:VCALENDAR/i.test(text)) throw new FeedParseError('not an iCalendar document (no BEGIN:VCALENDAR)');
  let events = 0;
  for (const _ of text.matchAll(/^BEGIN:VEVENT/gim)) {
    if (++events > MAX_FEED_EVENTS) throw new FeedParseError(`it holds more than ${MAX_FEED_EVENTS} events`);
  }
}

/** Parses an iCalendar document; floating times are pinned to the calendar's zone first. */
export async function parseFeed(text: string, fallbackZone: string): Promise<ParsedFeed> {
  const zones = new Zones();
  checkFeedText(text);
  const unfolded = text.replace(/^\uFEFF/, '').replace(/\r?\n[ \t]/g, '');
  const declared = /^X-WR-TIMEZONE[^:\r\n]*:([^\r\n]+)$/im.exec(unfolded)?.[1]?.trim();
  const zone = normalizeZone(zones, declared) ?? normalizeZone(zones, fallbackZone) ?? 'UTC';
  let components: CalendarResponse;
  try {
    components = await ical.async.parseICS(pinFloatingTimes(unfolded, zone, zones));
  } catch (err) {
    throw new FeedParseError(`the iCalendar document could not be parsed: ${(err as Error).message}`);
  }
  return { components, zone };
}

export function normalizeZone(zones: Zones, zone: string | null | undefined): string | null {
  if (!zone) return null;
  if (isUtcZone(zone)) return 'UTC';
  return zones.isValid(zone) ? zone : null;
}

const DATE_PROP = /^(DTSTART|DTEND|RECURRENCE-ID|EXDATE|RDATE)[;:]/i;
const FLOATING_LIST = /^\d{8}T\d{6}(,\d{8}T\d{6})*$/;

function parseCompact(v: string): Wall {
  return { year: +v.slice(0, 4), month: +v.slice(4, 6), day: +v.slice(6, 8), hour: +v.slice(9, 11), minute: +v.slice(11, 13), second: +v.slice(13, 15) };
}

/**
 * RFC 5545 floating times ("20260310T090000", no TZID, no Z) mean "local time wherever you are".
 * For one user's calendar that is the calendar's zone, so they get an explicit TZID here (and a
 * floating UNTIL becomes the UTC instant it names). Left alone, node-ical would read them in the
 * server's zone or in whichever VTIMEZONE it meets first. VTIMEZONE blocks are not touched.
 */
function pinFloatingTimes(text: string, zone: string, zones: Zones): string {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  let block: string[] | null = null;
  let nested = 0;
  for (const line of lines) {
    if (block === null) {
      if (/^BEGIN:VEVENT\s*$/i.test(line)) block = [line];
      else out.push(line);
      continue;
    }
    block.push(line);
    if (/^BEGIN:/i.test(line)) nested++;
    else if (/^END:VEVENT\s*$/i.test(line) && nested === 0) {
      out.push(...pinBlock(block, zone, zones));
      block = null;
    } else if (/^END:/i.test(line)) nested = Math.max(0, nested - 1);
  }
  if (block) out.push(...block);
  return out.join('\r\n');
}

function pinBlock(block: string[], zone: string, zones: Zones): string[] {
  let depth = 0;
  let floatingStart = false;
  const rewritten = block.map((line, i) => {
    if (i > 0 && /^BEGIN:/i.test(line)) depth++;
    if (/^END:/i.test(line) && i < block.length - 1) depth--;
    if (depth > 0 || !DATE_PROP.test(line)) return line;
    const colon = line.lastIndexOf(':');
    const head = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (/TZID=/i.test(head) || /VALUE=DATE(?!-)/i.test(head) || !FLOATING_LIST.test(value)) return line;
    if (/^DTSTART/i.test(head)) floatingStart = true;
    if (zone === 'UTC') return `${head}:${value.split(',').map((v) => `${v}Z`).join(',')}`;
    return `${head};TZID=${zone}:${value}`;
  });
  if (!floatingStart) return rewritten;
  return rewritten.map((line) =>
    /^RRULE[;:]/i.test(line) ? line.replace(/UNTIL=(\d{8}T\d{6})(?!Z)/i, (_m, v: string) => `UNTIL=${compactUtc(zones.instantOf(parseCompact(v), zone))}`) : line,
  );
}
