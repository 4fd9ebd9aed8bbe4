// Block and cue-text machinery shared by the WebVTT and SRT parsers.
import { splitBracketSpeaker, splitSpeakerLabel } from './labels.js';
import { collapseWhitespace, decodeEntities } from './text.js';
import { isTimingLine, parseTimingLine, type CueTiming } from './timecode.js';
import { UNKNOWN_SPEAKER, type TranscriptSegment } from './types.js';

const MAX_WARNINGS = 20;

/** Collects warnings but caps them, so a broken 50,000-cue file cannot produce a 50,000-line response. */
export class WarningList {
  private readonly items: string[] = [];
  private dropped = 0;

  add(message: string): void {
    if (this.items.length < MAX_WARNINGS) this.items.push(message);
    else this.dropped++;
  }

  toArray(): string[] {
    return this.dropped > 0 ? [...this.items, `…and ${this.dropped} more warnings`] : [...this.items];
  }
}

export interface Block {
  /** 1-based line number of the block's first line, for warnings. */
  lineNo: number;
  lines: string[];
}

/** Splits normalised text into blocks of non-blank lines. */
export function splitBlocks(lines: string[], isBlank: (line: string) => boolean): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  lines.forEach((line, i) => {
    if (isBlank(line)) {
      current = null;
      return;
    }
    if (current === null) {
      current = { lineNo: i + 1, lines: [] };
      blocks.push(current);
    }
    current.lines.push(line);
  });
  return blocks;
}

// Zoom numbers cues; Teams uses ids like `1a2b3c4d-5e6f-…/12-0`.
const CUE_ID_RE = /^(?:\d+|[0-9a-fA-F]{4,}(?:-[0-9a-fA-F]+)+(?:\/\d+-\d+)?)$/;

export interface RawCue {
  lineNo: number;
  id: string | null;
  timingLine: string;
  timing: CueTiming | null;
  textLines: string[];
}

export interface SplitBlock {
  /** Lines before the first timing line (minus a cue id): header, NOTE text or stray text. */
  preamble: string[];
  cues: RawCue[];
}

/**
 * Finds the cues in one block. Normally a block is one cue, but sloppy exports omit the blank
 * line between cues, so every timing line starts a new cue and an id-looking line just before
 * it is taken as that cue's identifier rather than as text of the previous cue.
 */
export function splitBlockIntoCues(block: Block): SplitBlock {
  const timingIdx: number[] = [];
  block.lines.forEach((line, i) => {
    if (isTimingLine(line)) timingIdx.push(i);
  });
  if (timingIdx.length === 0) return { preamble: block.lines, cues: [] };

  const idBefore = (t: number, floor: number): boolean => t - 1 >= floor && CUE_ID_RE.test(block.lines[t - 1]!.trim());
  const first = timingIdx[0]!;
  const firstHasId = idBefore(first, 0);
  const preamble = block.lines.slice(0, firstHasId ? first - 1 : first);
  const cues: RawCue[] = timingIdx.map((t, j) => {
    const next = timingIdx[j + 1] ?? block.lines.length;
    const nextHasId = j + 1 < timingIdx.length && idBefore(next, t + 1);
    const hasId = j === 0 ? firstHasId : idBefore(t, timingIdx[j - 1]! + 1);
    const timingLine = block.lines[t]!;
    return {
      lineNo: block.lineNo + t,
      id: hasId ? block.lines[t - 1]!.trim() : null,
      timingLine,
      timing: parseTimingLine(timingLine),
      textLines: block.lines.slice(t + 1, nextHasId ? next - 1 : next),
    };
  });
  return { preamble, cues };
}

interface Piece {
  /** Speaker named in this cue, or null to inherit the previous one. */
  speaker: string | null;
  lines: string[];
}

// Only real tag shapes count, so prose like "a < b and c > d" survives: <v Name>, </v>, <c.red>, <i>, <00:00:01.000>.
const TAG_RE = /<(\/?[a-zA-Z][\w.-]*(?:[ \t][^<>\n]*)?|\d{1,3}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?)>/g;
// SSA/ASS override codes that some SRT writers leave in, e.g. {\an8}.
const ASS_OVERRIDE_RE = /\{\\[^{}\n]*\}/g;

