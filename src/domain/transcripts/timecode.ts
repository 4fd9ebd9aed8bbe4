// Caption and transcript timecodes <-> milliseconds.

// hh:mm:ss(.|,)fff, mm:ss(.|,)fff, h:mm:ss or mm:ss; fraction 1-9 digits (some tools over-report precision).
const TIMECODE_RE = /^(?:(\d{1,3}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,9}))?$/;

/**
 * Parses `01:02:03.456`, `02:03.456`, `00:00:01,000` (SRT) or `1:02:03` into milliseconds.
 * Returns null for anything else, including minutes or seconds of 60 and above.
 */
export function parseTimecode(input: string): number | null {
  const match = TIMECODE_RE.exec(input.trim());
  if (!match) return null;
  const hours = match[1] === undefined ? 0 : Number(match[1]);
  const minutes = Number(match[2]);
  const seconds = Number(match[3]);
  if (minutes > 59 || seconds > 59) return null;
  const fraction = match[4] ?? '';
  // ".5" means half a second, not 5 ms, so pad/truncate to exactly three digits.
  const millis = fraction === '' ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
}

/** Seconds (possibly fractional) to whole milliseconds; null for negative or non-finite input. */
export function secondsToMs(seconds: number): number | null {
  if (!Number.isFinite(seconds) || seconds < 0) return null;
  return Math.round(seconds * 1000);
}

/**
 * An offset given in a JSON transcript: a number of seconds, a numeric string of seconds
 * (`"83.5"`) or a timecode string (`"00:01:23.500"`). Wall-clock ISO times are not offsets.
 */
export function parseOffset(value: unknown): number | null {
  if (typeof value === 'number') return secondsToMs(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (/^\d+(?:\.\d+)?s?$/.test(trimmed)) return secondsToMs(Number(trimmed.replace(/s$/, '')));
  return parseTimecode(trimmed);
}

/** Formats milliseconds as `hh:mm:ss.mmm`, the WebVTT form. */
export function formatTimecode(ms: number): string {
  const safe = Math.max(0, Math.round(ms));
  const hours = Math.floor(safe / 3_600_000);
  const minutes = Math.floor((safe % 3_600_000) / 60_000);
  const seconds = Math.floor((safe % 60_000) / 1000);
  const millis = safe % 1000;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(hours)}:${two(minutes)}:${two(seconds)}.${String(millis).padStart(3, '0')}`;
}

// A cue timing line: `start --> end` followed by optional settings (`align:start position:0%`).
const TIMING_LINE_RE = /^\s*(\S+)\s+-->\s+(\S+)(?:\s+(.*))?$/;

export interface CueTiming {
  startMs: number;
  /** null when the end is missing, unparsable or before the start. */
  endMs: number | null;
  settings: string;
}

/** True when a line is meant as a cue timing line, even if its timecodes turn out to be broken. */
export function isTimingLine(line: string): boolean {
  return line.includes('-->');
}

/** Parses a timing line; null when the start time cannot be read. */
export function parseTimingLine(line: string): CueTiming | null {
  const match = TIMING_LINE_RE.exec(line);
  if (!match) return null;
  const startMs = parseTimecode(match[1]!);
  if (startMs === null) return null;
  const end = parseTimecode(match[2]!);
  return { startMs, endMs: end !== null && end >= startMs ? end : null, settings: (match[3] ?? '').trim() };
}
