// Shapes shared by the file-import parsers (`POST /conversations/import`).

export type TranscriptFileFormat = 'vtt' | 'srt' | 'json' | 'text';

/** One utterance from an imported file; offsets are milliseconds from the start of the recording. */
export interface TranscriptSegment {
  speaker: string;
  text: string;
  startMs: number | null;
  endMs: number | null;
}

export interface ParsedTranscriptFile {
  format: TranscriptFileFormat;
  segments: TranscriptSegment[];
  title?: string;
  /** Absolute start of the recording when the file carried wall-clock times (JSON with ISO timestamps). */
  startTime?: string;
  /** Things that were skipped or guessed; never fatal. */
  warnings: string[];
}

/** What a single-format parser returns before the dispatcher adds `format`. */
export type FormatParseResult = Omit<ParsedTranscriptFile, 'format'>;

/** Speaker used when a file gives no attribution at all. */
export const UNKNOWN_SPEAKER = 'Unknown';