/** Splits cue text at `<v Name>` voice spans; text outside any span gets speaker null. */
function splitVoices(raw: string): Piece[] {
  const pieces: Piece[] = [];
  let current: Piece = { speaker: null, lines: [] };
  let buffer = '';
  const flush = () => {
    if (buffer !== '') for (const line of buffer.split('\n')) current.lines.push(line);
    buffer = '';
    if (current.lines.some((line) => line.trim() !== '')) pieces.push(current);
  };
  let last = 0;
  for (const match of raw.matchAll(TAG_RE)) {
    buffer += raw.slice(last, match.index);
    last = match.index + match[0].length;
    const tag = match[1]!;
    const voice = /^v(?:\.[\w.-]*)?(?:[ \t]+(.*))?$/.exec(tag);
    if (voice) {
      flush();
      current = { speaker: collapseWhitespace(decodeEntities(voice[1] ?? '')) || null, lines: [] };
    } else if (tag === '/v') {
      flush();
      current = { speaker: null, lines: [] };
    }
  }
  buffer += raw.slice(last);
  flush();
  return pieces;
}

function cleanLine(line: string): string {
  return collapseWhitespace(decodeEntities(line.replace(ASS_OVERRIDE_RE, '')));
}

/** Splits an unvoiced piece further wherever a line starts with a speaker label (`Name:`, `[Name]`, `>> NAME:`). */
function splitLabels(piece: Piece): Piece[] {
  const out: Piece[] = [];
  let current: Piece = { speaker: piece.speaker, lines: [] };
  for (const rawLine of piece.lines) {
    const line = cleanLine(rawLine);
    if (line === '') continue;
    const unmarked = line.replace(/^(?:>>|-)\s*/, '');
    const label = splitSpeakerLabel(unmarked) ?? splitBracketSpeaker(unmarked);
    if (label) {
      out.push(current);
      current = { speaker: label.label, lines: label.rest ? [label.rest] : [] };
    } else {
      current.lines.push(line);
    }
  }
  out.push(current);
  return out.filter((p) => p.lines.length > 0);
}

/** The speaker-attributed pieces of one cue's text lines. */
export function cuePieces(textLines: string[]): Piece[] {
  return splitVoices(textLines.join('\n')).flatMap((piece) =>
    piece.speaker === null ? splitLabels(piece) : [{ speaker: piece.speaker, lines: piece.lines.map(cleanLine).filter(Boolean) }],
  ).filter((p) => p.lines.length > 0);
}

/**
 * Turns cues into segments: one segment per speaker per cue. Cues without a speaker inherit
 * the previous one (captions name a speaker when it changes), and rolling captions — cues that
 * repeat the previous cue's text or its last lines before adding new words — are de-duplicated.
 */
export function cuesToSegments(cues: RawCue[], warnings: WarningList): TranscriptSegment[] {
  const segments: TranscriptSegment[] = [];
  let lastSpeaker: string | null = null;
  let previous: { speaker: string; lines: string[] } | null = null;
  for (const cue of cues) {
    if (!cue.timing) {
      warnings.add(`Line ${cue.lineNo}: skipped a cue with an unreadable timing line "${cue.timingLine.trim().slice(0, 60)}"`);
      continue;
    }
    const pieces = cuePieces(cue.textLines);
    if (pieces.length === 0) {
      warnings.add(`Line ${cue.lineNo}: skipped a cue without text`);
      continue;
    }
    for (const piece of pieces) {
      const speaker: string = piece.speaker ?? lastSpeaker ?? UNKNOWN_SPEAKER;
      lastSpeaker = speaker;
      let lines = piece.lines;
      if (previous && previous.speaker === speaker) lines = dropRepeatedLines(previous.lines, lines);
      previous = { speaker, lines: piece.lines };
      if (lines.length === 0) continue;
      segments.push({ speaker, text: lines.join(' '), startMs: cue.timing.startMs, endMs: cue.timing.endMs });
    }
  }
  return segments;
}

// Rolling captions carry over one or two lines; bounding the overlap keeps crafted files from going quadratic.
const MAX_ROLLING_OVERLAP = 3;

/** Removes the longest leading run of `current` (up to a few lines) that repeats the end of `previous`. */
function dropRepeatedLines(previous: string[], current: string[]): string[] {
  if (previous.join(' ') === current.join(' ')) return [];
  for (let k = Math.min(previous.length, current.length, MAX_ROLLING_OVERLAP); k > 0; k--) {
    let same = true;
    for (let i = 0; i < k && same; i++) same = previous[previous.length - k + i] === current[i];
    if (same) return current.slice(k);
  }
  return current;
}
