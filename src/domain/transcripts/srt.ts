// SubRip (.srt) subtitles: index, `00:00:01,000 --> 00:00:04,000`, text lines, blank line.
import { cuesToSegments, splitBlockIntoCues, splitBlocks, WarningList, type RawCue } from './cues.js';
import { normalizeNewlines } from './text.js';
import type { FormatParseResult } from './types.js';

// A cue index line followed by an SRT timing line (comma before the milliseconds).
const SRT_SIGNATURE_RE = /^[ \t]*\d+[ \t]*\n[ \t]*\d{1,3}:\d{2}:\d{2},\d{1,3}[ \t]+-->[ \t]+\d{1,3}:\d{2}:\d{2},\d{1,3}/m;

/** True when the text contains at least one SRT-style numbered cue. */
export function looksLikeSrt(text: string): boolean {
  return SRT_SIGNATURE_RE.test(normalizeNewlines(text.slice(0, 8192)));
}

/**
 * Parses SRT. Unlike WebVTT, SRT writers are inconsistent about separators, so any
 * whitespace-only line ends a cue, and a missing trailing blank line is fine.
 */
export function parseSrt(input: string): FormatParseResult {
  const warnings = new WarningList();
  const lines = normalizeNewlines(input).split('\n');
  const blocks = splitBlocks(lines, (line) => line.trim() === '');
  const cues: RawCue[] = [];
  for (const block of blocks) {
    const { preamble, cues: blockCues } = splitBlockIntoCues(block);
    if (preamble.length > 0) {
      const what = preamble.every((line) => /^\s*\d+\s*$/.test(line)) ? 'a cue number without a timing line' : 'text outside any cue';
      warnings.add(`Line ${block.lineNo}: skipped ${what}`);
    }
    for (const cue of blockCues) cues.push(cue);
  }
  return { segments: cuesToSegments(cues, warnings), warnings: warnings.toArray() };
}
