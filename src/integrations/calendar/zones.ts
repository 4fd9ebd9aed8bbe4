// Wall-clock arithmetic in IANA time zones on top of Intl, for recurrence expansion: rules are
// applied to local wall times (RFC 5545 §3.3.10) and only then turned into instants.

export interface Wall {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export const DAY_MS = 86_400_000;

/** A wall time encoded as if it were UTC: the "floating" form recurrence rules are expanded in. */
export function wallToUtcMs(w: Wall): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

export function utcMsToWall(ms: number): Wall {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

/** 20260303T150000Z: the UTC form used in iCalendar values and in instance ids. */
export function compactUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function dateString(w: Pick<Wall, 'year' | 'month' | 'day'>): string {
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

const UTC_NAMES = new Set(['utc', 'etc/utc', 'etc/gmt', 'gmt', 'z', 'etc/zulu', 'zulu', 'etc/universal', 'universal', 'etc/gmt0', 'etc/gmt+0', 'etc/gmt-0']);

export function isUtcZone(zone: string): boolean {
  return UTC_NAMES.has(zone.toLowerCase());
}

/**
 * Zone conversions with a formatter cache. One instance serves one parse or request; formatters
 * are costly to build but the set of zones in a calendar is small.
 */
export class Zones {
  private readonly formatters = new Map<string, Intl.DateTimeFormat | null>();

  private formatter(zone: string): Intl.DateTimeFormat | null {
    let f = this.formatters.get(zone);
    if (f === undefined) {
      try {
        f = new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
          era: 'short',
        });
      } catch {
        f = null;
      }
      this.formatters.set(zone, f);
    }
    return f;
  }

  isValid(zone: string | null | undefined): zone is string {
    return Boolean(zone) && this.formatter(zone!) !== null;
  }

  wallOf(ms: number, zone: string): Wall {
    // The common case, and the one a by-the-second rule hits thousands of times: no Intl call.
    if (zone === 'UTC') return utcMsToWall(ms);
    const f = this.formatter(zone);
    if (!f) return utcMsToWall(ms);
    const parts: Record<string, string> = {};
    for (const p of f.formatToParts(new Date(ms))) parts[p.type] = p.value;
    let year = Number(parts.year);
    if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
    return {
      year,
      month: Number(parts.month),
      day: Number(parts.day),
      hour: Number(parts.hour) % 24,
      minute: Number(parts.minute),
      second: Number(parts.second),
    };
  }

  /** UTC offset of `zone` at instant `ms`, in ms (east positive). */
  offsetAt(ms: number, zone: string): number {
    const whole = Math.floor(ms / 1000) * 1000;
    return wallToUtcMs(this.wallOf(whole, zone)) - whole;
  }

  /**
   * The instant a wall time names in `zone`. RFC 5545 §3.3.5: a time skipped by a forward
   * transition is read with the offset from before the gap (02:30 becomes 03:30), and a time that
   * occurs twice is the first of the two.
   */
  instantOf(wall: Wall, zone: string): number {
    const local = wallToUtcMs(wall);
    if (zone === 'UTC' || !this.formatter(zone)) return local;
    const before = this.offsetAt(local - DAY_MS / 2, zone);
    const after = this.offsetAt(local + DAY_MS / 2, zone);
    const candidates = [local - before, local - after].filter((t) => wallToUtcMs(this.wallOf(t, zone)) === local);
    if (candidates.length) return Math.min(...candidates);
    return local - before;
  }
}
