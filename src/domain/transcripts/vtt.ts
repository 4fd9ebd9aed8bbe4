// WebVTT captions as exported by Zoom, Microsoft Teams, Google Meet and YouTube.
import { cuesToSegments, splitBlockIntoCues, splitBlocks, WarningList, type RawCue } from './cues.js';
import { collapseWhitespace, decodeEntities, normalizeNewlines } from './text.js';
import type { FormatParseResult } from './types.js';

const HEADER_RE = /^WEBVTT(?:[ \t]+(.*))?$/;
// Blocks that carry no captions and must not be read as cue text.
const SKIPPED_BLOCK_RE = /^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/;

/** True when the text begins with the WebVTT signature (after an optional BOM and blank lines). */
export function hasVttHeader(text: string): boolean {
  const firstLine = normalizeNewlines(text.slice(0, 4096)).trimStart().split('\n', 1)[0] ?? '';
  return HEADER_RE.test(firstLine.trimEnd());
}

function titleFromHeader(headerText: string | undefined, metadata: string[]): string | undefined {
  // "WEBVTT - Weekly sync" is how several tools put a title on the signature line.
  const fromSignature = headerText ? collapseWhitespace(decodeEntities(headerText.replace(/^[-–—:\s]+/, ''))) : '';
  if (fromSignature) return fromSignature;
  for (const line of metadata) {
    const match = /^Title\s*:\s*(.+)$/i.exec(line.trim());
    if (match) return collapseWhitespace(decodeEntities(match[1]!));
  }
  return undefined;
}

/**
 * Parses WebVTT. Per the format, only a truly empty line ends a cue: YouTube puts lines holding a
 * single space inside cues, so whitespace-only lines are cue text (and later dropped as empty).
 */
export function parseVtt(input: string): FormatParseResult {
  const warnings = new WarningList();
  const lines = normalizeNewlines(input).split('\n');
  // Leading blank lines are tolerated; the signature must still be the first text.
  let start = 0;
  while (start < lines.length && lines[start]!.trim() === '') start++;
  const blocks = splitBlocks(lines.slice(start), (line) => line === '').map((b) => ({ ...b, lineNo: b.lineNo + start }));

  const cues: RawCue[] = [];
  let title: string | undefined;
  blocks.forEach((block, i) => {
    const { preamble, cues: blockCues } = splitBlockIntoCues(block);
    if (i === 0) {
      const header = HEADER_RE.exec(preamble[0]?.trim() ?? '');
      if (header) title = titleFromHeader(header[1], preamble.slice(1));
      else warnings.add('Missing WEBVTT header; parsed the cues anyway');
      if (!header && preamble.length > 0) warnings.add(`Line ${block.lineNo}: skipped text outside any cue`);
    } else if (preamble.length > 0 && !SKIPPED_BLOCK_RE.test(preamble[0]!)) {
      warnings.add(`Line ${block.lineNo}: skipped text outside any cue`);
    }
    for (const cue of blockCues) cues.push(cue);
  });

  const segments = cuesToSegments(cues, warnings);
  const result: FormatParseResult = { segments, warnings: warnings.toArray() };
  if (title) result.title = title;
  return result;
}
