// Choosing a parser for an uploaded transcript file, and the entry point for `POST /conversations/import`.
import { AppError } from '../errors.js';
import { parseJsonTranscript } from './json-file.js';
import { looksLikeSrt, parseSrt } from './srt.js';
import { decodeFileData, looksBinary, normalizeNewlines } from './text.js';
import { parseTextTranscript } from './text-file.js';
import type { FormatParseResult, ParsedTranscriptFile, TranscriptFileFormat } from './types.js';
import { hasVttHeader, parseVtt } from './vtt.js';

export interface TranscriptFileInput {
  filename: string;
  contentType?: string;
  data: Buffer | string;
}

const BY_EXTENSION: Readonly<Record<string, TranscriptFileFormat>> = {
  vtt: 'vtt',
  webvtt: 'vtt',
  srt: 'srt',
  json: 'json',
  txt: 'text',
  text: 'text',
  md: 'text',
  log: 'text',
};

const BY_CONTENT_TYPE: Readonly<Record<string, TranscriptFileFormat>> = {
  'text/vtt': 'vtt',
  'application/x-subrip': 'srt',
  'text/srt': 'srt',
  'application/json': 'json',
  'text/json': 'json',
  'text/plain': 'text',
};

// A WebVTT timing line (dot before the milliseconds), for captions that lost their header.
const VTT_TIMING_RE = /^[ \t]*(?:\d{1,3}:)?\d{2}:\d{2}\.\d{1,3}\s+-->\s+(?:\d{1,3}:)?\d{2}:\d{2}\.\d{1,3}/m;

// An SRT timing line (comma before the milliseconds), for subtitles that lost their cue numbers.
const SRT_TIMING_RE = /^[ \t]*\d{1,3}:\d{2}:\d{2},\d{1,3}\s+-->/m;

function extensionOf(filename: string): string {
  const base = filename.replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Decides the format from the content first (WEBVTT signature, numbered SRT cues, parseable
 * JSON), then from the file extension and content type; anything else is read as plain text.
 * Content wins because uploads are routinely misnamed (a Teams `.txt` that is really WebVTT).
 */
export function detectFormat(input: { filename: string; contentType?: string; text: string }): TranscriptFileFormat {
  const text = normalizeNewlines(input.text);
  const head = text.trimStart();
  if (hasVttHeader(head)) return 'vtt';
  if ((head.startsWith('{') || head.startsWith('[')) && isJson(head)) return 'json';
  if (looksLikeSrt(head)) return 'srt';
  const byExtension = BY_EXTENSION[extensionOf(input.filename)];
  if (byExtension) return byExtension;
  const mime = (input.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const byType = BY_CONTENT_TYPE[mime];
  if (byType && byType !== 'text') return byType;
  const sample = head.slice(0, 8192);
  if (VTT_TIMING_RE.test(sample)) return 'vtt';
  if (SRT_TIMING_RE.test(sample)) return 'srt';
  return 'text';
}

const PARSERS: Readonly<Record<TranscriptFileFormat, (text: string) => FormatParseResult>> = {
  vtt: parseVtt,
  srt: parseSrt,
  json: parseJsonTranscript,
  text: parseTextTranscript,
};

const EMPTY_REASON: Readonly<Record<TranscriptFileFormat, string>> = {
  vtt: 'The WebVTT file has no cues with text',
  srt: 'The SRT file has no cues with text',
  json: 'The JSON file has no entries with text',
  text: 'The file has no text',
};

/**
 * Parses an uploaded transcript file (WebVTT, SRT, JSON or plain text). Bad input of any kind —
 * binary data, broken JSON, a file without usable cues — is a validation_error, never a crash.
 */
export function parseTranscriptFile(input: TranscriptFileInput): ParsedTranscriptFile {
  const filename = typeof input.filename === 'string' ? input.filename : '';
  let text: string;
  try {
    text = decodeFileData(input.data);
  } catch (error) {
    throw new AppError('validation_error', 'File could not be read as text', { details: { file: 'Not a text file' }, cause: error });
  }
  if (looksBinary(text)) {
    throw new AppError('validation_error', 'File is not a text transcript', {
      details: { file: 'Binary content; upload WebVTT, SRT, JSON or plain text' },
    });
  }
  const format = detectFormat({ filename, contentType: input.contentType, text });
  const parsed = PARSERS[format](text);
  if (parsed.segments.length === 0) {
    throw new AppError('validation_error', 'No transcript segments found in file', { details: { file: EMPTY_REASON[format] } });
  }
  return { format, ...parsed };
}
