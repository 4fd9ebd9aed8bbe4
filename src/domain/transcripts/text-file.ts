// Plain-text transcripts: `Name: text` lines, optionally with `[00:01:23]` / `00:01:23` timestamps.
import { WarningList } from './cues.js';
import { isHeadingLabel, isPlausibleSpeaker, splitLabel, splitSpeakerLabel } from './labels.js';
import { collapseWhitespace, decodeEntities, normalizeNewlines } from './text.js';
import { parseTimecode } from './timecode.js';
import { UNKNOWN_SPEAKER, type FormatParseResult, type TranscriptSegment } from './types.js';

// h:mm:ss, hh:mm:ss(.mmm) or m:ss, optionally in brackets or parentheses.
const TS = String.raw`[\[(]?(\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)[\])]?`;
const TS_FIRST_RE = new RegExp(String.raw`^${TS}(?:\s+|\s*[-–—|]\s*|$)(.*)$`);
// "Alice Chen [00:01:23]: text" / "Alice Chen (01:23): text" / "Alice Chen 00:01:23: text"
const NAME_TS_COLON_RE = new RegExp(String.raw`^([^:\[\]()]{1,40}?)\s+${TS}\s*:\s*(.*)$`);
// "Alice Chen  0:03" on its own line, the text following on the next lines (Otter-style exports).
const NAME_TS_LINE_RE = new RegExp(String.raw`^([^:\[\]()]{1,40}?)\s+${TS}$`);
const TS_AFTER_LABEL_RE = new RegExp(String.raw`^${TS}\s+(.*)$`);
const TITLE_KEYS = new Set(['title', 'meeting', 'subject', 'topic']);

interface Turn {
  speaker: string | null;
  startMs: number | null;
  lines: string[];
}

interface LineMatch {
  speaker: string | null;
  startMs: number | null;
  rest: string;
}

/** Speaker and timestamp at the start of a line, or null when the line continues the current turn. */
function matchTurnStart(line: string): LineMatch | null {
  const tsFirst = TS_FIRST_RE.exec(line);
  if (tsFirst) {
    const startMs = parseTimecode(tsFirst[1]!);
    if (startMs !== null) {
      const rest = tsFirst[2]!.trim();
      const label = splitSpeakerLabel(rest);
      if (label) return { speaker: label.label, startMs, rest: label.rest };
      // Without a label the words belong to whoever spoke last ("[00:05] Thanks" is not a speaker named Thanks).
      return { speaker: null, startMs, rest };
    }
  }
  for (const re of [NAME_TS_COLON_RE, NAME_TS_LINE_RE]) {
    const m = re.exec(line);
    if (m && isPlausibleSpeaker(m[1]!)) {
      const startMs = parseTimecode(m[2]!);
      if (startMs !== null) return { speaker: m[1]!.trim(), startMs, rest: (m[3] ?? '').trim() };
    }
  }
  const label = splitSpeakerLabel(line);
  if (!label) return null;
  const ts = TS_AFTER_LABEL_RE.exec(label.rest);
  const startMs = ts ? parseTimecode(ts[1]!) : null;
  return { speaker: label.label, startMs, rest: startMs !== null && ts ? ts[2]!.trim() : label.rest };
}

function headerTitle(line: string): string | null {
  const split = splitLabel(line);
  if (split && TITLE_KEYS.has(split.label.toLowerCase()) && split.rest) return split.rest;
  return null;
}

/** Each blank-line-separated paragraph becomes one segment by an unknown speaker. */
function paragraphs(lines: string[]): TranscriptSegment[] {
  const out: TranscriptSegment[] = [];
  let current: string[] = [];
  const flush = () => {
    const text = collapseWhitespace(current.join(' '));
    if (text) out.push({ speaker: UNKNOWN_SPEAKER, text, startMs: null, endMs: null });
    current = [];
  };
  for (const line of lines) {
    if (line.trim() === '') flush();
    else current.push(decodeEntities(line));
  }
  flush();
  return out;
}

/**
 * Parses a plain-text transcript. Lines before the first speaker are a header: a `Title:` (or
 * `Meeting:`/`Subject:`) line or else the first line becomes the title. Text with no speaker
 * labels at all is kept, one segment per paragraph, attributed to "Unknown".
 */
export function parseTextTranscript(input: string): FormatParseResult {
  const warnings = new WarningList();
  const lines = normalizeNewlines(input).split('\n');
  const turns: Turn[] = [];
  const preamble: string[] = [];
  let lastSpeaker: string | null = null;

  for (const rawLine of lines) {
    const line = rawLine.trim();
    if (line === '') continue;
    const start = matchTurnStart(line);
    if (start && (start.speaker !== null || turns.length > 0)) {
      const speaker: string | null = start.speaker ?? lastSpeaker;
      lastSpeaker = speaker;
      turns.push({ speaker, startMs: start.startMs, lines: start.rest ? [start.rest] : [] });
    } else if (turns.length > 0) {
      turns[turns.length - 1]!.lines.push(line);
    } else {
      preamble.push(line);
    }
  }

  let title: string | undefined;
  if (turns.length === 0) {
    const segments = paragraphs(lines);
    if (segments.length > 0) warnings.add('No speaker labels found; each paragraph was attributed to "Unknown"');
    return { segments, warnings: warnings.toArray() };
  }
  for (const line of preamble) title ??= headerTitle(line) ?? undefined;
  if (title === undefined && preamble.length > 0 && preamble[0]!.length <= 120) title = preamble[0];
  // Header fields such as "Date:" or "Attendees:" are expected; only unexplained lines are worth a warning.
  const skipped = preamble.filter((line) => {
    const split = splitLabel(line);
    return line !== title && !(split && isHeadingLabel(split.label));
  }).length;
  if (skipped > 0) warnings.add(`Skipped ${skipped} line(s) before the first speaker`);

  const segments: TranscriptSegment[] = [];
  for (const turn of turns) {
    const text = collapseWhitespace(decodeEntities(turn.lines.join(' ')));
    if (text === '') continue;
    segments.push({ speaker: turn.speaker ?? UNKNOWN_SPEAKER, text, startMs: turn.startMs, endMs: null });
  }
  const result: FormatParseResult = { segments, warnings: warnings.toArray() };
  if (title) result.title = collapseWhitespace(title).slice(0, 500);
  return result;
}
