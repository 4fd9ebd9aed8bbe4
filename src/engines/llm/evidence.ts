// Models misquote: they fix typos, straighten apostrophes, cite the neighbouring line or make a
// quote up. Evidence is only kept when the quote really occurs in a segment, and what is kept is
// the segment's own verbatim text, so clients can highlight it.
import type { Evidence } from '../schemas.js';
import type { Segment } from '../types.js';

export interface RawEvidence {
  segmentIndex: number;
  quote: string;
}

const APOSTROPHES = `['’‘\`´]`;
const DOUBLE_QUOTES = `["“”„]`;
const DASHES = `[-–—]`;

function pattern(quote: string): RegExp | null {
  const words = quote.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return null;
  const esc = words.map((w) =>
    [...w]
      .map((ch) => {
        if (/['’‘`´]/.test(ch)) return APOSTROPHES;
        if (/["“”„]/.test(ch)) return DOUBLE_QUOTES;
        if (/[-–—]/.test(ch)) return DASHES;
        return ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join(''),
  );
  return new RegExp(esc.join('\\s+'), 'i');
}

/** The verbatim span of `text` that `quote` matches (spacing, case and quote marks aside), or null. */
export function locate(text: string, quote: string): string | null {
  const exact = text.indexOf(quote);
  if (exact >= 0 && quote.trim()) return quote.trim();
  const re = pattern(quote);
  const m = re ? re.exec(text) : null;
  return m ? m[0] : null;
}

/** Trims wrapping quote marks and, for an elided quote ("a … b"), keeps its longest piece. */
function cleanQuote(q: string): string {
  let s = q.trim().replace(/^["“”'‘’]+|["“”'‘’]+$/g, '').trim();
  if (/\.\.\.|…/.test(s)) {
    s = s
      .split(/\s*(?:\.\.\.|…)\s*/)
      .sort((a, b) => b.length - a.length)[0]
      .trim();
  }
  return s;
}

export interface EvidenceScope {
  segments: Segment[];
  /** `Segment.index` → position. */
  byIndex: Map<number, number>;
  /** Positions the model was shown; quotes are looked for only there. */
  allowed?: number[];
}

export function scopeOf(segments: Segment[], allowed?: number[]): EvidenceScope {
  return { segments, byIndex: new Map(segments.map((s, i) => [s.index, i])), allowed };
}

/**
 * Resolves one citation: the cited segment first, then its neighbours (off-by-one citations
 * are common), then anywhere the model could see. An index outside the transcript is clamped
 * to its nearest end before searching. Returns null when the quote is nowhere to be found.
 */
export function verifyOne(scope: EvidenceScope, ev: RawEvidence): Evidence | null {
  const quote = cleanQuote(String(ev.quote ?? ''));
  if (quote.length < 3 || !scope.segments.length) return null;
  const allowed = scope.allowed ?? scope.segments.map((_, i) => i);
  if (!allowed.length) return null;
  const lo = allowed[0];
  const hi = allowed[allowed.length - 1];
  const idx = Math.round(Number(ev.segmentIndex));
  let start = scope.byIndex.get(idx);
  if (start === undefined) {
    // Indices are usually positions; fall back to treating the number as one.
    start = Number.isFinite(idx) ? Math.min(hi, Math.max(lo, idx)) : lo;
  }
  const inScope = new Set(allowed);
  const order = [start, start - 1, start + 1, start - 2, start + 2].filter((p) => inScope.has(p));
  // A short quote ("we agreed") matches too many places to be re-pointed far from its citation.
  const wide = quote.split(/\s+/).length >= 4 ? allowed : [];
  for (const p of [...order, ...wide]) {
    const found = locate(scope.segments[p].text, quote);
    if (found) return { segmentIndex: scope.segments[p].index, quote: found };
  }
  return null;
}

/** Verified, de-duplicated evidence, at most `max` items. */
export function verifyEvidence(scope: EvidenceScope, list: RawEvidence[] | null | undefined, max = 3): Evidence[] {
  const out: Evidence[] = [];
  const seen = new Set<string>();
  for (const raw of list ?? []) {
    const ev = verifyOne(scope, raw);
    if (!ev) continue;
    const key = `${ev.segmentIndex}|${ev.quote.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ev);
    if (out.length >= max) break;
  }
  return out;
}

/** Union of already-verified evidence lists, de-duplicated, in transcript order. */
export function mergeEvidence(lists: Evidence[][], max = 3): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const ev of lists.flat()) {
    const key = `${ev.segmentIndex}|${ev.quote.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ev);
  }
  return out.sort((a, b) => a.segmentIndex - b.segmentIndex).slice(0, max);
}
