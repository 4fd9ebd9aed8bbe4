// Display helpers: dates, durations, numbers, speaker colours.

function validDate(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDateTime(iso: string | null | undefined): string {
  const d = validDate(iso);
  return d ? d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';
}

export function formatDate(iso: string | null | undefined): string {
  const d = validDate(iso);
  return d ? d.toLocaleDateString(undefined, { dateStyle: 'medium' }) : '—';
}

/** `YYYY-MM-DD` calendar dates are shown as-is in the local format without a timezone shift. */
export function formatCalendarDate(date: string): string {
  const d = localDay(date);
  if (!d) return date;
  return d.toLocaleDateString(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' });
}

/** A `YYYY-MM-DD` string → that day at local midnight (not UTC), or null. */
function localDay(date: string, offsetDays = 0): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + offsetDays) : null;
}

/**
 * An all-day event's days from its `YYYY-MM-DD` start and exclusive end: one date for a one-day
 * event, "first – last" for a longer one (last = end minus one day). No times, no timezone shift.
 */
export function formatAllDayRange(start: string, end: string): string {
  const first = localDay(start);
  const last = localDay(end, -1);
  if (!first || !last || last.getTime() <= first.getTime()) return formatCalendarDate(start);
  const lastText = `${last.getFullYear()}-${String(last.getMonth() + 1).padStart(2, '0')}-${String(last.getDate()).padStart(2, '0')}`;
  return `${formatCalendarDate(start)} – ${formatCalendarDate(lastText)}`;
}

/** Minutes → "45 min" / "1 h 5 min". */
export function formatDuration(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return '—';
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest ? `${h} h ${rest} min` : `${h} h`;
}

/** Seconds → "m:ss" or "h:mm:ss". */
export function formatElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

export function formatNumber(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return Number.isInteger(n) ? String(n) : n.toFixed(digits);
}

export function humanize(value: string): string {
  const spaced = value.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1).toLowerCase();
}

// Text colours with at least 4.5:1 contrast on white and on the highlight background.
const speakerPalette = ['#1d4ed8', '#b91c1c', '#166534', '#6d28d9', '#92400e', '#155e75', '#a21caf', '#3f6212', '#334155'];

function paletteIndex(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % speakerPalette.length;
}

/** One speaker's colour from a hash of the name (two names can share one: prefer `speakerColors`). */
export function speakerColor(name: string): string {
  return speakerPalette[paletteIndex(name)];
}

/** How a speaker's rule is drawn once the colours have been used once: hue and pattern together tell speakers apart. */
export type SpeakerPattern = 'solid' | 'dashed' | 'dotted' | 'double';
const patterns: SpeakerPattern[] = ['solid', 'dashed', 'dotted', 'double'];

export interface SpeakerStyle {
  color: string;
  pattern: SpeakerPattern;
}

function channel(v: number): number {
  const c = v / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function luminance(r: number, g: number, b: number): number {
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/**
 * The n-th extra hue (golden-angle steps, so neighbours differ most), darkened until it reads at
 * 5:1 or better on white and on the highlight background.
 */
function extraColor(n: number): string {
  const hue = (n * 137.508 + 20) % 360;
  for (let l = 0.42; ; l -= 0.02) {
    const [r, g, b] = hslToRgb(hue, 0.75, l);
    if (1.05 / (luminance(r, g, b) + 0.05) >= 5.6 || l <= 0.1) return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  }
}

/**
 * A distinct colour and rule pattern for every speaker of one conversation, for any number of
 * speakers: the first nine (in name order) keep their hashed palette colour where it is free; later
 * ones get generated hues, and each further round of speakers a different rule pattern, so no two
 * speakers look alike. The result depends only on the set of names, so the transcript, the legend
 * and the charts agree.
 */
export function speakerStyles(names: Iterable<string>): (name: string) => SpeakerStyle {
  const styles = new Map<string, SpeakerStyle>();
  const sorted = Array.from(new Set(names)).filter(Boolean).sort();
  const taken = new Set<number>();
  sorted.forEach((name, i) => {
    const round = Math.floor(i / speakerPalette.length);
    const pattern = patterns[round % patterns.length];
    if (round === 0) {
      let p = paletteIndex(name);
      while (taken.has(p)) p = (p + 1) % speakerPalette.length;
      taken.add(p);
      styles.set(name, { color: speakerPalette[p], pattern });
    } else {
      styles.set(name, { color: extraColor(i - speakerPalette.length), pattern });
    }
  });
  return (name) => styles.get(name) ?? { color: speakerColor(name), pattern: 'solid' };
}

/** The colours of `speakerStyles` (charts, which have no rule to pattern). */
export function speakerColors(names: Iterable<string>): (name: string) => string {
  const style = speakerStyles(names);
  return (name) => style(name).color;
}

/** A `<input type="date">` value (local day) → ISO 8601 at local midnight. */
export function dateInputToIso(value: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).toISOString();
}

/** `<input type="datetime-local">` value → ISO 8601. */
export function localDateTimeToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** A wait as a person reads it, in minutes (never a count of seconds): "about 12 minutes", "1 hour". */
export function formatWait(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes < 60) return minutes === 1 ? 'about a minute' : `about ${minutes} minutes`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${hours} hour${hours === 1 ? '' : 's'}${rest ? ` ${rest} minute${rest === 1 ? '' : 's'}` : ''}`;
}
