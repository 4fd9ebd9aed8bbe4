// JSON transcripts: `[...]`, `{ segments: [...] }` or `{ messages: [...] }` from transcription tools and scripts.
import { AppError } from '../errors.js';
import { WarningList } from './cues.js';
import { collapseWhitespace, normalizeNewlines } from './text.js';
import { parseOffset } from './timecode.js';
import { UNKNOWN_SPEAKER, type FormatParseResult, type TranscriptSegment } from './types.js';

const LIST_KEYS = ['segments', 'messages', 'transcript', 'utterances'] as const;
const ISO_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const HAS_ZONE_RE = /(?:Z|[+-]\d{2}:?\d{2})$/i;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A time value: an offset in ms, or an absolute wall-clock time in epoch ms. */
type Time = { kind: 'offset'; ms: number } | { kind: 'absolute'; ms: number; assumedUtc: boolean };

function readTime(value: unknown, unit: 'seconds' | 'ms'): Time | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return null;
    return { kind: 'offset', ms: Math.round(unit === 'ms' ? value : value * 1000) };
  }
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (ISO_RE.test(trimmed)) {
    // Zone-less wall-clock times are read as UTC so the result does not depend on the server's time zone.
    const assumedUtc = !HAS_ZONE_RE.test(trimmed);
    const ms = Date.parse(assumedUtc ? `${trimmed.replace(' ', 'T')}Z` : trimmed);
    return Number.isNaN(ms) ? null : { kind: 'absolute', ms, assumedUtc };
  }
  if (unit === 'ms' && /^\d+$/.test(trimmed)) return { kind: 'offset', ms: Number(trimmed) };
  const ms = parseOffset(trimmed);
  return ms === null ? null : { kind: 'offset', ms };
}

function firstTime(item: Json, keys: ReadonlyArray<[string, 'seconds' | 'ms']>): Time | null {
  for (const [key, unit] of keys) {
    if (item[key] === undefined || item[key] === null) continue;
    const time = readTime(item[key], unit);
    if (time) return time;
  }
  return null;
}

const START_KEYS: ReadonlyArray<[string, 'seconds' | 'ms']> = [
  ['startMs', 'ms'], ['start_ms', 'ms'], ['start', 'seconds'], ['startTime', 'seconds'], ['start_time', 'seconds'],
  ['timestamp', 'seconds'], ['time', 'seconds'], ['offset', 'seconds'],
];
const END_KEYS: ReadonlyArray<[string, 'seconds' | 'ms']> = [
  ['endMs', 'ms'], ['end_ms', 'ms'], ['end', 'seconds'], ['endTime', 'seconds'], ['end_time', 'seconds'],
];

/** Text from `text`/`content`, including OpenAI-style content parts `[{ type: 'text', text }]`. */
function readText(item: Json): string | null {
  for (const key of ['text', 'content', 'transcript', 'utterance']) {
    const value = item[key];
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) {
      const parts = value.map((part) => (typeof part === 'string' ? part : isObject(part) && typeof part.text === 'string' ? part.text : ''));
      return parts.join(' ');
    }
  }
  return null;
}

function readSpeaker(item: Json): string | null {
  for (const key of ['speaker', 'name', 'speakerName', 'speaker_name', 'participant', 'author', 'role']) {
    const value = item[key];
    if (typeof value === 'string' && value.trim()) return collapseWhitespace(value).slice(0, 200);
    // Diarisation tools number speakers (Deepgram: speaker 0, 1, …).
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return `Speaker ${value}`;
    if (isObject(value) && typeof value.name === 'string' && value.name.trim()) return collapseWhitespace(value.name).slice(0, 200);
  }
  return null;
}

function findList(root: unknown): { list: unknown[]; path: string } | null {
  if (Array.isArray(root)) return { list: root, path: '' };
  if (!isObject(root)) return null;
  for (const key of LIST_KEYS) {
    const value = root[key];
    if (Array.isArray(value)) return { list: value, path: key };
  }
  return null;
}

interface Draft {
  speaker: string;
  text: string;
  start: Time | null;
  end: Time | null;
}

/** Parses a JSON transcript; invalid JSON or a JSON file without a segment list is a validation_error. */
export function parseJsonTranscript(input: string): FormatParseResult {
  let root: unknown;
  try {
    root = JSON.parse(normalizeNewlines(input));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('validation_error', 'File is not valid JSON', { details: { file: `Invalid JSON: ${reason}` } });
  }
  const found = findList(root);
  if (!found) {
    throw new AppError('validation_error', 'No transcript segments found in file', {
      details: { file: 'Expected an array of segments, or an object with a "segments" or "messages" array' },
    });
  }

  const warnings = new WarningList();
  const drafts: Draft[] = [];
  let lastSpeaker: string | null = null;
  let assumedUtc = false;
  found.list.forEach((item, i) => {
    const where = found.path ? `${found.path}.${i}` : `${i}`;
    if (!isObject(item)) {
      warnings.add(`${where}: skipped an entry that is not an object`);
      return;
    }
    const rawText = readText(item);
    const text = rawText === null ? '' : collapseWhitespace(rawText);
    if (text === '') {
      warnings.add(`${where}: skipped an entry without text`);
      return;
    }
    const speaker: string = readSpeaker(item) ?? lastSpeaker ?? UNKNOWN_SPEAKER;
    lastSpeaker = speaker;
    const start = firstTime(item, START_KEYS);
    const end = firstTime(item, END_KEYS);
    if (start?.kind === 'absolute' && start.assumedUtc) assumedUtc = true;
    drafts.push({ speaker, text, start, end });
  });
  if (assumedUtc) warnings.add('Timestamps without a time zone were read as UTC');

  // Wall-clock times become offsets from the earliest one, which is reported as the start time.
  const absolutes = drafts.flatMap((d) => [d.start, d.end]).filter((t): t is Time => t?.kind === 'absolute').map((t) => t.ms);
  const base = absolutes.length > 0 ? absolutes.reduce((min, ms) => Math.min(min, ms)) : null;
  const toMs = (time: Time | null): number | null => {
    if (!time) return null;
    return time.kind === 'offset' ? time.ms : time.ms - (base ?? time.ms);
  };
  const segments: TranscriptSegment[] = drafts.map((d) => {
    const startMs = toMs(d.start);
    const endMs = toMs(d.end);
    return { speaker: d.speaker, text: d.text, startMs, endMs: endMs !== null && (startMs === null || endMs >= startMs) ? endMs : null };
  });

  const result: FormatParseResult = { segments, warnings: warnings.toArray() };
  if (isObject(root) && typeof root.title === 'string' && root.title.trim()) result.title = collapseWhitespace(root.title).slice(0, 500);
  if (base !== null) result.startTime = new Date(base).toISOString();
  return result;
}
