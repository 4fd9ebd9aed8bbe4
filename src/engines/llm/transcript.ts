// How a transcript is shown to a model: one numbered line per segment, so every claim the model
// makes can point back at a segment, and token estimates that decide how it is split.
import type { Segment } from '../types.js';

/** A rough but provider-independent estimate; the budget keeps a margin for the error. */
export const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export interface Line {
  /** Position in `segments`. */
  pos: number;
  /** `Segment.index`, the number the model sees and cites. */
  index: number;
  text: string;
  tokens: number;
}

/** "HH:MM" in UTC so the prompt does not depend on the server's zone; null when untimed. */
export function wallClock(timestamp: string | null | undefined): string | null {
  const ms = timestamp ? Date.parse(timestamp) : NaN;
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

function header(s: Segment, part?: { n: number; of: number }): string {
  const clock = wallClock(s.timestamp);
  const speaker = oneLine(s.speaker || '') || 'Speaker';
  return `[${s.index}] ${speaker}${clock ? ` (${clock})` : ''}${part ? ` (part ${part.n}/${part.of})` : ''}: `;
}

/** Splits at word boundaries into pieces of at most `maxChars` (a single longer word is cut). */
function splitText(text: string, maxChars: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    let cut = rest.lastIndexOf(' ', maxChars);
    if (cut < maxChars / 2) cut = maxChars;
    out.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) out.push(rest);
  return out;
}

/**
 * One line per segment. A segment too long for one call is shown as several "part" lines,
 * so it can straddle chunks instead of being cut short; quotes stay verbatim within each part.
 */
export function transcriptLines(segments: Segment[], maxLineTokens = Infinity): Line[] {
  const lines: Line[] = [];
  segments.forEach((s, pos) => {
    const body = oneLine(s.text);
    const whole = header(s) + body;
    if (estimateTokens(whole) <= maxLineTokens) {
      lines.push({ pos, index: s.index, text: whole, tokens: estimateTokens(whole) });
      return;
    }
    const room = Math.max(40, maxLineTokens * CHARS_PER_TOKEN - header(s, { n: 99, of: 99 }).length);
    const parts = splitText(body, room);
    parts.forEach((p, k) => {
      const text = header(s, { n: k + 1, of: parts.length }) + p;
      lines.push({ pos, index: s.index, text, tokens: estimateTokens(text) });
    });
  });
  return lines;
}

export interface Chunk {
  id: number;
  lines: Line[];
  text: string;
  tokens: number;
  /** Distinct segment positions shown in this chunk, ascending. */
  positions: number[];
  firstIndex: number;
  lastIndex: number;
}

function makeChunk(id: number, lines: Line[]): Chunk {
  const positions = [...new Set(lines.map((l) => l.pos))];
  return {
    id,
    lines,
    text: lines.map((l) => l.text).join('\n'),
    tokens: lines.reduce((a, l) => a + l.tokens + 1, 0),
    positions,
    firstIndex: lines[0].index,
    lastIndex: lines[lines.length - 1].index,
  };
}

/**
 * Greedy split at line boundaries into chunks of at most `budget` tokens. Each chunk after the
 * first repeats up to two trailing lines of the previous one (within `overlap` tokens) so a
 * remark and its reply are not separated; every line lands in at least one chunk.
 */
export function chunkTranscript(segments: Segment[], budget: number, overlap = Math.floor(budget * 0.1)): Chunk[] {
  const lines = transcriptLines(segments, Math.max(16, budget - overlap));
  const chunks: Chunk[] = [];
  let cur: Line[] = [];
  let used = 0;
  let fresh = 0;
  for (const line of lines) {
    if (fresh > 0 && used + line.tokens + 1 > budget) {
      chunks.push(makeChunk(chunks.length, cur));
      const carry: Line[] = [];
      let carried = 0;
      for (let k = cur.length - 1; k >= 0 && carry.length < 2; k--) {
        if (carried + cur[k].tokens + 1 > overlap || carried + cur[k].tokens + line.tokens + 2 > budget) break;
        carry.unshift(cur[k]);
        carried += cur[k].tokens + 1;
      }
      cur = carry;
      used = carried;
      fresh = 0;
    }
    cur.push(line);
    used += line.tokens + 1;
    fresh++;
  }
  if (fresh > 0) chunks.push(makeChunk(chunks.length, cur));
  return chunks;
}

/** Minutes from the first to the last timestamp plus the last turn at 150 wpm; null if untimed. */
export function durationMinutes(segments: Segment[]): number | null {
  const times = segments.map((s) => (s.timestamp ? Date.parse(s.timestamp) : NaN)).filter((x) => Number.isFinite(x));
  if (times.length < 2) return null;
  const span = (Math.max(...times) - Math.min(...times)) / 60000;
  const last = segments[segments.length - 1]?.text ?? '';
  const lastWords = (last.match(/\S+/g) ?? []).length;
  return Math.round((span + lastWords / 150) * 10) / 10;
}
